// SPDX-License-Identifier: MIT
// A server WebSocket connection on a real loopback TCP pair in this process: the bare descriptor
// it takes over, its socket options, and its queue when the peer does not read for a while.
#include "net/poller.h"
#include "net/wsconnection.h"
#include "rawwebsocket.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using neonchat::server::Poller;
using neonchat::server::WsConnection;
using neonchat::testing::parseServerFrames;
using neonchat::testing::WireFrame;

namespace {

neonchat::server::http::RequestHead upgradeRequest() {
    neonchat::server::http::RequestHead request;
    request.method = "GET";
    request.target = "/ws";
    request.headers = {{"Host", "127.0.0.1"},
                       {"Upgrade", "websocket"},
                       {"Connection", "Upgrade"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                       {"Sec-WebSocket-Version", "13"}};
    request.webSocketUpgrade = true;
    return request;
}

// The descriptor of this process whose socket is bound to localPort and connected to peerPort.
std::optional<int> socketDescriptor(quint16 localPort, quint16 peerPort) {
    DIR *fds = ::opendir("/proc/self/fd");
    if (fds == nullptr) {
        return std::nullopt;
    }
    std::optional<int> found;
    while (const dirent *entry = ::readdir(fds)) {
        bool isNumber = false;
        const int fd = QByteArray(entry->d_name).toInt(&isNumber);
        sockaddr_in local{};
        sockaddr_in peer{};
        socklen_t localLength = sizeof local;
        socklen_t peerLength = sizeof peer;
        if (isNumber &&
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localLength) == 0 &&
            ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerLength) == 0 &&
            local.sin_family == AF_INET && ntohs(local.sin_port) == localPort &&
            ntohs(peer.sin_port) == peerPort) {
            found = fd;
        }
    }
    ::closedir(fds);
    return found;
}

// A client socket and the server side of its connection, made into a WsConnection.
struct Pair {
    QTcpServer listener;
    QTcpSocket client;
    std::unique_ptr<WsConnection> connection;
    QByteArray stream; // what the client read after the 101 response
    bool upgraded = false;

    bool open(Poller &poller) {
        if (!listener.listen(QHostAddress::LocalHost)) {
            return false;
        }
        // Small buffers on the client side, so that a client that does not read fills them soon.
        client.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
        client.setReadBufferSize(64 * 1024);
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!QTest::qWaitFor([&] { return listener.hasPendingConnections(); }, 5000)) {
            return false;
        }
        QTcpSocket *accepted = listener.nextPendingConnection();
        accepted->setParent(nullptr);
        connection = std::make_unique<WsConnection>(accepted, upgradeRequest(), 1 << 20, poller);
        return true;
    }

    // Reads what has arrived; the frames after the 101 response.
    QList<WireFrame> frames() {
        stream += client.readAll();
        if (!upgraded) {
            const qsizetype end = stream.indexOf("\r\n\r\n");
            if (end < 0) {
                return {};
            }
            upgraded = stream.startsWith("HTTP/1.1 101");
            stream.remove(0, end + 4);
        }
        qsizetype consumed = 0;
        return parseServerFrames(stream, &consumed);
    }
};

QByteArray textFrame(int index, qsizetype size) {
    QByteArray payload = QByteArray::number(index).rightJustified(8, '0');
    payload.append(QByteArray(size - payload.size(), 'x'));
    QByteArray frame;
    frame.append(static_cast<char>(0x81));
    frame.append(static_cast<char>(126));
    frame.append(static_cast<char>(payload.size() >> 8));
    frame.append(static_cast<char>(payload.size() & 0xff));
    return frame + payload;
}

} // namespace

class TestWsConnection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plainConnectionSendsWithoutNagleDelay() {
        // Frames are gathered per flush turn; left on, Nagle's algorithm held a lone frame back
        // until the peer acknowledged the previous one (a delayed ACK: up to 40 ms per frame).
        Poller poller;
        Pair pair;
        QVERIFY(pair.open(poller));
        const std::optional<int> descriptor =
            socketDescriptor(pair.listener.serverPort(), pair.client.localPort());
        QVERIFY(descriptor.has_value());
        int noDelay = 0;
        socklen_t length = sizeof noDelay;
        QCOMPARE(::getsockopt(*descriptor, IPPROTO_TCP, TCP_NODELAY, &noDelay, &length), 0);
        QVERIFY(noDelay != 0);
    }

    void burstLargerThanTheKernelTakesArrivesWholeAndInOrder() {
        // The client reads nothing until 8 MB are queued: writes stop part-way through frames,
        // and go on when the kernel has room again.
        Poller poller;
        Pair pair;
        QVERIFY(pair.open(poller));
        pair.connection->startReading();
        constexpr int kFrames = 2000;
        constexpr qsizetype kFrameBytes = 4000;
        for (int i = 0; i < kFrames; ++i) {
            pair.connection->sendFrame(textFrame(i, kFrameBytes));
        }
        QVERIFY(pair.connection->unsentFrames() >= kFrames); // nothing written before its turn
        QTRY_VERIFY(pair.connection->unsentFrames() < kFrames);
        QVERIFY(pair.connection->unsentFrames() > 0); // the kernel took what it could
        QVERIFY(pair.connection->unsentFrames() < kFrames);
        pair.client.setReadBufferSize(0);
        QList<WireFrame> frames;
        QTRY_COMPARE_WITH_TIMEOUT((frames = pair.frames()).size(), kFrames, 20000);
        QVERIFY(pair.upgraded);
        for (int i = 0; i < kFrames; ++i) {
            QCOMPARE(frames.at(i).opcode, 0x1);
            QCOMPARE(frames.at(i).payload.size(), kFrameBytes);
            QCOMPARE(frames.at(i).payload.left(8), QByteArray::number(i).rightJustified(8, '0'));
        }
        QCOMPARE(pair.connection->unsentFrames(), 0);
        QCOMPARE(pair.connection->unsentBytes(), 0);
    }

    void closeHandshakeEndsTheConnectionOnceWritten() {
        Poller poller;
        Pair pair;
        QVERIFY(pair.open(poller));
        QSignalSpy disconnected(pair.connection.get(), &WsConnection::disconnected);
        pair.connection->startReading();
        pair.connection->sendFrame(textFrame(1, 200));
        pair.connection->close(1001, u"going away"_s);
        QTRY_COMPARE(pair.frames().size(), 2);
        QCOMPARE(pair.frames().at(1).closeCode(), 1001);
        QCOMPARE(disconnected.size(), 0); // waits for the peer's close frame
        pair.client.write(neonchat::testing::encodeClientFrame(0x8, "\x03\xe9", true, true, 7));
        QVERIFY(disconnected.wait(5000));
        QTRY_COMPARE(pair.client.state(), QAbstractSocket::UnconnectedState);
    }

    void peerLeavingIsReportedOnce() {
        Poller poller;
        Pair pair;
        QVERIFY(pair.open(poller));
        QSignalSpy disconnected(pair.connection.get(), &WsConnection::disconnected);
        pair.connection->startReading();
        pair.client.abort();
        QVERIFY(disconnected.wait(5000));
        QTest::qWait(20);
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(pair.connection->socketError(), QAbstractSocket::RemoteHostClosedError);
        pair.connection->sendFrame(textFrame(1, 10)); // after the end: dropped, nothing breaks
        QCOMPARE(pair.connection->unsentFrames(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWsConnection)
#include "tst_wsconnection.moc"
