// SPDX-License-Identifier: MIT
#include "httpfront.h"

#include "obs/log.h"
#include "wsframing.h"

#include <QSslSocket>

#include <atomic>
#include <memory>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// Descriptors kept back from client connections: the database, log files, the socket pairs to
// Qt's HTTP server and the probes' connections must still get one when clients hold the rest.
constexpr int kReservedDescriptors = 256;
// Responses a client has not read yet; past this the next request waits until it reads.
constexpr qint64 kMaxUnsentResponseBytes = 256 * 1024;
// After a refusal the client gets this long to read it before the connection is cut.
constexpr int kLingerMs = 2000;
constexpr int kResumeAcceptingMs = 100;
// What the socket buffers of a streamed body before the exchange takes it: the piece size.
constexpr qint64 kStreamedReadBufferBytes = 64 * 1024;

class BridgeSocket : public QTcpSocket {
public:
    using QTcpSocket::QTcpSocket;
    void presentAs(const QHostAddress &peer, quint16 peerPort) {
        setPeerAddress(peer);
        setPeerPort(peerPort);
    }
};

// IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d; they are counted as a.b.c.d.
QHostAddress plainAddress(const QHostAddress &address) {
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

// An HTTP connection may hold its socket and a socket pair to the backend; a WebSocket only its
// socket.
constexpr int kHttpConnectionDescriptors = 3;
constexpr int kWebSocketDescriptors = 1;

qint64 descriptorBudget() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        return std::numeric_limits<qint64>::max();
    }
    return std::max<qint64>(static_cast<qint64>(limit.rlim_cur) - kReservedDescriptors,
                            16 * kHttpConnectionDescriptors);
}

// A child of a tracked socket: what the connection counts against the descriptor budget,
// lowered when it becomes a WebSocket. Shared with the release handler, which runs after this
// object is gone.
class DescriptorLease : public QObject {
    Q_OBJECT
public:
    DescriptorLease(std::shared_ptr<std::atomic<int>> cost, QObject *socket)
        : QObject(socket)
        , m_cost(std::move(cost)) {}
    [[nodiscard]] std::atomic<int> &cost() { return *m_cost; }

private:
    std::shared_ptr<std::atomic<int>> m_cost;
};

} // namespace

void moveDescriptorLease(QObject &socket, QObject &owner) {
    if (auto *lease = socket.findChild<DescriptorLease *>(QString(), Qt::FindDirectChildrenOnly)) {
        lease->setParent(&owner);
    }
}

bool BackendListener::offer(qintptr descriptor, const QHostAddress &peer, quint16 peerPort) {
    auto *socket = new BridgeSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(static_cast<int>(descriptor));
        return false;
    }
    socket->presentAs(peer, peerPort);
    m_pending.append(socket);
    return QMetaObject::invokeMethod(this, "pendingConnectionAvailable", Qt::DirectConnection);
}

bool BackendListener::hasPendingConnections() const {
    return !m_pending.isEmpty();
}

QTcpSocket *BackendListener::nextPendingConnection() {
    return m_pending.isEmpty() ? nullptr : m_pending.takeFirst();
}

HttpFront::HttpFront(BackendListener &backend, FrontLimits limits, QObject *parent)
    : QTcpServer(parent)
    , m_backend(backend)
    , m_limits(std::move(limits))
    , m_descriptorBudget(descriptorBudget()) {
    // Qt stops accepting for good when accept() fails for want of descriptors (EMFILE); the
    // listener is resumed shortly after, once connections have had a chance to end.
    m_resumeAccepting.setSingleShot(true);
    m_resumeAccepting.setInterval(kResumeAcceptingMs);
    connect(&m_resumeAccepting, &QTimer::timeout, this, &QTcpServer::resumeAccepting);
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcHttp).noquote()
            << u"accepting a connection failed (%1); open connections: %2"_s.arg(
                   QString::number(error), QString::number(m_open));
        if (isListening() && !m_resumeAccepting.isActive()) {
            m_resumeAccepting.start();
        }
    });
    // Connections are taken as they come; Qt's pending queue is not used.
    setMaxPendingConnections(std::numeric_limits<int>::max());
}

