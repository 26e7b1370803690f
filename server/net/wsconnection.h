// SPDX-License-Identifier: MIT
// One WebSocket connection of the server, after the front has read and checked its upgrade
// request. Frames are read and written by wsframing; every control frame is reported, so that the
// session can count it against its rate and answer a ping only within its send budget. Lives on
// the thread of its session once moved there.
//
// Frames to send wait in the connection's own queue: shared bytes, encoded once for every
// receiver. A plain TCP connection leaves its QTcpSocket for the bare descriptor, which waits in
// its thread's Poller and is written with one sendmsg() of every queued frame on its flush turn
// (net/poller.h says why). A TLS connection keeps its QSslSocket, which is handed the queue in one
// write whenever it has written out the last.
#pragma once

#include "httpframing.h"
#include "poller.h"
#include "wsframing.h"

#include <QAbstractSocket>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace neonchat::server {

class WsConnection : public QObject, private Poller::Client {
    Q_OBJECT
public:
    // Takes socket and answers the upgrade request with 101. Nothing is read before
    // startReading(), so the owner can connect the signals first. A plain socket joins poller.
    WsConnection(QTcpSocket *socket, http::RequestHead request, qint64 maxMessageBytes,
                 Poller &poller, QObject *parent = nullptr);
    ~WsConnection() override;

    WsConnection(const WsConnection &) = delete;
    WsConnection &operator=(const WsConnection &) = delete;

    [[nodiscard]] const http::RequestHead &request() const { return m_request; }
    [[nodiscard]] QHostAddress peerAddress() const { return m_peer; }
    // The query part of the request target, still encoded.
    [[nodiscard]] QByteArrayView query() const;

    // Before moveToThread(): leaves this thread's poller. On the new thread: joins that one's.
    void leavePoller();
    void joinPoller(Poller &poller);

    void startReading();
    void setMaxMessageBytes(qint64 bytes) { m_reader.setMaxMessageBytes(bytes); }

    // A frame encoded already (wsframing): shared bytes, not copied per receiver. Written on the
    // connection's next flush turn.
    void sendFrame(const QByteArray &frame);
    void ping();
    void pong(QByteArrayView payload);
    // Starts the close handshake; the TCP connection ends once the peer answers (or is aborted
    // by the owner after a grace time).
    void close(quint16 code, const QString &reason);
    void abort();
    // Hands what is queued to the kernel now, as far as it takes it.
    void flush();

    // Whether bytesWritten() is emitted: only while the owner paces frames by it, since a signal
    // per socket per flush turn is a cost every fan-out would pay.
    void reportWrites(bool on) { m_reportWrites = on; }
    // What was sent and has not reached the kernel yet.
    [[nodiscard]] qint64 unsentBytes() const;
    [[nodiscard]] qsizetype unsentFrames() const;
    // The close code sent or received first, 0 while none was.
    [[nodiscard]] quint16 closeCode() const { return m_closeCode; }
    [[nodiscard]] bool closeSent() const { return m_closeSent; }
    [[nodiscard]] QAbstractSocket::SocketError socketError() const { return m_error; }

Q_SIGNALS:
    void textReceived(const QString &text);
    void binaryReceived();
    void pingReceived(const QByteArray &payload);
    void pongReceived();
    // The kernel took some of what was queued (while reportWrites is on).
    void bytesWritten();
    void disconnected();

private:
    void pollEvents(std::uint32_t events) override;
    void flushTurn() override;
    // Feeds bytes read to the frame reader and reports what completed; false once nothing more
    // may be read (a close frame, a violation, or this object's owner reacted by ending it).
    bool take(QByteArrayView bytes);
    void queue(const QByteArray &frame);
    void readDescriptor();
    void writeDescriptor();
    void writeSocket();
    [[nodiscard]] std::uint32_t wantedEvents() const;
    void updateInterest();
    // Ends the TCP connection once everything queued is written.
    void disconnectWhenWritten();
    // Closes the descriptor at once and reports the disconnect.
    void closeDescriptor(QAbstractSocket::SocketError error);

    QTcpSocket *m_socket = nullptr; // TLS only (child); plain TCP uses m_descriptor
    int m_descriptor = -1;
    QPointer<Poller> m_poller; // the descriptor's, while it is in one
    http::RequestHead m_request;
    QHostAddress m_peer;
    ws::FrameReader m_reader;
    QByteArray m_readAhead; // what came behind the upgrade request, read on startReading()

    QList<QByteArray> m_queue;      // frames not handed to the kernel (or the TLS socket) yet
    qsizetype m_headOffset = 0;     // bytes of m_queue.front() written already
    qint64 m_queuedBytes = 0;       // bytes of the frames in m_queue, m_headOffset included
    qsizetype m_framesInSocket = 0; // TLS: frames of the last write the socket still holds
    std::uint32_t m_interest = 0;   // what the poller watches for now

    bool m_reading = false;
    bool m_reportWrites = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_failed = false;        // nothing more is read
    bool m_disconnecting = false; // the connection ends once the queue is written
    bool m_kernelFull = false;    // the last write was cut short: the kernel says when to go on
    quint16 m_closeCode = 0;
    QAbstractSocket::SocketError m_error = QAbstractSocket::UnknownSocketError;
};

} // namespace neonchat::server
