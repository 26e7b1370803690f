// SPDX-License-Identifier: MIT
// The listening socket and every TCP connection until it is an HTTP exchange or a WebSocket.
// Qt 6.4's HTTP server has no limits or timeouts of its own (QT64-NOTES, docs/SECURITY.md), so
// the front reads each request itself, within FrontLimits and deadlines, answers what is
// malformed, too large or too slow, and hands Qt's server one clean request at a time over a
// socket pair (the BackendListener Qt's server is bound to). A valid upgrade to /ws leaves the
// front as the TCP socket itself, for a WebSocket session (wsconnection.h).
#pragma once

#include "httpframing.h"

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <optional>

namespace neonchat::server {

struct FrontLimits {
    http::FramingLimits framing;
    std::chrono::milliseconds headTimeout{10'000};      // the whole head of a request
    std::chrono::milliseconds bodyTimeout{30'000};      // the whole body after its head
    std::chrono::milliseconds keepAliveTimeout{60'000}; // waiting for the next request
    std::chrono::milliseconds responseTimeout{60'000};  // the server's answer to one request
    int maxConnectionsPerAddress = 0;                   // 0: no limit
};

// What Qt's HTTP server is bound to: it "accepts" the server end of each connection's socket
// pair. Qt 6.4 takes connections on pendingConnectionAvailable, which a subclass cannot emit
// directly; it is invoked through the meta-object system.
class BackendListener : public QTcpServer {
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;

    // The server end of a new pair, presented to Qt's server as a connection from peer.
    [[nodiscard]] bool offer(qintptr descriptor, const QHostAddress &peer, quint16 peerPort);

    [[nodiscard]] bool hasPendingConnections() const override;
    QTcpSocket *nextPendingConnection() override;

private:
    QList<QTcpSocket *> m_pending;
};

class FrontConnection;

// The count a connection holds against the front's descriptor budget belongs to the socket the
// front made; a WebSocket that leaves that socket for its bare descriptor takes the count along.
void moveDescriptorLease(QObject &socket, QObject &owner);

class HttpFront : public QTcpServer {
    Q_OBJECT
public:
    HttpFront(BackendListener &backend, FrontLimits limits, QObject *parent = nullptr);
    ~HttpFront() override;

    void setLimits(const FrontLimits &limits);
    [[nodiscard]] const FrontLimits &limits() const { return m_limits; }
    // TLS on every connection accepted from now on.
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }

    // After a stop: every response from now on closes its connection.
    void setStopping() { m_stopping = true; }
    [[nodiscard]] bool stopping() const { return m_stopping; }

Q_SIGNALS:
    // A valid upgrade request to /ws was read from socket, which has no parent now: the
    // receiver owns it and answers the handshake. Bytes after the request stay in the socket. The
    // front keeps counting the socket against its address until it is destroyed.
    void webSocketRequested(QTcpSocket *socket, const neonchat::server::http::RequestHead &request);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class FrontConnection;
    // Emits webSocketRequested, from the event loop, for a socket still connected.
    void startWebSocket(QTcpSocket *socket, const http::RequestHead &request);
    // Counts socket against its address until it is destroyed, wherever it lives then.
    void track(QTcpSocket *socket, const QHostAddress &address);

    BackendListener &m_backend;
    FrontLimits m_limits;
    std::optional<QSslConfiguration> m_tls;
    QHash<QHostAddress, int> m_perAddress;
    int m_open = 0;
    // Descriptors the connections may hold: an HTTP connection three (its socket and the socket
    // pair to the backend), a WebSocket one. The budget keeps descriptors in reserve.
    qint64 m_descriptorsHeld = 0;
    qint64 m_descriptorBudget = 0;
    bool m_stopping = false;
    QTimer m_resumeAccepting;
};

// One client connection while it speaks HTTP.
class FrontConnection : public QObject {
    Q_OBJECT
public:
    FrontConnection(HttpFront &front, QTcpSocket *socket);

private:
    enum class State { Head, Body, Backend, Draining, Done };

    void readClient();
    void readHead();
    void readBody();
    void handOverWebSocket();
    void forward();
    void readBackend();
    void finishRequest(bool closeAfter);
    void refuse(const http::FramingError &error);
    void closeAfterWrite();
    void lingerWhenWritten();
    void timedOut();
    void startDeadline(std::chrono::milliseconds timeout);
    [[nodiscard]] bool openBackend();

    HttpFront &m_front;
    QTcpSocket *m_socket;           // child of this
    QPointer<QTcpSocket> m_backend; // the front end of the socket pair, child of this
    State m_state = State::Head;
    bool m_headStarted = false; // bytes of the next request have arrived
    http::RequestHead m_head;
    QByteArray m_body;
    std::optional<http::ChunkedBody> m_chunked;
    QByteArray m_response;
    QTimer m_deadline;
};

} // namespace neonchat::server