HttpFront::~HttpFront() = default;

void HttpFront::setLimits(const FrontLimits &limits) {
    m_limits = limits;
}

void HttpFront::incomingConnection(qintptr descriptor) {
    QTcpSocket *socket = m_tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp).noquote()
            << u"could not take a connection: %1"_s.arg(socket->errorString());
        delete socket;
        ::close(static_cast<int>(descriptor));
        return;
    }
    const QHostAddress peer = plainAddress(socket->peerAddress());
    track(socket, peer);
    std::optional<http::FramingError> refusal;
    if (m_limits.maxConnectionsPerAddress > 0 &&
        m_perAddress.value(peer) > m_limits.maxConnectionsPerAddress) {
        refusal = http::FramingError{
            429, "too_many_connections"_ba,
            u"more than %1 connections from your address"_s.arg(m_limits.maxConnectionsPerAddress)};
    } else if (m_descriptorsHeld > m_descriptorBudget) {
        refusal = http::FramingError{503, "overloaded"_ba,
                                     u"the server holds as many connections as it can"_s,
                                     "Retry-After: 5\r\n"_ba};
    }
    if (refusal) {
        qCInfo(lcHttp).noquote() << u"refused a connection from %1: %2"_s.arg(peer.toString(),
                                                                              refusal->message);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kLingerMs, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        if (!m_tls) {
            // Plain HTTP can be told why at once; a TLS client would need a handshake first.
            socket->write(http::errorResponse(*refusal));
        }
        socket->disconnectFromHost();
        return;
    }
    if (m_tls) {
        auto *tlsSocket = static_cast<QSslSocket *>(socket);
        tlsSocket->setSslConfiguration(*m_tls);
        tlsSocket->startServerEncryption();
    }
    new FrontConnection(*this, socket);
}

void HttpFront::startWebSocket(QTcpSocket *socket, const http::RequestHead &request) {
    socket->setParent(nullptr);
    // Its HTTP side is gone: from now on the connection holds its socket only.
    if (auto *lease = socket->findChild<DescriptorLease *>(QString(), Qt::FindDirectChildrenOnly)) {
        m_descriptorsHeld -= lease->cost().exchange(kWebSocketDescriptors) - kWebSocketDescriptors;
    }
    if (socket->state() != QAbstractSocket::ConnectedState) {
        socket->deleteLater(); // the client left before its session began
        return;
    }
    Q_EMIT webSocketRequested(socket, request);
}

void HttpFront::track(QTcpSocket *socket, const QHostAddress &address) {
    ++m_open;
    ++m_perAddress[address];
    m_descriptorsHeld += kHttpConnectionDescriptors;
    // A child of the socket reports its end: Qt's WebSocket code disconnects every signal of
    // the socket it wraps, its destroyed() included, so that one cannot be relied upon. The
    // report may come from a worker thread (a WebSocket's socket lives there); it is queued here.
    auto cost = std::make_shared<std::atomic<int>>(kHttpConnectionDescriptors);
    auto *lease = new DescriptorLease(cost, socket);
    connect(lease, &QObject::destroyed, this, [this, address, cost] {
        --m_open;
        m_descriptorsHeld -= cost->load();
        auto count = m_perAddress.find(address);
        if (count != m_perAddress.end() && --count.value() <= 0) {
            m_perAddress.erase(count);
        }
    });
}

StreamedExchange::StreamedExchange(FrontConnection &connection)
    : QObject(&connection)
    , m_connection(connection) {}

