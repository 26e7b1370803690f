// SPDX-License-Identifier: MIT
// What one anonymous client that can reach the port can do to chat-server: each test replays a
// finding of an attack run against a real server over real sockets (raw ones where a Qt client
// would be too polite) and checks the bound that now holds. Memory is read from /proc.
//
// Outside sanitizer builds the server runs under `prlimit --as=1.5G`: an allocation that limit
// refuses ends the process, so "the server still answers" at the end of a test also means that
// nothing the client sent made it allocate without bound. AddressSanitizer reserves terabytes of
// address space up front, so its builds run the same tests without that limit.
#include "accounts.h"
#include "http.h"
#include "protocol/protocol.h"
#include "rawconnection.h"
#include "rawwebsocket.h"
#include "serverprocess.h"
#include "stalledpeer.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSpaceCapped = false;
#else
constexpr bool kAddressSpaceCapped = true;
#endif

QStringList launcher(const QStringList &moreLimits = {}) {
    QStringList command;
    if (!kAddressSpaceCapped) {
        // AddressSanitizer keeps freed memory in a quarantine of 256 MiB by default, which would
        // read as growth; a small one lets freed blocks be reused as in a normal build.
        command << u"env"_s << u"ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8"_s;
    }
    command << u"prlimit"_s;
    if (kAddressSpaceCapped) {
        command << u"--as=%1"_s.arg(1536 * kMiB);
    }
    command << moreLimits << u"--"_s;
    return command;
}

[[nodiscard]] bool startServer(ServerProcess &server, const QStringList &arguments = {},
                               const QStringList &moreLimits = {}) {
    server.setLauncher(launcher(moreLimits));
    return server.start(arguments);
}

// The server still answers its probe, from an address of its own (not the attacker's).
[[nodiscard]] bool stillServes(ServerProcess &server) {
    RawConnection probe;
    if (!probe.open(server.port(), QHostAddress(u"127.0.0.2"_s))) {
        return false;
    }
    probe.write("GET /healthz HTTP/1.1\r\nHost: probe\r\n\r\n"_ba);
    return probe.waitForResponses(1) && probe.responses().constFirst().status == 200;
}

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders + "\r\n";
}

QByteArray postJson(const QByteArray &target, const QJsonObject &body) {
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" +
           json;
}

QJsonObject credentials(const QString &username, const QString &password) {
    return QJsonObject{{"username"_L1, username}, {"password"_L1, password}};
}

// One request from each source address at once (127.0.0.0/8 is all loopback); the answers in
// the order of the addresses.
QList<RawResponse> fromAddresses(quint16 port, const QStringList &sources,
                                 const QByteArray &request) {
    std::vector<std::unique_ptr<RawConnection>> clients;
    for (const QString &source : sources) {
        auto client = std::make_unique<RawConnection>();
        if (client->open(port, QHostAddress(source))) {
            client->write(request);
        }
        clients.push_back(std::move(client));
    }
    QList<RawResponse> answers;
    for (const auto &client : clients) {
        answers.append(client->waitForResponses(1, 60000) ? client->responses().constFirst()
                                                          : RawResponse{});
    }
    return answers;
}

QStringList addresses(int thirdOctet, int count) {
    QStringList out;
    for (int i = 1; i <= count; ++i) {
        out.append(u"127.0.%1.%2"_s.arg(thirdOctet).arg(i));
    }
    return out;
}

// How much the server's peak resident memory (VmHWM) grew since this was made.
class PeakGrowth {
public:
    explicit PeakGrowth(ServerProcess &server)
        : m_pid(server.process().processId())
        , m_before(processMemory(m_pid).peak) {}

    [[nodiscard]] bool below(qint64 bytes) const { return grown() < bytes; }
    [[nodiscard]] QByteArray describe() const {
        return "peak memory grew by " + QByteArray::number(grown() / kMiB) + " MiB";
    }

private:
    [[nodiscard]] qint64 grown() const { return processMemory(m_pid).peak - m_before; }

    qint64 m_pid;
    qint64 m_before;
};

} // namespace

