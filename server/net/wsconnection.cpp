// SPDX-License-Identifier: MIT
#include "wsconnection.h"

#include "httpfront.h"
#include "obs/log.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// What the TLS socket may hold of the client's bytes before they are framed: reading stops there
// and TCP pushes back on a client that writes faster than its session takes frames. (A plain
// connection reads one Poller::readBufferSize() per wake-up, so the kernel holds the rest.)
constexpr qint64 kReadBufferBytes = 64 * 1024;
// Frames gathered into one sendmsg(); the kernel takes at most its send buffer anyway.
constexpr int kFramesPerWrite = 64;
// A queue emptied after a burst (a sync replay) gives its room back above this many entries.
constexpr qsizetype kKeptQueueCapacity = 16;

[[nodiscard]] QAbstractSocket::SocketError errorOf(int code) {
    // As Qt's socket reports them: a reset or a broken pipe is the peer closing.
    return code == ECONNRESET || code == EPIPE ? QAbstractSocket::RemoteHostClosedError
                                               : QAbstractSocket::NetworkError;
}

// Takes the connection from the socket as a bare descriptor, or -1 to keep the socket (TLS, or
// something already buffered for writing, or no descriptor to spare).
[[nodiscard]] int takeDescriptor(QTcpSocket &socket) {
    if (qobject_cast<QSslSocket *>(&socket) != nullptr || socket.bytesToWrite() > 0 ||
        socket.socketDescriptor() < 0) {
        return -1;
    }
    // A duplicate keeps the connection open when the socket closes its own descriptor.
    return ::fcntl(static_cast<int>(socket.socketDescriptor()), F_DUPFD_CLOEXEC, 0);
}

} // namespace

WsConnection::WsConnection(QTcpSocket *socket, http::RequestHead request, qint64 maxMessageBytes,
                           Poller &poller, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_peer(socket->peerAddress())
    , m_reader(maxMessageBytes) {
    moveDescriptorLease(*socket, *this);
    m_descriptor = takeDescriptor(*socket);
    if (m_descriptor >= 0) {
        // What came behind the upgrade request is read first; the socket goes (its descriptor
        // closes, the duplicate keeps the connection).
        m_readAhead = socket->readAll();
        socket->abort();
        delete socket;
        // Frames are gathered per flush turn already; Nagle's algorithm would hold a lone frame
        // back until the peer acknowledges the last one, which a delayed ACK makes up to 40 ms.
        const int noDelay = 1;
        if (::setsockopt(m_descriptor, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof noDelay) != 0) {
            qCDebug(lcWs).noquote()
                << u"TCP_NODELAY not set: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
        }
        joinPoller(poller);
    } else {
        m_socket = socket;
        m_socket->setParent(this);
        m_socket->setReadBufferSize(kReadBufferBytes);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // see TCP_NODELAY above
        connect(m_socket, &QAbstractSocket::disconnected, this, [this] {
            m_error = m_socket->error();
            Q_EMIT disconnected();
        });
        connect(m_socket, &QIODevice::bytesWritten, this, [this] {
            writeSocket();
            if (m_reportWrites) {
                Q_EMIT bytesWritten();
            }
        });
    }
    queue("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
          ws::acceptKey(m_request.header("sec-websocket-key")) + "\r\n\r\n");
}

WsConnection::~WsConnection() {
    if (m_descriptor >= 0) {
        leavePoller();
        ::close(m_descriptor);
    }
}

QByteArrayView WsConnection::query() const {
    const qsizetype mark = m_request.target.indexOf('?');
    return mark < 0 ? QByteArrayView() : QByteArrayView(m_request.target).sliced(mark + 1);
}

void WsConnection::leavePoller() {
    if (m_descriptor >= 0 && m_poller) {
        m_poller->remove(m_descriptor, this);
    }
    m_poller = nullptr;
    m_interest = 0;
}

void WsConnection::joinPoller(Poller &poller) {
    if (m_descriptor < 0) {
        return;
    }
    m_poller = &poller;
    m_interest = wantedEvents();
    if (!poller.add(m_descriptor, this, m_interest)) {
        const int code = errno;
        qCWarning(lcWs).noquote() << u"a connection could not join its thread's poller: %1"_s.arg(
            QString::fromLocal8Bit(std::strerror(code)));
        m_poller = nullptr;
        // Reported from the event loop, once the owner has connected to disconnected().
        QMetaObject::invokeMethod(
            this, [this] { closeDescriptor(QAbstractSocket::NetworkError); }, Qt::QueuedConnection);
        return;
    }
    if (m_queuedBytes > 0) {
        poller.scheduleFlush(this);
    }
}

void WsConnection::startReading() {
    if (m_reading) {
        return;
    }
    m_reading = true;
    if (m_socket != nullptr) {
        connect(m_socket, &QIODevice::readyRead, this, [this] {
            while (!m_failed && m_socket->bytesAvailable() > 0 &&
                   take(m_socket->read(kReadBufferBytes))) {
            }
        });
    } else {
        updateInterest();
    }
    // Frames may have come right behind the upgrade request.
    if (!m_readAhead.isEmpty() && !take(std::exchange(m_readAhead, QByteArray()))) {
        return;
    }
    if (m_socket != nullptr && m_socket->bytesAvailable() > 0) {
        QMetaObject::invokeMethod(m_socket, &QIODevice::readyRead, Qt::QueuedConnection);
    }
}

bool WsConnection::take(QByteArrayView bytes) {
    QList<ws::Received> received;
    const std::optional<ws::Violation> violation = m_reader.feed(bytes, received);
    // A slot may end this connection's owner's state; the loop stops if it goes.
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
                queue(item.closeCode == ws::close::kNoStatus
                          ? ws::encodeFrame(ws::Opcode::Close, {})
                          : ws::encodeClose(item.closeCode, QString()));
            }
            m_failed = true; // nothing after a close frame is read
            disconnectWhenWritten();
            return false;
        }
        if (!alive || m_failed) {
            return false;
        }
    }
    if (violation) {
        m_failed = true;
        if (!m_closeSent) {
            m_closeSent = true;
            m_closeCode = violation->closeCode;
            queue(ws::encodeClose(violation->closeCode, violation->reason));
        }
        disconnectWhenWritten();
        return false;
    }
    return true;
}

