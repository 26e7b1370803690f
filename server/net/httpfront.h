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
#include <functional>
#include <optional>

namespace neonchat::server {

struct FrontLimits {
    http::FramingLimits framing;
    std::chrono::milliseconds headTimeout{10'000};      // the whole head of a request
    std::chrono::milliseconds bodyTimeout{30'000};      // the whole body after its head
    std::chrono::milliseconds keepAliveTimeout{60'000}; // waiting for the next request
    std::chrono::milliseconds responseTimeout{60'000};  // the server's answer to one request
    // The largest body a streamed request may have (uploads); other requests keep
    // framing.maxBodyBytes. A streamed body or response must make progress within bodyTimeout
    // and responseTimeout, however long it takes as a whole.
    qint64 maxStreamedBodyBytes = 0;
    int maxConnectionsPerAddress = 0; // 0: no limit
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

// A request the front serves itself instead of handing it whole to Qt's server: its body is passed
// on as it arrives, as fast as the exchange takes it, and its response is written as the exchange
// makes it, so that neither is ever held in memory whole (CONTRACT §9 files). A child of its
// connection: it dies with the connection when the client leaves.
class StreamedExchange : public QObject {
    Q_OBJECT
public:
    explicit StreamedExchange(FrontConnection &connection);

    // The front made this the request's exchange: it may answer at once (a refusal before the
    // body is read), else the body follows.
    virtual void start() {}
    // The next piece of the body; last: the body is complete. No further piece comes before
    // connection().takeMore(). Not called for a request without a body.
    virtual void receive(const QByteArray &piece, bool last) = 0;
    // The client has taken most of what was written: a streamed response may go on.
    virtual void writable() {}

protected:
    [[nodiscard]] FrontConnection &connection() const { return m_connection; }

private:
    FrontConnection &m_connection;
};

// The exchange that serves this request, a new child of connection, or nullptr when Qt's server
// is to serve it.
using StreamedRoutes =
    std::function<StreamedExchange *(FrontConnection &connection, const http::RequestHead &head)>;

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

    // Requests that take this route are streamed (StreamedExchange) rather than handed to Qt.
    void setStreamedRoutes(StreamedRoutes routes) { m_streamedRoutes = std::move(routes); }

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
    StreamedRoutes m_streamedRoutes;
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

    // For a StreamedExchange.
    [[nodiscard]] QHostAddress peer() const;
    // The exchange took the last piece of the body: the next may come.
    void takeMore();
    void writeResponse(const QByteArray &bytes);
    // Whether the client has room for more of a streamed response now (else writable() follows).
    [[nodiscard]] bool hasRoomToWrite() const;
    // Whether the connection ends after this response: the client asked for it, the server is
    // stopping, or the body was not read to its end.
    [[nodiscard]] bool closesAfterResponse() const;
    // The exchange wrote its whole response; the connection goes on to the next request.
    void responseComplete();

private:
    enum class State { Head, Body, Backend, Streamed, Draining, Done };

    void readClient();
    void readHead();
    void readBody();
    void readStreamedBody();
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
    // A streamed request: its exchange, what of a Content-Length body is still to come, and
    // whether the exchange waits for the next piece.
    QPointer<StreamedExchange> m_exchange;
    qint64 m_streamLeft = 0;
    bool m_streamComplete = false;
    bool m_exchangeWantsBody = false;
    bool m_readingStream = false;
    bool m_responseStarted = false;
    QByteArray m_response;
    QTimer m_deadline;
};

} // namespace neonchat::server