class TestAdversarial : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Finding 1: one guest sending 125-byte pings and never reading the pongs took the server
    // from 42 MB to 4 GB in 30 s.
    void pingFloodIsRateLimitedAndBounded() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const PeakGrowth growth(server);
        RawWebSocket flooder;
        QVERIFY(flooder.open(server.port(), u"name=pinger"_s));
        flooder.socket().setReadBufferSize(1); // never reads the pongs
        const QByteArray payload(125, 'p');
        QDeadlineTimer flood(15000);
        while (!flood.hasExpired() && flooder.socket().state() == QAbstractSocket::ConnectedState) {
            for (int i = 0; i < 500; ++i) {
                flooder.sendFrame(0x9, payload);
            }
            flooder.socket().waitForBytesWritten(50);
        }
        // Closed for not reading (the pongs fill the send budget) or for flooding (5 s over the
        // rate). The close frame waits behind the unread pongs and the connection is cut after
        // a grace time, so the metrics say which it was.
        flooder.socket().setReadBufferSize(0);
        QTRY_VERIFY_WITH_TIMEOUT(flooder.socket().state() == QAbstractSocket::UnconnectedState ||
                                     (flooder.socket().readAll(), false),
                                 15000);
        const QByteArray metrics = httpGet(server.httpUrl(u"/metrics"_s)).body;
        QCOMPARE(
            metricValue(metrics, R"(broadcast_disconnects_total{reason="slow_consumer"})"_ba) +
                metricValue(metrics, R"(broadcast_disconnects_total{reason="rate_limited"})"_ba),
            1.0);
        QVERIFY(stillServes(server));
        QVERIFY2(growth.below(32 * kMiB), growth.describe().constData());
    }

    // Finding 3: 1,000 guests that never read plus writers of 4,096-emoji messages took 5.3 GB
    // with no 1013: the slow-client limit counted messages, not bytes.
    void slowReaderIsDroppedByBytesQueued() {
        ServerProcess server;
        QVERIFY2(
            startServer(server, {u"--rate-limit"_s, u"1000"_s, u"--send-buffer"_s, u"100000"_s}),
            qPrintable(server.log()));
        StalledPeer stalled;
        QVERIFY(stalled.open(server.port(), u"name=stalled"_s));
        TestClient writer;
        QVERIFY(!writer.join(server.wsUrl(u"name=writer"_s)).isEmpty());
        const PeakGrowth growth(server);
        const QString emoji = QString(u"\U0001F600"_s).repeated(4096);
        for (int i = 0; i < 400; ++i) {
            writer.sendJson(QJsonObject{{"type"_L1, "message"_L1}, {"text"_L1, emoji}});
            if (i % 50 == 49) {
                QTRY_COMPARE_WITH_TIMEOUT(writer.framesOfType(u"message_sent"_s).size(), i + 1,
                                          20000);
            }
        }
        // 400 messages of 16 KiB are 6.4 MiB; the stalled reader is dropped at 512 KiB unsent.
        QCOMPARE(stalled.readCloseCode(), 1013);
        const HttpResult metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metricValue(metrics.body, "broadcast_dropped_total"_ba), 1.0);
        QVERIFY2(growth.below(32 * kMiB), growth.describe().constData());
    }

    // Finding 7: a sync of 1,000 messages of 16 KB closed a reader taking 8 MB/s with 1013 after
    // 614 of them: the replay went into the send queue at once.
    void catchingUpReaderIsPacedNotDropped() {
        ServerProcess server;
        QVERIFY2(startServer(server, {u"--rate-limit"_s, u"1000"_s}), qPrintable(server.log()));
        TestClient writer;
        QVERIFY(!writer.join(server.wsUrl(u"name=writer"_s)).isEmpty());
        const QString text = QString(u"\U0001F600"_s).repeated(4096); // 16 KiB of UTF-8
        constexpr int kStored = 1001;
        for (int i = 0; i < kStored; ++i) {
            writer.sendJson(QJsonObject{{"type"_L1, "message"_L1}, {"text"_L1, text}});
            if (i % 100 == 99 || i == kStored - 1) {
                QTRY_COMPARE_WITH_TIMEOUT(writer.framesOfType(u"message_sent"_s).size(), i + 1,
                                          60000);
            }
        }
        RawWebSocket reader;
        QVERIFY(reader.open(server.port(), u"name=reader"_s));
        QVERIFY(!reader.waitForType(u"welcome"_s).isEmpty());
        // A reader taking about 3 MB/s (64 KiB every 20 ms) of a 16 MB replay, more than the
        // kernel buffers between them hold.
        reader.socket().setReadBufferSize(64 * 1024);
        QTimer drip;
        connect(&drip, &QTimer::timeout, this, [&reader] { (void)reader.frames(); });
        drip.start(20);
        reader.sendText(QJsonObject{{"type"_L1, "sync"_L1},
                                    {"chat_id"_L1, QLatin1StringView(neonchat::protocol::kLobbyId)},
                                    {"after_seq"_L1, 0}});
        const QJsonObject done = reader.waitForType(u"sync_done"_s, 120000);
        drip.stop();
        QVERIFY2(!done.isEmpty(), qPrintable(QString::number(reader.waitForCloseCode(0))));
        QCOMPARE(done.value("has_more"_L1).toBool(), true);
        qint64 expectedSeq = 1;
        int replayed = 0;
        for (const WireFrame &frame : reader.frames()) {
            const QJsonObject object = QJsonDocument::fromJson(frame.payload).object();
            QVERIFY2(frame.opcode != 0x8, "the reader was closed");
            if (object.value("type"_L1).toString() == "new_message"_L1) {
                QCOMPARE(object["message"_L1]["seq"_L1].toInteger(), expectedSeq++);
                ++replayed;
            }
        }
        QCOMPARE(replayed, 1000);
    }

    // Finding 8: valid UTF-8 split across fragments ("é" across two frames) was refused with 1007.
    void utf8SplitAcrossFragmentsIsOneMessage() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        RawWebSocket client;
        QVERIFY(client.open(server.port(), u"name=fragments"_s));
        QVERIFY(!client.waitForType(u"welcome"_s).isEmpty());
        const QByteArray message =
            "{\"type\":\"message\",\"request_id\":\"r1\",\"text\":\"caf\xc3\xa9 ok\"}"_ba;
        const qsizetype split = message.indexOf('\xc3') + 1; // between the two bytes of é
        client.sendFrame(0x1, message.first(split), false);
        client.sendFrame(0x0, message.sliced(split), true);
        const QJsonObject ack = client.waitForType(u"message_sent"_s);
        QCOMPARE(ack["message"_L1]["text"_L1].toString(), u"caf\u00e9 ok"_s);
        // A sequence that is invalid once whole is still refused.
        client.sendFrame(0x1, "{\"type\":\"message\",\"text\":\"\xc3"_ba, false);
        client.sendFrame(0x0, "(\"}"_ba, true);
        QCOMPARE(client.waitForCloseCode(), 1007);
    }

    // Finding 9: unmasked client frames were accepted (RFC 6455 §5.1: close 1002).
    void unmaskedFramesAreRefused() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        RawWebSocket client;
        QVERIFY(client.open(server.port(), u"name=unmasked"_s));
        QVERIFY(!client.waitForType(u"welcome"_s).isEmpty());
        client.sendFrame(0x1, R"({"type":"message","text":"plain"})"_ba, true, false);
        QCOMPARE(client.waitForCloseCode(), 1002);
        QVERIFY(client.waitForType(u"message_sent"_s).isEmpty());
    }

    // Finding 2: a 300 MB header cost 626 MB before an answer.
    void oversizedRequestIsRefusedUnread_data() {
        QTest::addColumn<QByteArray>("start");
        QTest::addColumn<QByteArray>("block"); // sent 64 times after start: 64 MiB
        QTest::addColumn<int>("status");
        const QByteArray mebibyte(kMiB, 'a');
        QTest::addRow("one endless header")
            << "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: "_ba << mebibyte << 431;
        QTest::addRow("endless header lines") << "GET /healthz HTTP/1.1\r\nHost: t\r\n"_ba
                                              << "X-A: b\r\n"_ba.repeated(kMiB / 8) << 431;
        QTest::addRow("endless request line") << "GET /"_ba << mebibyte << 414;
        // Finding 2 too: a 300 MB body cost 629 MB before the 413, chunked the same.
        QTest::addRow("declared 300 MB body")
            << "POST /api/v1/auth/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
               "\r\nContent-Length: 314572800\r\n\r\n"_ba
            << mebibyte << 413;
        QTest::addRow("chunked body") << "POST /api/v1/auth/register HTTP/1.1\r\nHost: t\r\n"
                                         "Content-Type: application/json\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n"_ba
                                      << "100000\r\n"_ba + mebibyte + "\r\n"
                                      << 413;
    }

    void oversizedRequestIsRefusedUnread() {
        QFETCH(QByteArray, start);
        QFETCH(QByteArray, block);
        QFETCH(int, status);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const PeakGrowth growth(server);

        RawConnection attacker;
        QVERIFY(attacker.open(server.port()));
        attacker.write(start);
        for (int i = 0; i < 64 && attacker.isOpen(); ++i) {
            attacker.write(block);
        }
        QVERIFY(attacker.waitForResponses(1));
        const RawResponse response = attacker.responses().constFirst();
        QCOMPARE(response.status, status);
        QCOMPARE(response.header("content-type"), "application/json"_ba);
        QCOMPARE(response.header("connection"), "close"_ba);
        QVERIFY(attacker.waitForClose());
        QVERIFY(stillServes(server));
        QVERIFY2(growth.below(16 * kMiB), growth.describe().constData());
    }

    // Finding 2: pipelined requests whose answers were never read took 2 GB in 15 s.
    void pipelinedRequestsNobodyReadsStayBounded() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const PeakGrowth growth(server);

        RawConnection attacker;
        QVERIFY(attacker.open(server.port()));
        attacker.socket().setReadBufferSize(1); // reads (almost) nothing
        // Each /metrics answer is several KiB: 20,000 of them unread would be over 100 MiB.
        const QByteArray burst = get("/metrics"_ba).repeated(20'000);
        attacker.write(burst);
        // Let the server work on it for a while: it gets no further than its bound.
        QTest::qWait(3000);
        QVERIFY2(growth.below(24 * kMiB), growth.describe().constData());
        QVERIFY(stillServes(server));
        // Once the client reads, the answers come, in order.
        attacker.socket().setReadBufferSize(0);
        QVERIFY(attacker.waitForResponses(50));
        for (const RawResponse &response : attacker.responses().first(50)) {
            QCOMPARE(response.status, 200);
            QVERIFY(response.body.contains("broadcast_connected_clients"));
        }
    }

    // Finding 5: slow-loris connections, half-open upgrades and idle sockets stayed for minutes.
    void slowAndSilentClientsAreCutOff_data() {
        QTest::addColumn<QByteArray>("opening");
        QTest::addColumn<QByteArray>("trickle"); // sent a byte at a time every 100 ms, if any
        QTest::addColumn<int>("status");         // of the answer before the close, 0: none
        QTest::addRow("silent") << QByteArray() << QByteArray() << 0;
        QTest::addRow("slow head") << "GET /healthz HTTP/1.1\r\n"_ba
                                   << QByteArray("X-Slow: " + QByteArray(200, 'a')) << 408;
        QTest::addRow("half-open upgrade")
            << "GET /ws?name=loris HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"_ba << QByteArray()
            << 408;
        QTest::addRow("slow body")
            << "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
               "Content-Length: 500\r\n\r\n"_ba
            << QByteArray(200, ' ') << 408;
        QTest::addRow("idle keep-alive") << get("/healthz"_ba) << QByteArray() << 200;
    }

    void slowAndSilentClientsAreCutOff() {
        QFETCH(QByteArray, opening);
        QFETCH(QByteArray, trickle);
        QFETCH(int, status);
        ServerProcess server;
        QVERIFY2(startServer(server,
                             {u"--request-timeout"_s, u"1s"_s, u"--keepalive-timeout"_s, u"1s"_s}),
                 qPrintable(server.log()));
        RawConnection client;
        QVERIFY(client.open(server.port()));
        client.write(opening);
        QTimer dripping;
        qsizetype sent = 0;
        connect(&dripping, &QTimer::timeout, this, [&] {
            if (sent < trickle.size() && client.isOpen()) {
                client.write(trickle.sliced(sent++, 1));
            }
        });
        dripping.start(100);
        // Trickling keeps the client busy for 20 s; the server cuts it off long before.
        QVERIFY(client.waitForClose(8000));
        QVERIFY2(sent < trickle.size() || trickle.isEmpty(), "the whole trickle got through");
        const QList<RawResponse> responses = client.responses();
        if (status == 0) {
            QVERIFY(responses.isEmpty());
        } else {
            QVERIFY(!responses.isEmpty());
            QCOMPARE(responses.constLast().status, status);
        }
        QVERIFY(stillServes(server));
    }

    // Finding 5: 1,100 idle sockets from one client under the usual soft limit of 1024 starved
    // /healthz and new sessions for everyone.
    void descriptorLimitIsRaisedAndProbesStillAnswer() {
        ServerProcess server;
        QVERIFY2(
            startServer(server, {u"--max-connections-per-ip"_s, u"0"_s}, {u"--nofile=256:4096"_s}),
            qPrintable(server.log()));
        QFile limits(u"/proc/%1/limits"_s.arg(server.process().processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        const QByteArray table = limits.readAll();
        const QByteArray openFiles = table.sliced(table.indexOf("Max open files"));
        QVERIFY2(openFiles.simplified().startsWith("Max open files 4096 4096"),
                 openFiles.left(80).constData());

        std::vector<std::unique_ptr<RawConnection>> idle;
        for (int i = 0; i < 400; ++i) {
            auto connection = std::make_unique<RawConnection>();
            QVERIFY(connection->open(server.port()));
            idle.push_back(std::move(connection));
        }
        QVERIFY(stillServes(server));
        TestClient guest;
        QVERIFY(!guest.join(server.wsUrl(u"name=late"_s)).isEmpty());
    }

    // The descriptor budget counted every connection as three descriptors (an HTTP
    // connection's socket and socket pair), so WebSockets, which hold one, were refused with a
    // third of the descriptors still free: 6,581 sessions at a limit of 20,000.
    void webSocketsCountOneDescriptorEach() {
        ServerProcess server;
        QVERIFY2(
            startServer(server, {u"--max-connections-per-ip"_s, u"0"_s}, {u"--nofile=1024:1024"_s}),
            qPrintable(server.log()));
        // (1024 - 256 in reserve) / 3 = 256 connections before; 400 sessions fit now.
        constexpr int kSessions = 400;
        std::vector<std::unique_ptr<RawWebSocket>> sessions;
        for (int i = 0; i < kSessions; ++i) {
            auto session = std::make_unique<RawWebSocket>();
            QVERIFY2(session->open(server.port(), u"name=fd%1"_s.arg(i)),
                     qPrintable(u"session %1 was refused"_s.arg(i)));
            QVERIFY2(!session->waitForType(u"welcome"_s).isEmpty(),
                     qPrintable(u"session %1 got no welcome"_s.arg(i)));
            sessions.push_back(std::move(session));
        }
        QVERIFY(stillServes(server));
        // Idle HTTP connections still count three each: the budget is not gone, only fairer.
        std::vector<std::unique_ptr<RawConnection>> idle;
        int refused = 0;
        for (int i = 0; i < 200 && refused == 0; ++i) {
            auto connection = std::make_unique<RawConnection>();
            QVERIFY(connection->open(server.port()));
            connection->write(get("/healthz"_ba));
            QVERIFY(connection->waitForResponses(1));
            if (connection->responses().constFirst().status == 503) {
                ++refused;
            }
            idle.push_back(std::move(connection));
        }
        QCOMPARE(refused, 1);
        QVERIFY2(idle.size() > 100, qPrintable(QString::number(idle.size())));
    }

    void connectionsPerAddressAreCapped() {
        ServerProcess server;
        QVERIFY2(startServer(server, {u"--max-connections-per-ip"_s, u"6"_s}),
                 qPrintable(server.log()));
        // WebSockets count too.
        TestClient first;
        TestClient second;
        QVERIFY(!first.join(server.wsUrl(u"name=one"_s)).isEmpty());
        QVERIFY(!second.join(server.wsUrl(u"name=two"_s)).isEmpty());
        std::vector<std::unique_ptr<RawConnection>> held;
        for (int i = 0; i < 4; ++i) {
            auto connection = std::make_unique<RawConnection>();
            QVERIFY(connection->open(server.port()));
            held.push_back(std::move(connection));
        }
        RawConnection seventh;
        QVERIFY(seventh.open(server.port()));
        QVERIFY(seventh.waitForResponses(1));
        QCOMPARE(seventh.responses().constFirst().status, 429);
        QVERIFY(seventh.waitForClose());
        // Another address is not affected.
        QVERIFY(stillServes(server));
        // Closed connections make room again, a WebSocket's included.
        first.socket().close();
        held.front()->socket().abort();
        std::vector<std::unique_ptr<RawConnection>> admitted;
        auto admitOne = [&] {
            auto attempt = std::make_unique<RawConnection>();
            if (!attempt->open(server.port())) {
                return false;
            }
            attempt->write(get("/healthz"_ba));
            if (!attempt->waitForResponses(1) || attempt->responses().constFirst().status != 200) {
                return false;
            }
            admitted.push_back(std::move(attempt));
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT((admitted.size() < 2 && admitOne(), admitted.size() == 2), 5000);
    }

    // Finding 4: 300 registrations of a taken name were each hashed before the 409.
    void takenNameIsRefusedBeforeAnyHashing() {
        ServerProcess server;
        QVERIFY2(startServer(server, {u"--register-rate"_s, u"30"_s}), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"alice"_s));
        const double hashesBefore = server.metric("auth_password_hashes_total"_ba);
        QVERIFY(hashesBefore >= 1);
        const QList<RawResponse> answers = fromAddresses(
            server.port(), addresses(1, 40),
            postJson("/api/v1/auth/register"_ba, credentials(u"ALICE"_s, u"some password"_s)));
        for (const RawResponse &answer : answers) {
            QCOMPARE(answer.status, 409);
        }
        QCOMPARE(server.metric("auth_password_hashes_total"_ba), hashesBefore);
    }

    // Finding 4: with hashing unbounded, a real user's login waited 33 s behind a burst.
    void hashingQueueIsBoundedAndTheOwnerStillLogsIn() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"alice"_s));
        const QList<RawResponse> answers = fromAddresses(
            server.port(), addresses(2, 60),
            postJson("/api/v1/auth/login"_ba, credentials(u"alice"_s, u"a wrong guess"_s)));
        int busy = 0;
        for (const RawResponse &answer : answers) {
            QVERIFY2(answer.status == 401 || answer.status == 503,
                     qPrintable(QString::number(answer.status)));
            if (answer.status == 503) {
                ++busy;
                QCOMPARE(answer.header("retry-after"), "1"_ba);
            }
        }
        QVERIFY(busy > 0);
        QCOMPARE(server.metric("auth_hash_queue_full_total"_ba), double(busy));
        const QList<RawResponse> owner = fromAddresses(
            server.port(), {u"127.0.3.1"_s},
            postJson("/api/v1/auth/login"_ba, credentials(u"alice"_s, u"password-of-alice"_s)));
        QCOMPARE(owner.constFirst().status, 200);
    }

    // Finding 4: 1,000 accounts were registered from one address in 115 s.
    void registrationsPerAddressAreLimited() {
        ServerProcess server;
        QVERIFY2(startServer(server, {u"--register-rate"_s, u"5"_s}), qPrintable(server.log()));
        QList<int> statuses;
        for (int i = 0; i < 6; ++i) {
            statuses.append(
                fromAddresses(server.port(), {u"127.0.4.1"_s},
                              postJson("/api/v1/auth/register"_ba,
                                       credentials(u"bulk%1"_s.arg(i), u"bulk password"_s)))
                    .constFirst()
                    .status);
        }
        QCOMPARE(statuses, (QList<int>{201, 201, 201, 201, 201, 429}));
        // Another address registers as before.
        QCOMPARE(fromAddresses(server.port(), {u"127.0.4.2"_s},
                               postJson("/api/v1/auth/register"_ba,
                                        credentials(u"neighbour"_s, u"bulk password"_s)))
                     .constFirst()
                     .status,
                 201);
    }

    // Finding 12: login throttling per address only let five more addresses guess 50 more
    // passwords, and a real user behind a throttled address got 429 with the right password.
    void loginThrottleFollowsTheAccount() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"alice"_s));
        QVERIFY(createAccount(server, u"bob"_s));
        const QByteArray guess =
            postJson("/api/v1/auth/login"_ba, credentials(u"alice"_s, u"a wrong guess"_s));
        QList<int> unexpected; // answers other than 401 and 429
        auto guessesFrom = [&](const QString &source) {
            int answered = 0;
            for (int i = 0; i < 12; ++i) {
                const int status =
                    fromAddresses(server.port(), {source}, guess).constFirst().status;
                if (status == 429) {
                    break;
                }
                if (status != 401) {
                    unexpected.append(status);
                }
                ++answered;
            }
            return answered;
        };
        const int first = guessesFrom(u"127.0.5.1"_s);
        QVERIFY2(first <= 5, qPrintable(QString::number(first)));
        int more = 0;
        for (int i = 2; i <= 6; ++i) {
            more += guessesFrom(u"127.0.5.%1"_s.arg(i));
        }
        // The account's own limit: five more addresses get ten guesses between them, not fifty.
        QVERIFY2(more <= 10, qPrintable(QString::number(more)));
        QCOMPARE(unexpected, QList<int>());
        // Bob, behind the first address, logs in; so does Alice from an address of her own.
        QCOMPARE(fromAddresses(
                     server.port(), {u"127.0.5.1"_s},
                     postJson("/api/v1/auth/login"_ba, credentials(u"bob"_s, u"password-of-bob"_s)))
                     .constFirst()
                     .status,
                 200);
        QCOMPARE(fromAddresses(server.port(), {u"127.0.5.99"_s},
                               postJson("/api/v1/auth/login"_ba,
                                        credentials(u"alice"_s, u"password-of-alice"_s)))
                     .constFirst()
                     .status,
                 200);
    }

    // Finding 11: guests could take an account's name, or one that looks the same.
    void guestsCannotPassForAccounts_data() {
        QTest::addColumn<QString>("query");
        QTest::addRow("the same name") << u"name=alice"_s;
        QTest::addRow("other case") << u"name=ALICE"_s;
        QTest::addRow("trailing space") << u"name=alice%20"_s;
        QTest::addRow("plus as a space") << u"name=+alice+"_s;
        QTest::addRow("the sender alias") << u"sender=Alice"_s;
        QTest::addRow("Hangul filler") << u"name=alice%E3%85%A4"_s;
        QTest::addRow("tag characters") << u"name=alice%F3%A0%81%81"_s;
        QTest::addRow("zero-width joiner") << u"name=ali%E2%80%8Dce"_s;
        QTest::addRow("only a filler") << u"name=%E3%85%A4"_s;
    }

    void guestsCannotPassForAccounts() {
        QFETCH(QString, query);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"alice"_s));
        RawWebSocket guest;
        QVERIFY(guest.open(server.port(), query));
        QCOMPARE(guest.waitForCloseCode(), 1008);
        QVERIFY(guest.waitForType(u"welcome"_s, 0).isEmpty());
    }

    void plusInAGuestNameIsASpace() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        TestClient zoe;
        const QJsonObject welcome = zoe.join(server.wsUrl(u"name=Zoe+Smith"_s));
        QCOMPARE(welcome["user"_L1]["username"_L1].toString(), u"Zoe Smith"_s);
    }

    // Finding 6: limit 100 with 300 clients at once admitted 219.
    void maxConnectionsIsExactUnderABurst() {
        ServerProcess server;
        QVERIFY2(startServer(server, {u"--max-connections"_s, u"20"_s}), qPrintable(server.log()));
        std::vector<std::unique_ptr<TestClient>> crowd;
        for (int i = 0; i < 60; ++i) {
            auto client = std::make_unique<TestClient>();
            client->socket().open(server.wsUrl(u"name=c%1"_s.arg(i)));
            crowd.push_back(std::move(client));
        }
        auto settled = [&] {
            return std::all_of(crowd.begin(), crowd.end(), [](const auto &client) {
                return !client->framesOfType(u"welcome"_s).isEmpty() ||
                       client->socket().state() == QAbstractSocket::UnconnectedState;
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        const auto welcomed = std::count_if(crowd.begin(), crowd.end(), [](const auto &client) {
            return !client->framesOfType(u"welcome"_s).isEmpty();
        });
        QCOMPARE(welcomed, 20);
    }

    // Finding 9: an upgrade request to any route was answered 200 and then 101, and admitted.
    void onlyWsUpgrades() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        RawConnection client;
        QVERIFY(client.open(server.port()));
        const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n"_ba;
        client.write(get("/healthz?name=sneaky"_ba, upgrade));
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().constFirst().status, 200);
        // Still plain HTTP on the same connection: no 101 came, no session was opened.
        client.write(get("/readyz"_ba));
        QVERIFY(client.waitForResponses(2));
        QCOMPARE(client.responses().at(1).status, 200);
        QVERIFY(!client.received().contains(" 101 "));
        const HttpResult metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metricValue(metrics.body, "broadcast_connected_clients"_ba), 0.0);
    }

    // Finding 10: HTTP framing. A bad Content-Length smuggled a second request, duplicates were
    // accepted, Connection: close and HTTP/1.0 were ignored, pipelined answers came out of order,
    // malformed requests got no 400 and unknown routes an empty body.
    void httpFramingIsStrict_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QList<int>>("statuses"); // every answer, in order
        QTest::addColumn<bool>("closes");
        const QByteArray smuggled = get("/metrics"_ba);
        auto login = [](const QByteArray &lengthHeaders) {
            return "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: "
                   "application/json\r\n" +
                   lengthHeaders + "\r\n";
        };
        QTest::addRow("negative length")
            << login("Content-Length: -1\r\n") + smuggled << QList<int>{400} << true;
        QTest::addRow("2^64-1 length")
            << login("Content-Length: 18446744073709551615\r\n") + smuggled << QList<int>{400}
            << true;
        QTest::addRow("overflowing length")
            << login("Content-Length: 36893488147419103232\r\n") + smuggled << QList<int>{400}
            << true;
        QTest::addRow("duplicate length")
            << login("Content-Length: 2\r\nContent-Length: 2\r\n") + "{}" << QList<int>{400}
            << true;
        QTest::addRow("length and chunked")
            << login("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n") + "{}"
            << QList<int>{400} << true;
        QTest::addRow("Connection: close")
            << get("/healthz"_ba, "Connection: close\r\n"_ba) + get("/readyz"_ba) << QList<int>{200}
            << true;
        QTest::addRow("HTTP/1.0") << "GET /healthz HTTP/1.0\r\n\r\n"_ba << QList<int>{200} << true;
        const QByteArray badLogin = "{\"username\":\"nobody\",\"password\":\"wrong-password\"}"_ba;
        QTest::addRow("pipelined in order")
            << login("Content-Length: " + QByteArray::number(badLogin.size()) + "\r\n") + badLogin +
                   get("/healthz"_ba) + get("/readyz"_ba, "Connection: close\r\n"_ba)
            << QList<int>{401, 200, 200} << true;
        QTest::addRow("malformed header")
            << "GET /healthz HTTP/1.1\r\nHost: t\r\nno colon\r\n\r\n"_ba << QList<int>{400} << true;
        QTest::addRow("garbage") << "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"_ba
                                 << QList<int>{400} << true;
        QTest::addRow("unknown route")
            << get("/nope"_ba, "Connection: close\r\n"_ba) << QList<int>{404} << true;
        const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n"_ba;
        QTest::addRow("WebSocket version 8")
            << get("/ws?name=old"_ba, upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                "Sec-WebSocket-Version: 8\r\n")
            << QList<int>{426} << true;
        QTest::addRow("WebSocket key not 16 bytes")
            << get("/ws?name=odd"_ba,
                   upgrade + "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n")
            << QList<int>{400} << true;
    }

    void httpFramingIsStrict() {
        QFETCH(QByteArray, wire);
        QFETCH(QList<int>, statuses);
        QFETCH(bool, closes);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        RawConnection client;
        QVERIFY(client.open(server.port()));
        client.write(wire);
        QVERIFY(client.waitForResponses(static_cast<int>(statuses.size())));
        if (closes) {
            QVERIFY(client.waitForClose());
        }
        const QList<RawResponse> responses = client.responses();
        QList<int> got;
        for (const RawResponse &response : responses) {
            got.append(response.status);
            // Every answer is JSON, errors the contract's error object.
            QCOMPARE(response.header("content-type"), "application/json"_ba);
            if (response.status >= 400) {
                const QJsonObject error =
                    QJsonDocument::fromJson(response.body).object().value("error"_L1).toObject();
                QVERIFY2(!error.value("code"_L1).toString().isEmpty(), response.body.constData());
            }
        }
        QCOMPARE(got, statuses);
        QVERIFY(stillServes(server));
    }

    // Finding 10: limit=99999999999999999999 was a 400 instead of the documented clamp, and a
    // lower-case "bearer" scheme was refused.
    void queryAndAuthorizationAreReadAsDocumented() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const auto alice = createAccount(server, u"alice"_s);
        QVERIFY(alice);
        const HttpHeaders lowerCase{{"Authorization"_ba, "bearer " + alice->token.toUtf8()}};
        QCOMPARE(httpGet(server.httpUrl(u"/api/v1/me"_s), lowerCase).status, 200);
        const HttpResult chats =
            httpGet(server.httpUrl(u"/api/v1/chats?limit=99999999999999999999"_s), lowerCase);
        QCOMPARE(chats.status, 200);
        QCOMPARE(chats.json().value("chats"_L1).toArray().size(), 1); // the lobby
    }
};

QTEST_GUILESS_MAIN(TestAdversarial)
#include "tst_adversarial.moc"