void WsConnection::sendFrame(const QByteArray &frame) {
    if (!m_closeSent) {
        queue(frame);
    }
}

void WsConnection::ping() {
    if (!m_closeSent) {
        queue(ws::encodeFrame(ws::Opcode::Ping, {}));
    }
}

void WsConnection::pong(QByteArrayView payload) {
    if (!m_closeSent) {
        queue(ws::encodeFrame(ws::Opcode::Pong, payload));
    }
}

void WsConnection::close(quint16 code, const QString &reason) {
    if (m_closeSent) {
        return;
    }
    m_closeSent = true;
    m_closeCode = code;
    queue(ws::encodeClose(code, reason));
    if (m_closeReceived) {
        disconnectWhenWritten();
    }
}

void WsConnection::abort() {
    m_failed = true;
    if (m_socket != nullptr) {
        m_socket->abort();
    } else {
        closeDescriptor(m_error);
    }
}

void WsConnection::flush() {
    if (m_socket != nullptr) {
        writeSocket();
        m_socket->flush();
    } else {
        writeDescriptor();
    }
}

qint64 WsConnection::unsentBytes() const {
    return m_queuedBytes - m_headOffset + (m_socket != nullptr ? m_socket->bytesToWrite() : 0);
}

qsizetype WsConnection::unsentFrames() const {
    const bool socketHolds = m_socket != nullptr && m_socket->bytesToWrite() > 0;
    return m_queue.size() + (socketHolds ? m_framesInSocket : 0);
}

void WsConnection::queue(const QByteArray &frame) {
    if (m_descriptor >= 0) {
        m_queue.append(frame);
        m_queuedBytes += frame.size();
        // A connection waiting for room is written when the kernel reports it.
        if (m_poller && !m_kernelFull) {
            m_poller->scheduleFlush(this);
        }
    } else if (m_socket != nullptr) {
        m_queue.append(frame);
        m_queuedBytes += frame.size();
        writeSocket();
    }
}

void WsConnection::pollEvents(std::uint32_t events) {
    if (events & EPOLLOUT) {
        writeDescriptor();
        if (m_descriptor < 0) {
            return;
        }
        if (m_reportWrites) {
            Q_EMIT bytesWritten();
        }
        if (m_descriptor < 0) {
            return;
        }
    }
    if ((events & EPOLLIN) && m_reading && !m_failed) {
        readDescriptor();
    } else if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
        // Nothing more is read from this connection and its peer has gone, or it broke.
        int code = 0;
        socklen_t length = sizeof code;
        if ((events & EPOLLERR) &&
            ::getsockopt(m_descriptor, SOL_SOCKET, SO_ERROR, &code, &length) == 0 && code != 0) {
            closeDescriptor(errorOf(code));
        } else {
            closeDescriptor(QAbstractSocket::RemoteHostClosedError);
        }
    }
}

