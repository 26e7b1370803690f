// SPDX-License-Identifier: MIT
// One WebSocket connection of the server over the TCP (or TLS) socket it owns, after the front
// has read and checked its upgrade request. Frames are read and written by wsframing; every
// control frame is reported, so that the session can count it against its rate and answer a
// ping only within its send budget. Lives on the thread of its session once moved there.
#pragma once

#include "httpframing.h"
#include "wsframing.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

namespace neonchat::server {

class WsConnection : public QObject {
    Q_OBJECT
public:
    // Takes socket and answers the upgrade request with 101. Nothing is read before
    // startReading(), so the owner can connect the signals first.
    WsConnection(QTcpSocket *socket, http::RequestHead request, qint64 maxMessageBytes,
                 QObject *parent = nullptr);
    ~WsConnection() override;

    WsConnection(const WsConnection &) = delete;
    WsConnection &operator=(const WsConnection &) = delete;

    [[nodiscard]] const http::RequestHead &request() const { return m_request; }
    [[nodiscard]] QHostAddress peerAddress() const { return m_peer; }
    // The query part of the request target, still encoded.
    [[nodiscard]] QByteArrayView query() const;

    void startReading();
    void setMaxMessageBytes(qint64 bytes) { m_reader.setMaxMessageBytes(bytes); }

    // A frame encoded already (wsframing): shared bytes, not copied per receiver.
    void sendFrame(const QByteArray &frame);
    void ping();
    void pong(QByteArrayView payload);
    // Starts the close handshake; the TCP connection ends once the peer answers (or is aborted
    // by the owner after a grace time).
    void close(quint16 code, const QString &reason);
    void abort();
    // Hands what is buffered to the kernel as far as it takes it.
    void flush();

    [[nodiscard]] qint64 bytesToWrite() const;
    // The close code sent or received first, 0 while none was.
    [[nodiscard]] quint16 closeCode() const { return m_closeCode; }
    [[nodiscard]] bool closeSent() const { return m_closeSent; }
    [[nodiscard]] QAbstractSocket::SocketError socketError() const;

Q_SIGNALS:
    void textReceived(const QString &text);
    void binaryReceived();
    void pingReceived(const QByteArray &payload);
    void pongReceived();
    // The kernel took some of what was written.
    void bytesWritten();
    void disconnected();

private:
    void readSocket();

    QTcpSocket *m_socket; // child
    http::RequestHead m_request;
    QHostAddress m_peer;
    ws::FrameReader m_reader;
    bool m_reading = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_failed = false;
    quint16 m_closeCode = 0;
};

} // namespace neonchat::server