FrontConnection::FrontConnection(HttpFront &front, QTcpSocket *socket)
    : QObject(&front)
    , m_front(front)
    , m_socket(socket) {
    m_socket->setParent(this);
    // The head is read where it lies (peek): this bounds what the socket buffers meanwhile.
    m_socket->setReadBufferSize(m_front.limits().framing.maxHeadBytes + 1);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &FrontConnection::timedOut);
    connect(m_socket, &QIODevice::readyRead, this, &FrontConnection::readClient);
    connect(m_socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState) {
            deleteLater();
        }
    });
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        if (m_state == State::Streamed && m_exchange && hasRoomToWrite()) {
            startDeadline(m_front.limits().responseTimeout);
            m_exchange->writable();
            return;
        }
        if (m_state == State::Draining && m_socket->bytesToWrite() <= kMaxUnsentResponseBytes) {
            m_state = State::Head;
            readHead();
        }
    });
    // The first request's head must be complete this long after the connection (TLS included).
    m_headStarted = true;
    startDeadline(m_front.limits().headTimeout);
}

void FrontConnection::startDeadline(std::chrono::milliseconds timeout) {
    m_deadline.start(timeout);
}

void FrontConnection::readClient() {
    switch (m_state) {
    case State::Head:
        readHead();
        return;
    case State::Body:
        readBody();
        return;
    case State::Streamed:
        readStreamedBody();
        return;
    case State::Done:
        // Lingering after a refusal: what the client still sends is read and dropped, so its
        // kernel does not answer our response with a reset before the client read it.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    case State::Backend:
    case State::Draining:
        // The next request waits in the socket's bounded buffer until this one is answered.
        return;
    }
}

