// SPDX-License-Identifier: MIT
#include "chatconnection.h"

#include "protocol/codec.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::client {

ChatConnection::ChatConnection(QObject *parent)
    : QObject(parent)
    , m_pace(1, 1, 0)
    , m_paceTimer(this) {
    m_clock.start();
    m_paceTimer.setSingleShot(true);
    connect(&m_paceTimer, &QTimer::timeout, this, &ChatConnection::flushOutbox);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ChatConnection::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &ChatConnection::onDisconnected);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                // A refused or failed connect ends here without a disconnected() from the socket.
                if (m_socket.state() == QAbstractSocket::UnconnectedState) {
                    onDisconnected();
                }
            });
}

void ChatConnection::open(const QUrl &url) {
    m_welcomed = false;
    m_closeReported = false;
    setState(State::Connecting);
    m_socket.open(url);
}

QString ChatConnection::send(const QString &text, const QString &chatId) {
    Outgoing message{QUuid::createUuid().toString(QUuid::WithoutBraces), chatId, text};
    const QString requestId = message.requestId;
    m_outbox.push_back(std::move(message));
    flushOutbox();
    return requestId;
}

void ChatConnection::requestSync(const QString &chatId, qint64 afterSeq) {
    m_socket.sendTextMessage(QString::fromUtf8(
        protocol::encode(protocol::ClientFrame{protocol::SyncRequest{chatId, afterSeq}})));
}

void ChatConnection::close() {
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        onDisconnected();
        return;
    }
    m_socket.close(QWebSocketProtocol::CloseCodeNormal, u"bye"_s);
}

void ChatConnection::flushOutbox() {
    if (!m_welcomed || m_socket.state() != QAbstractSocket::ConnectedState) {
        return;
    }
    while (!m_outbox.empty()) {
        const qint64 wait = m_pace.msUntilAvailable(m_clock.elapsed());
        if (wait > 0) {
            m_paceTimer.start(static_cast<int>(wait));
            return;
        }
        if (!m_pace.tryTake(m_clock.elapsed())) {
            m_paceTimer.start(1);
            return;
        }
        Outgoing message = std::move(m_outbox.front());
        m_outbox.pop_front();
        protocol::SendMessage frame{
            message.chatId.isEmpty() ? std::nullopt : std::optional<QString>(message.chatId),
            message.text, message.requestId};
        m_socket.sendTextMessage(QString::fromUtf8(protocol::encode(protocol::ClientFrame{frame})));
        m_inFlight.insert(message.requestId, std::move(message));
    }
}

void ChatConnection::onText(const QString &text) {
    const auto decoded = protocol::decodeServerFrame(text.toUtf8());
    if (!decoded.ok()) {
        Q_EMIT errorReceived(protocol::ErrorFrame{u"bad_frame"_s, decoded.error().message, {}});
        return;
    }
    const protocol::ServerFrame &frame = decoded.value();
    if (const auto *welcome = std::get_if<protocol::Welcome>(&frame)) {
        m_welcome = *welcome;
        m_welcomed = true;
        // Stay a little under the server's limit so timer jitter never trips it.
        const double rate = std::max(1.0, 0.9 * welcome->limits.rateLimit);
        m_pace =
            protocol::TokenBucket(rate, std::max(1, welcome->limits.rateLimit), m_clock.elapsed());
        setState(State::Online);
        Q_EMIT welcomed();
        flushOutbox();
    } else if (const auto *sent = std::get_if<protocol::MessageSent>(&frame)) {
        if (sent->requestId && m_inFlight.contains(*sent->requestId)) {
            Q_EMIT messageAcknowledged(*sent->requestId, sent->message);
            settle(*sent->requestId);
        }
    } else if (const auto *incoming = std::get_if<protocol::NewMessage>(&frame)) {
        Q_EMIT messageReceived(incoming->message);
    } else if (const auto *done = std::get_if<protocol::SyncDone>(&frame)) {
        Q_EMIT syncDone(done->chatId, done->hasMore);
    } else if (const auto *error = std::get_if<protocol::ErrorFrame>(&frame)) {
        const auto inFlight =
            error->requestId ? m_inFlight.find(*error->requestId) : m_inFlight.end();
        if (inFlight == m_inFlight.end()) {
            Q_EMIT errorReceived(*error);
        } else if (error->code == protocol::ErrorCode::RateLimited) {
            // Dropped, not refused: it goes again first, once the pace allows.
            m_outbox.push_front(std::move(*inFlight));
            m_inFlight.erase(inFlight);
            m_paceTimer.start(1000);
        } else {
            Q_EMIT messageRejected(*error->requestId, *error);
            settle(*error->requestId);
        }
    }
}

void ChatConnection::settle(const QString &requestId) {
    m_inFlight.remove(requestId);
    if (unacknowledged() == 0) {
        Q_EMIT allAcknowledged();
    }
}

void ChatConnection::onDisconnected() {
    if (m_closeReported) {
        return;
    }
    m_closeReported = true;
    m_paceTimer.stop();
    const bool wasWelcomed = m_welcomed;
    m_welcomed = false;
    setState(State::Offline);
    QString reason = m_socket.closeReason();
    if (reason.isEmpty() && m_socket.error() != QAbstractSocket::UnknownSocketError) {
        reason = m_socket.errorString();
    }
    Q_EMIT disconnected(m_socket.closeCode(), reason, wasWelcomed);
}

void ChatConnection::setState(State state) {
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged();
    }
}

} // namespace neonchat::client
