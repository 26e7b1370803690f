// SPDX-License-Identifier: MIT
#include "wsconnection.h"

#include <QPointer>

namespace neonchat::server {

namespace {

// What the socket may hold of the client's bytes before they are framed: reading stops there and
// TCP pushes back on a client that writes faster than its session takes frames.
constexpr qint64 kReadBufferBytes = 64 * 1024;

} // namespace

WsConnection::WsConnection(QTcpSocket *socket, http::RequestHead request, qint64 maxMessageBytes,
                           QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(std::move(request))
    , m_peer(socket->peerAddress())
    , m_reader(maxMessageBytes) {
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    connect(m_socket, &QAbstractSocket::disconnected, this, &WsConnection::disconnected);
    connect(m_socket, &QIODevice::bytesWritten, this, &WsConnection::bytesWritten);
    m_socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                    ws::acceptKey(m_request.header("sec-websocket-key")) + "\r\n\r\n");
}

WsConnection::~WsConnection() = default;

QByteArrayView WsConnection::query() const {
    const qsizetype mark = m_request.target.indexOf('?');
    return mark < 0 ? QByteArrayView() : QByteArrayView(m_request.target).sliced(mark + 1);
}

void WsConnection::startReading() {
    if (m_reading) {
        return;
    }
    m_reading = true;
    connect(m_socket, &QIODevice::readyRead, this, &WsConnection::readSocket);
    // Frames may have come right behind the upgrade request.
    readSocket();
}

void WsConnection::readSocket() {
    while (!m_failed && m_socket->bytesAvailable() > 0) {
        const QByteArray bytes = m_socket->read(kReadBufferBytes);
        QList<ws::Received> received;
        const std::optional<ws::Violation> violation = m_reader.feed(bytes, received);
        // A slot may delete this object's owner's state; the loop stops if it goes.
        QPointer<WsConnection> alive(this);
        for (ws::Received &item : received) {
            switch (item.kind) {
            case ws::Received::Kind::Text:
                if (!m_closeSent) {
                    Q_EMIT textReceived(item.text);
                }
                break;
            case ws::Received::Kind::Binary:
                if (!m_closeSent) {
                    Q_EMIT binaryReceived();
                }
                break;
            case ws::Received::Kind::Ping:
                Q_EMIT pingReceived(item.payload);
                break;
            case ws::Received::Kind::Pong:
                Q_EMIT pongReceived();
                break;
            case ws::Received::Kind::Close:
                m_closeReceived = true;
                if (!m_closeSent) {
                    // Echo the peer's code (RFC 6455 §5.5.1), then end the connection.
                    m_closeCode = item.closeCode;
                    m_closeSent = true;
                    m_socket->write(item.closeCode == ws::close::kNoStatus
                                        ? ws::encodeFrame(ws::Opcode::Close, {})
                                        : ws::encodeClose(item.closeCode, QString()));
                }
                m_failed = true; // nothing after a close frame is read
                m_socket->disconnectFromHost();
                return;
            }
            if (!alive || m_failed) {
                return;
            }
        }
        if (violation) {
            m_failed = true;
            if (!m_closeSent) {
                m_closeSent = true;
                m_closeCode = violation->closeCode;
                m_socket->write(ws::encodeClose(violation->closeCode, violation->reason));
            }
            m_socket->disconnectFromHost();
            return;
        }
    }
}

void WsConnection::sendFrame(const QByteArray &frame) {
    if (!m_closeSent) {
        m_socket->write(frame);
    }
}

void WsConnection::ping() {
    if (!m_closeSent) {
        m_socket->write(ws::encodeFrame(ws::Opcode::Ping, {}));
    }
}

void WsConnection::pong(QByteArrayView payload) {
    if (!m_closeSent) {
        m_socket->write(ws::encodeFrame(ws::Opcode::Pong, payload));
    }
}

void WsConnection::close(quint16 code, const QString &reason) {
    if (m_closeSent) {
        return;
    }
    m_closeSent = true;
    m_closeCode = code;
    m_socket->write(ws::encodeClose(code, reason));
    if (m_closeReceived) {
        m_socket->disconnectFromHost();
    }
}

void WsConnection::abort() {
    m_failed = true;
    m_socket->abort();
}

void WsConnection::flush() {
    m_socket->flush();
}

qint64 WsConnection::bytesToWrite() const {
    return m_socket->bytesToWrite();
}

QAbstractSocket::SocketError WsConnection::socketError() const {
    return m_socket->error();
}

} // namespace neonchat::server
