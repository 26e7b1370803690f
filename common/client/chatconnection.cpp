// SPDX-License-Identifier: MIT
#include "chatconnection.h"

#include "protocol/codec.h"

#include <QRandomGenerator>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::client {

ChatConnection::ChatConnection(QObject *parent)
    : QObject(parent)
    , m_reconnectTimer(this)
    , m_pace(1, 1, 0)
    , m_paceTimer(this) {
    m_clock.start();
    m_paceTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_paceTimer, &QTimer::timeout, this, &ChatConnection::flushOutbox);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ChatConnection::reconnect);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &ChatConnection::keepAlive);
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

ChatConnection::~ChatConnection() {
    // The socket outlives the members declared after it and signals its close while it goes.
    m_socket.disconnect(this);
}

void ChatConnection::open(const QUrl &url) {
    m_url = url;
    m_closeRequested = false;
    m_welcomed = false;
    m_closeReported = false;
    setState(State::Connecting);
    m_socket.open(url);
}

void ChatConnection::reconnect() {
    m_welcomed = false;
    m_closeReported = false;
    QUrl url = m_url;
    if (!m_welcome.resumeToken.isEmpty()) {
        // A guest comes back as the same guest: what it sends again is stored once.
        QUrlQuery query(url);
        query.removeAllQueryItems(u"resume"_s);
        query.addQueryItem(u"resume"_s, m_welcome.resumeToken);
        url.setQuery(query);
    }
    m_socket.open(url);
}

void ChatConnection::reconnectNow() {
    if (m_state == State::Reconnecting && m_reconnectTimer.isActive()) {
        m_reconnectTimer.stop();
        reconnect();
    }
}

QString ChatConnection::send(const QString &text, const QString &chatId, const QString &replyToId,
                             const QStringList &attachmentIds) {
    Outgoing message{QUuid::createUuid().toString(QUuid::WithoutBraces), chatId, text, replyToId,
                     attachmentIds};
    const QString requestId = message.requestId;
    m_outbox.push_back(std::move(message));
    flushOutbox();
    return requestId;
}

QList<ChatConnection::Outgoing> ChatConnection::unsettled() const {
    QList<Outgoing> messages(m_inFlight.cbegin(), m_inFlight.cend());
    messages.append(QList<Outgoing>(m_outbox.cbegin(), m_outbox.cend()));
    return messages;
}

void ChatConnection::requestSync(const QString &chatId, qint64 afterSeq, qint64 afterModSeq) {
    if (!m_chats.contains(chatId)) {
        m_chats[chatId].lastSeq = afterSeq;
        m_chats[chatId].lastModSeq = afterModSeq;
    }
    startSync(chatId);
}

void ChatConnection::startSync(const QString &chatId) {
    ChatCursor &cursor = m_chats[chatId];
    cursor.syncing = true;
    cursor.resyncAfter = false;
    cursor.modSeqSeenInSync = 0;
    // Not welcomed yet: the welcome syncs every chat.
    sendNow(protocol::SyncRequest{chatId, cursor.lastSeq, cursor.lastModSeq});
}

void ChatConnection::keepAlive() {
    // Sent since the last tick: the server has heard from this session within two ticks.
    if (!m_welcomed || m_clock.elapsed() - m_lastSentMs < m_keepAliveTimer.interval()) {
        return;
    }
    // Any frame counts as activity; a sync of a chat whose cursor is known costs the server one
    // indexed read, and catches up on anything missed. Without a tracked chat there is nothing
    // to ask that is harmless, and the session may time out.
    for (auto chat = m_chats.cbegin(); chat != m_chats.cend(); ++chat) {
        if (!chat->syncing) {
            startSync(chat.key());
            return;
        }
    }
}

void ChatConnection::sendNow(const protocol::ClientFrame &frame) {
    if (m_welcomed) {
        m_socket.sendTextMessage(QString::fromUtf8(protocol::encode(frame)));
        m_lastSentMs = m_clock.elapsed();
    }
}

void ChatConnection::setTyping(const QString &chatId, bool isTyping) {
    sendNow(protocol::TypingUpdate{chatId, isTyping});
}

void ChatConnection::markRead(const QString &chatId, const QString &messageId) {
    sendNow(protocol::MarkRead{chatId, messageId});
}

void ChatConnection::close() {
    m_closeRequested = true;
    m_reconnectTimer.stop();
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        // Between two attempts the loss was reported already; closing ends the session for good.
        if (m_state == State::Reconnecting) {
            m_closeReported = false;
        }
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
            message.text, message.requestId,
            message.replyToId.isEmpty() ? std::nullopt : std::optional<QString>(message.replyToId),
            message.attachmentIds};
        sendNow(frame);
        m_inFlight.push_back(std::move(message));
    }
}