void WsConnection::flushTurn() {
    const qint64 before = unsentBytes();
    writeDescriptor();
    if (m_reportWrites && m_descriptor >= 0 && unsentBytes() < before) {
        Q_EMIT bytesWritten();
    }
}

void WsConnection::readDescriptor() {
    Poller &poller = *m_poller;
    const ssize_t got = ::read(m_descriptor, poller.readBuffer(), Poller::readBufferSize());
    if (got > 0) {
        // One read per wake-up: level triggered, the rest is reported again after the other
        // connections had their turn.
        take(QByteArrayView(poller.readBuffer(), got));
    } else if (got == 0) {
        closeDescriptor(QAbstractSocket::RemoteHostClosedError);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        closeDescriptor(errorOf(errno));
    }
}

void WsConnection::writeDescriptor() {
    while (m_descriptor >= 0 && !m_queue.isEmpty()) {
        std::array<iovec, kFramesPerWrite> parts{};
        const qsizetype count = std::min<qsizetype>(m_queue.size(), kFramesPerWrite);
        for (qsizetype i = 0; i < count; ++i) {
            const qsizetype skip = i == 0 ? m_headOffset : 0;
            // sendmsg() reads through iov_base; the frames stay shared and unmodified.
            parts[i].iov_base = const_cast<char *>(m_queue.at(i).constData() + skip);
            parts[i].iov_len = static_cast<std::size_t>(m_queue.at(i).size() - skip);
        }
        msghdr message{};
        message.msg_iov = parts.data();
        message.msg_iovlen = static_cast<std::size_t>(count);
        const ssize_t written = ::sendmsg(m_descriptor, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                m_kernelFull = true;
                updateInterest();
                return;
            }
            closeDescriptor(errorOf(errno));
            return;
        }
        qint64 left = written;
        qsizetype done = 0;
        while (done < count && left >= m_queue.at(done).size() - m_headOffset) {
            left -= m_queue.at(done).size() - m_headOffset;
            m_queuedBytes -= m_queue.at(done).size();
            m_headOffset = 0;
            ++done;
        }
        m_headOffset += left;
        m_queue.remove(0, done);
        // The kernel took part only: its buffer is full, and it says so when there is room.
        m_kernelFull = left > 0 || done < count;
        if (m_kernelFull) {
            break;
        }
    }
    if (m_descriptor < 0) {
        return;
    }
    if (m_queue.isEmpty() && m_queue.capacity() > kKeptQueueCapacity) {
        m_queue = {};
    }
    updateInterest();
    if (m_disconnecting && m_queue.isEmpty()) {
        closeDescriptor(m_error);
    }
}

void WsConnection::writeSocket() {
    if (m_socket == nullptr || m_queue.isEmpty() ||
        (m_socket->bytesToWrite() > 0 && !m_disconnecting)) {
        return;
    }
    // One write of everything queued: the socket encrypts it as one stream.
    QByteArray batch;
    if (m_queue.size() == 1) {
        batch = m_queue.front();
    } else {
        batch.reserve(m_queuedBytes);
        for (const QByteArray &frame : std::as_const(m_queue)) {
            batch.append(frame);
        }
    }
    m_framesInSocket = m_queue.size();
    m_queue.clear();
    m_queuedBytes = 0;
    m_socket->write(batch);
}

std::uint32_t WsConnection::wantedEvents() const {
    std::uint32_t events = EPOLLRDHUP;
    if (m_reading && !m_failed && !m_disconnecting) {
        events |= EPOLLIN;
    }
    if (m_kernelFull && !m_queue.isEmpty()) {
        events |= EPOLLOUT;
    }
    return events;
}

void WsConnection::updateInterest() {
    if (m_descriptor < 0 || !m_poller) {
        return;
    }
    const std::uint32_t wanted = wantedEvents();
    if (wanted != m_interest && m_poller->modify(m_descriptor, this, wanted)) {
        m_interest = wanted;
    }
}

void WsConnection::disconnectWhenWritten() {
    m_disconnecting = true;
    if (m_socket != nullptr) {
        writeSocket();
        m_socket->disconnectFromHost();
        return;
    }
    writeDescriptor();
}

void WsConnection::closeDescriptor(QAbstractSocket::SocketError error) {
    if (m_descriptor < 0) {
        return;
    }
    leavePoller();
    ::close(m_descriptor);
    m_descriptor = -1;
    m_error = error;
    m_failed = true;
    m_queue = {};
    m_queuedBytes = 0;
    m_headOffset = 0;
    Q_EMIT disconnected();
}

} // namespace neonchat::server