void FrontConnection::readHead() {
    const qint64 available = m_socket->bytesAvailable();
    if (available == 0) {
        return;
    }
    if (!m_headStarted) {
        m_headStarted = true;
        startDeadline(m_front.limits().headTimeout);
    }
    const http::FramingLimits &limits = m_front.limits().framing;
    const QByteArray buffered =
        m_socket->peek(std::min<qint64>(available, limits.maxHeadBytes + 1));
    // The head is read with the largest body any route takes; the route's own limit follows.
    http::FramingLimits headLimits = limits;
    headLimits.maxBodyBytes = std::max(limits.maxBodyBytes, m_front.limits().maxStreamedBodyBytes);
    http::HeadResult result = http::parseRequestHead(buffered, headLimits);
    if (std::holds_alternative<http::NeedMoreData>(result)) {
        return;
    }
    if (const auto *error = std::get_if<http::FramingError>(&result)) {
        refuse(*error);
        return;
    }
    m_head = std::get<http::RequestHead>(std::move(result));
    if (m_head.webSocketUpgrade && m_head.method == "GET" && m_head.path() == "/ws") {
        handOverWebSocket();
        return;
    }
    // Other upgrade requests are served as plain requests (a server may ignore Upgrade, RFC 9110
    // §7.8): only /ws ever upgrades.
    if (m_socket->skip(m_head.headLength) != m_head.headLength) {
        refuse(http::FramingError{400, "bad_request"_ba, u"the request head could not be read"_s});
        return;
    }
    m_body.clear();
    m_chunked.reset();
    if (m_front.m_streamedRoutes) {
        if (StreamedExchange *exchange = m_front.m_streamedRoutes(*this, m_head)) {
            m_exchange = exchange;
            m_state = State::Streamed;
            m_streamLeft =
                m_head.bodyFraming == http::BodyFraming::Length ? m_head.contentLength : 0;
            // A request without a body has it complete at once: the exchange answers from start().
            m_streamComplete = m_head.bodyFraming == http::BodyFraming::None;
            m_exchangeWantsBody = true;
            m_responseStarted = false;
            if (m_head.bodyFraming == http::BodyFraming::Chunked) {
                m_chunked.emplace(m_front.limits().maxStreamedBodyBytes);
            }
            m_socket->setReadBufferSize(kStreamedReadBufferBytes);
            startDeadline(m_streamComplete ? m_front.limits().responseTimeout
                                           : m_front.limits().bodyTimeout);
            exchange->start();
            if (m_state != State::Streamed || m_exchange != exchange) {
                return; // answered already
            }
            if (m_head.bodyFraming != http::BodyFraming::None &&
                m_head.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            readStreamedBody();
            return;
        }
    }
    if (m_head.bodyFraming == http::BodyFraming::Length &&
        m_head.contentLength > limits.maxBodyBytes) {
        refuse(http::FramingError{413, "too_large"_ba,
                                  u"the body is larger than %1 bytes"_s.arg(limits.maxBodyBytes)});
        return;
    }
    if (m_head.bodyFraming == http::BodyFraming::None) {
        forward();
        return;
    }
    if (m_head.bodyFraming == http::BodyFraming::Chunked) {
        m_chunked.emplace(limits.maxBodyBytes);
    }
    m_state = State::Body;
    startDeadline(m_front.limits().bodyTimeout);
    if (m_head.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    readBody();
}

void FrontConnection::handOverWebSocket() {
    if (m_head.minorVersion != 1) {
        refuse(http::FramingError{400, "bad_request"_ba, u"a WebSocket upgrade needs HTTP/1.1"_s});
        return;
    }
    if (m_head.header("sec-websocket-version") != "13") {
        refuse(http::FramingError{426, "upgrade_required"_ba,
                                  u"only WebSocket version 13 is spoken"_s,
                                  "Sec-WebSocket-Version: 13\r\n"_ba});
        return;
    }
    if (!ws::isValidClientKey(m_head.header("sec-websocket-key"))) {
        refuse(http::FramingError{400, "bad_request"_ba,
                                  u"Sec-WebSocket-Key must be 16 bytes in base64"_s});
        return;
    }
    if (m_socket->skip(m_head.headLength) != m_head.headLength) {
        refuse(http::FramingError{400, "bad_request"_ba, u"the request head could not be read"_s});
        return;
    }
    m_deadline.stop();
    m_state = State::Done;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    // Handed over from the event loop, not from here: this runs inside the socket's readyRead,
    // and the receiver may move the socket to a worker thread at once. Qt's socket code still
    // writes the socket's state on the way out of that emission, on this thread, racing the
    // worker: a readyRead the worker then never emitted left a session that read nothing more.
    socket->setParent(&m_front);
    QMetaObject::invokeMethod(
        &m_front,
        [front = &m_front, socket, request = m_head] { front->startWebSocket(socket, request); },
        Qt::QueuedConnection);
    deleteLater();
}

void FrontConnection::readBody() {
    while (m_state == State::Body && m_socket->bytesAvailable() > 0) {
        if (m_chunked) {
            const QByteArray buffered = m_socket->peek(m_socket->bytesAvailable());
            const qsizetype taken = m_chunked->feed(buffered);
            m_socket->skip(taken);
            if (m_chunked->error()) {
                refuse(*m_chunked->error());
                return;
            }
            if (m_chunked->done()) {
                m_body = m_chunked->body();
                forward();
            }
            continue;
        }
        const qint64 missing = m_head.contentLength - m_body.size();
        m_body.append(m_socket->read(std::min(missing, m_socket->bytesAvailable())));
        if (m_body.size() == m_head.contentLength) {
            forward();
        }
    }
}

void FrontConnection::readStreamedBody() {
    if (m_readingStream) {
        return; // takeMore() from within receive(): the loop below goes on
    }
    m_readingStream = true;
    while (m_state == State::Streamed && m_exchange && m_exchangeWantsBody && !m_streamComplete) {
        QByteArray piece;
        if (m_chunked) {
            if (m_socket->bytesAvailable() == 0) {
                break;
            }
            const QByteArray buffered = m_socket->peek(m_socket->bytesAvailable());
            m_socket->skip(m_chunked->feed(buffered));
            if (m_chunked->error()) {
                const http::FramingError error = *m_chunked->error();
                m_readingStream = false;
                refuse(error);
                return;
            }
            piece = m_chunked->takeBody();
            m_streamComplete = m_chunked->done();
            if (piece.isEmpty() && !m_streamComplete) {
                continue;
            }
        } else {
            const qint64 n = std::min(m_streamLeft, m_socket->bytesAvailable());
            if (n == 0) {
                break;
            }
            piece = m_socket->read(n);
            m_streamLeft -= piece.size();
            m_streamComplete = m_streamLeft == 0;
        }
        m_exchangeWantsBody = false;
        startDeadline(m_streamComplete ? m_front.limits().responseTimeout
                                       : m_front.limits().bodyTimeout);
        m_exchange->receive(piece, m_streamComplete);
    }
    m_readingStream = false;
}

QHostAddress FrontConnection::peer() const {
    return m_socket ? plainAddress(m_socket->peerAddress()) : QHostAddress();
}

void FrontConnection::takeMore() {
    if (m_state != State::Streamed || m_streamComplete) {
        return;
    }
    m_exchangeWantsBody = true;
    // Waiting on storage is not the client's delay.
    startDeadline(m_front.limits().bodyTimeout);
    readStreamedBody();
}

void FrontConnection::writeResponse(const QByteArray &bytes) {
    if (m_state != State::Streamed) {
        return;
    }
    m_responseStarted = true;
    startDeadline(m_front.limits().responseTimeout);
    m_socket->write(bytes);
}

bool FrontConnection::hasRoomToWrite() const {
    return m_socket->bytesToWrite() <= kMaxUnsentResponseBytes;
}

bool FrontConnection::closesAfterResponse() const {
    return !m_head.keepAlive || m_front.stopping() || !m_streamComplete;
}

void FrontConnection::responseComplete() {
    if (m_state != State::Streamed) {
        return;
    }
    const bool closeAfter = closesAfterResponse();
    if (m_exchange) {
        m_exchange->deleteLater();
        m_exchange = nullptr;
    }
    m_chunked.reset();
    m_socket->setReadBufferSize(m_front.limits().framing.maxHeadBytes + 1);
    finishRequest(closeAfter);
}

bool FrontConnection::openBackend() {
    if (m_backend && m_backend->state() == QAbstractSocket::ConnectedState) {
        return true;
    }
    int pair[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        return false;
    }
    auto *backend = new QTcpSocket(this);
    if (!backend->setSocketDescriptor(pair[0])) {
        delete backend;
        ::close(pair[0]);
        ::close(pair[1]);
        return false;
    }
    if (!m_front.m_backend.offer(pair[1], m_socket->peerAddress(), m_socket->peerPort())) {
        delete backend;
        return false;
    }
    m_backend = backend;
    connect(backend, &QIODevice::readyRead, this, &FrontConnection::readBackend);
    connect(backend, &QAbstractSocket::disconnected, this, [this] {
        if (m_state == State::Backend) {
            refuse(http::FramingError{502, "bad_gateway"_ba, u"the request was not answered"_s});
        }
    });
    return true;
}

void FrontConnection::forward() {
    m_state = State::Backend;
    if (!openBackend()) {
        refuse(http::FramingError{503, "overloaded"_ba,
                                  u"the server could not take the request; try again"_s});
        return;
    }
    m_response.clear();
    m_backend->write(http::serializeForBackend(m_head, m_body));
    m_body.clear();
    m_chunked.reset();
    startDeadline(m_front.limits().responseTimeout);
}

void FrontConnection::readBackend() {
    m_response.append(m_backend->readAll());
    if (m_state != State::Backend) {
        m_response.clear();
        return;
    }
    bool malformed = false;
    const std::optional<http::ResponseHead> head = http::parseResponseHead(m_response, &malformed);
    if (malformed) {
        qCWarning(lcHttp) << "the HTTP server wrote a response the front cannot frame";
        refuse(http::FramingError{502, "bad_gateway"_ba, u"the response could not be read"_s});
        return;
    }
    if (!head || m_response.size() < head->headLength + head->contentLength) {
        return;
    }
    const bool closeAfter = !m_head.keepAlive || m_front.stopping();
    m_socket->write(http::finishResponse(
        QByteArrayView(m_response).first(head->headLength + head->contentLength), *head,
        closeAfter));
    m_response.clear();
    finishRequest(closeAfter);
}

void FrontConnection::finishRequest(bool closeAfter) {
    if (closeAfter) {
        closeAfterWrite();
        return;
    }
    m_headStarted = false;
    startDeadline(m_front.limits().keepAliveTimeout);
    if (m_socket->bytesToWrite() > kMaxUnsentResponseBytes) {
        m_state = State::Draining;
        return;
    }
    m_state = State::Head;
    // A pipelined request may be buffered already.
    readHead();
}

void FrontConnection::refuse(const http::FramingError &error) {
    qCInfo(lcHttp).noquote() << u"refused a request from %1: %2 %3"_s.arg(
        m_socket->peerAddress().toString(), QString::number(error.status), error.message);
    m_socket->write(http::errorResponse(error));
    closeAfterWrite();
}

void FrontConnection::closeAfterWrite() {
    m_state = State::Done;
    m_body.clear();
    m_chunked.reset();
    if (m_exchange) {
        m_exchange->deleteLater();
        m_exchange = nullptr;
    }
    if (m_backend) {
        m_backend->abort();
    }
    startDeadline(std::chrono::milliseconds(kLingerMs));
    if (m_socket->bytesToWrite() == 0) {
        lingerWhenWritten();
    } else {
        connect(m_socket, &QIODevice::bytesWritten, this, [this] {
            if (m_socket->bytesToWrite() == 0) {
                lingerWhenWritten();
            }
        });
    }
    readClient();
}

void FrontConnection::lingerWhenWritten() {
    if (qobject_cast<QSslSocket *>(m_socket)) {
        // TLS has a close of its own; Qt sends it with the disconnect.
        m_socket->disconnectFromHost();
        return;
    }
    // Half-close: the client reads the response to its end, while what it still sends is read
    // and dropped until it closes too or the linger time runs out.
    if (::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR) != 0) {
        m_socket->abort();
    }
}

void FrontConnection::timedOut() {
    switch (m_state) {
    case State::Head:
        // A connection that never sent a byte is closed without an answer.
        if (m_headStarted && m_socket->bytesAvailable() > 0) {
            refuse(http::FramingError{408, "request_timeout"_ba,
                                      u"the request head did not arrive in time"_s});
        } else {
            m_socket->disconnectFromHost();
        }
        return;
    case State::Body:
        refuse(http::FramingError{408, "request_timeout"_ba,
                                  u"the request body did not arrive in time"_s});
        return;
    case State::Streamed:
        if (m_responseStarted) {
            m_socket->abort(); // a response cut short: the client sees it end early
        } else if (!m_streamComplete) {
            refuse(http::FramingError{408, "request_timeout"_ba,
                                      u"the request body stopped arriving"_s});
        } else {
            refuse(
                http::FramingError{504, "timeout"_ba, u"the request took too long; try again"_s});
        }
        return;
    case State::Backend:
        qCWarning(lcHttp).noquote() << u"a request to %1 was not answered within %2 ms"_s.arg(
            QString::fromLatin1(m_head.path()),
            QString::number(m_front.limits().responseTimeout.count()));
        refuse(http::FramingError{504, "timeout"_ba, u"the request took too long; try again"_s});
        return;
    case State::Draining:
    case State::Done:
        m_socket->abort();
        return;
    }
}

} // namespace neonchat::server

#include "httpfront.moc"