void ChatConnection::onText(const QString &text) {
    const auto decoded = protocol::decodeServerFrame(text.toUtf8());
    if (!decoded.ok()) {
        Q_EMIT errorReceived(protocol::ErrorFrame{u"bad_frame"_s, decoded.error().message, {}});
        return;
    }
    const protocol::ServerFrame &frame = decoded.value();
    auto inFlight = [this](const std::optional<QString> &requestId) {
        return std::find_if(m_inFlight.begin(), m_inFlight.end(), [&](const Outgoing &message) {
            return requestId && message.requestId == *requestId;
        });
    };
    if (const auto *welcome = std::get_if<protocol::Welcome>(&frame)) {
        m_welcome = *welcome;
        m_welcomed = true;
        m_backoff.reset();
        // Stay a little under the server's limit so timer jitter never trips it.
        const double rate = std::max(1.0, 0.9 * welcome->limits.rateLimit);
        m_pace =
            protocol::TokenBucket(rate, std::max(1, welcome->limits.rateLimit), m_clock.elapsed());
        setState(State::Online);
        constexpr qint64 kDefaultIdleTimeoutSeconds = 600;
        const qint64 idleMs =
            1000 * (welcome->limits.idleTimeoutSeconds > 0 ? welcome->limits.idleTimeoutSeconds
                                                           : kDefaultIdleTimeoutSeconds);
        m_lastSentMs = m_clock.elapsed(); // the server counts from the session's start
        m_keepAliveTimer.start(static_cast<int>(std::max<qint64>(200, idleMs * 2 / 5)));
        // A new session: every chat seen so far catches up from where it stood.
        for (auto chat = m_chats.begin(); chat != m_chats.end(); ++chat) {
            startSync(chat.key());
        }
        Q_EMIT welcomed();
        flushOutbox();
    } else if (const auto *sent = std::get_if<protocol::MessageSent>(&frame)) {
        if (auto message = inFlight(sent->requestId); message != m_inFlight.end()) {
            acknowledged(message->requestId, sent->message);
        }
    } else if (const auto *incoming = std::get_if<protocol::NewMessage>(&frame)) {
        accept(incoming->message);
    } else if (const auto *update = std::get_if<protocol::MessageUpdated>(&frame)) {
        updated(update->message);
    } else if (const auto *done = std::get_if<protocol::SyncDone>(&frame)) {
        syncFinished(*done);
    } else if (const auto *presence = std::get_if<protocol::Presence>(&frame)) {
        Q_EMIT presenceChanged(presence->userId, presence->online);
    } else if (const auto *typing = std::get_if<protocol::TypingNotice>(&frame)) {
        Q_EMIT typingChanged(typing->chatId, typing->userId, typing->isTyping);
    } else if (const auto *receipt = std::get_if<protocol::ReadReceipt>(&frame)) {
        Q_EMIT readReceived(receipt->chatId, receipt->userId, receipt->messageId);
    } else if (const auto *error = std::get_if<protocol::ErrorFrame>(&frame)) {
        const auto message = inFlight(error->requestId);
        if (message == m_inFlight.end()) {
            Q_EMIT errorReceived(*error);
        } else if (error->code == protocol::ErrorCode::RateLimited) {
            // Dropped, not refused: it goes again first, once the pace allows.
            m_outbox.push_front(std::move(*message));
            m_inFlight.erase(message);
            m_paceTimer.start(1000);
        } else {
            Q_EMIT messageRejected(*error->requestId, *error);
            settle(*error->requestId);
        }
    }
}

ChatConnection::Placement ChatConnection::place(const protocol::ChatMessage &message) {
    auto found = m_chats.find(message.chatId);
    if (found == m_chats.end()) {
        // The first message seen of a chat is where its tracking starts.
        found = m_chats.insert(message.chatId, ChatCursor{message.seq - 1, false, false, {}, 0, 0});
    }
    ChatCursor &cursor = found.value();
    if (message.seq <= cursor.lastSeq) {
        return Placement::Seen; // a replay overlapping live traffic, or a repeated ack
    }
    if (message.seq == cursor.lastSeq + 1) {
        cursor.lastSeq = message.seq;
        return Placement::Next;
    }
    // Something in between went missing: a sync replays it, and this one after it.
    if (cursor.syncing) {
        cursor.resyncAfter = true;
    } else {
        startSync(message.chatId);
    }
    return Placement::AfterGap;
}

void ChatConnection::accept(const protocol::ChatMessage &message) {
    if (place(message) != Placement::Next) {
        return;
    }
    if (m_chats[message.chatId].ownAhead.remove(message.id)) {
        return; // handed on already, as an acknowledgement
    }
    if (settleFromReplay(message)) {
        return;
    }
    Q_EMIT messageReceived(message);
}

bool ChatConnection::settleFromReplay(const protocol::ChatMessage &message) {
    if (message.senderId != m_welcome.user.id) {
        return false;
    }
    // The oldest such message of the chat: the server stored them in the order they were sent.
    // (The same text from another device in that moment could be taken for it: then this
    // device's own copy shows only when the chat is read again. Without this, every lost
    // acknowledgement showed one's message twice.)
    const auto same = [&](const Outgoing &outgoing) {
        return outgoing.maybeStored && outgoing.chatId == message.chatId &&
               outgoing.text == message.text &&
               outgoing.replyToId == message.replyToId.value_or(QString());
    };
    for (auto *queue : {&m_inFlight, &m_outbox}) {
        const auto waiting = std::find_if(queue->begin(), queue->end(), same);
        if (waiting == queue->end()) {
            continue;
        }
        const QString requestId = waiting->requestId;
        queue->erase(waiting);
        Q_EMIT messageAcknowledged(requestId, message);
        if (unacknowledged() == 0) {
            Q_EMIT allAcknowledged();
        }
        return true;
    }
    return false;
}

void ChatConnection::updated(const protocol::ChatMessage &message) {
    // The cursor is settled before the signal: a receiver may follow another chat, and the hash
    // may move its entries then.
    ChatCursor &cursor = m_chats[message.chatId];
    bool gap = false;
    if (cursor.syncing) {
        // A replay, or a change made while it runs: sorted out when the sync is done.
        cursor.modSeqSeenInSync = std::max(cursor.modSeqSeenInSync, message.modSeq);
    } else if (message.modSeq <= cursor.lastModSeq) {
        return; // this change, or a later one of the same message, was handed on already
    } else if (message.modSeq == cursor.lastModSeq + 1) {
        cursor.lastModSeq = message.modSeq;
    } else {
        gap = true; // the changes in between went missing
    }
    Q_EMIT messageUpdated(message);
    if (gap) {
        startSync(message.chatId);
    }
}

void ChatConnection::syncFinished(const protocol::SyncDone &done) {
    ChatCursor &cursor = m_chats[done.chatId];
    cursor.syncing = false;
    if (done.lastModSeq) {
        cursor.lastModSeq = std::max(cursor.lastModSeq, *done.lastModSeq);
    }
    // A change newer than the replay arrived during it: the one right after it counts, a later
    // one leaves a gap to fill.
    if (cursor.modSeqSeenInSync == cursor.lastModSeq + 1) {
        cursor.lastModSeq = cursor.modSeqSeenInSync;
    }
    const bool changesMissing = cursor.modSeqSeenInSync > cursor.lastModSeq;
    cursor.modSeqSeenInSync = 0;
    if (done.hasMore || cursor.resyncAfter || changesMissing) {
        startSync(done.chatId);
    } else {
        Q_EMIT syncDone(done.chatId, false);
    }
}

void ChatConnection::acknowledged(const QString &requestId, const protocol::ChatMessage &message) {
    Q_EMIT messageAcknowledged(requestId, message);
    if (place(message) == Placement::AfterGap) {
        // The replay will bring it again; it is not to be handed on twice.
        m_chats[message.chatId].ownAhead.insert(message.id);
    }
    settle(requestId);
}

void ChatConnection::settle(const QString &requestId) {
    const auto message =
        std::find_if(m_inFlight.begin(), m_inFlight.end(),
                     [&](const Outgoing &outgoing) { return outgoing.requestId == requestId; });
    if (message != m_inFlight.end()) {
        m_inFlight.erase(message);
    }
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
    m_keepAliveTimer.stop();
    const bool wasWelcomed = m_welcomed;
    m_welcomed = false;
    QString reason = m_socket.closeReason();
    if (reason.isEmpty() && m_socket.error() != QAbstractSocket::UnknownSocketError) {
        reason = m_socket.errorString();
    }
    // Whatever was sent and not acknowledged goes again first, under the same request ids: the
    // server stores a repeated request id once.
    while (!m_inFlight.empty()) {
        m_inFlight.back().maybeStored = true;
        m_outbox.push_front(std::move(m_inFlight.back()));
        m_inFlight.pop_back();
    }
    for (ChatCursor &cursor : m_chats) {
        cursor.syncing = false;
    }
    // A policy refusal (1008) will not change by trying again; anything else may.
    const bool refused = m_socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated;
    const bool retry =
        !m_closeRequested && !refused &&
        (m_reconnect == Reconnect::Always || (m_reconnect == Reconnect::AfterWelcome &&
                                              (wasWelcomed || m_state == State::Reconnecting)));
    if (retry) {
        const auto wait = m_backoff.next(QRandomGenerator::global()->generateDouble());
        setState(State::Reconnecting, reason);
        m_reconnectTimer.start(static_cast<int>(wait.count()));
        Q_EMIT reconnectScheduled(static_cast<int>(wait.count()));
        return;
    }
    setState(State::Offline, reason);
    Q_EMIT disconnected(m_socket.closeCode(), reason, wasWelcomed);
}

void ChatConnection::setState(State state, const QString &reason) {
    if (m_state != state || m_stateReason != reason) {
        m_state = state;
        m_stateReason = reason;
        Q_EMIT stateChanged();
    }
}

} // namespace neonchat::client
