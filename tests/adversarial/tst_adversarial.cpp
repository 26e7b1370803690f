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
#include "rawconnection.h"
#include "serverprocess.h"
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
    QStringList command{u"prlimit"_s};
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

} // namespace

class TestAdversarial : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Finding 2: a 300 MB header cost 626 MB before an answer.
    void oversizedHeadIsRefusedUnread_data() {
        QTest::addColumn<QByteArray>("start");
        QTest::addColumn<QByteArray>("filler");
        QTest::addColumn<int>("status");
        QTest::addRow("one endless header") << "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: "_ba
                                            << "a"_ba << 431;
        QTest::addRow("endless header lines") << "GET /healthz HTTP/1.1\r\nHost: t\r\n"_ba
                                              << "X-A: b\r\n"_ba << 431;
        QTest::addRow("endless request line") << "GET /"_ba
                                              << "a"_ba << 414;
    }

    void oversizedHeadIsRefusedUnread() {
        QFETCH(QByteArray, start);
        QFETCH(QByteArray, filler);
        QFETCH(int, status);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const qint64 pid = server.process().processId();
        const qint64 peakBefore = processMemory(pid).peak;

        RawConnection attacker;
        QVERIFY(attacker.open(server.port()));
        attacker.write(start);
        const QByteArray block = filler.repeated(kMiB / filler.size());
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
        const qint64 growth = processMemory(pid).peak - peakBefore;
        QVERIFY2(growth < 16 * kMiB,
                 qPrintable(u"peak memory grew by %1 MiB"_s.arg(growth / kMiB)));
    }

    // Finding 2: a 300 MB body cost 629 MB before the 413, chunked the same.
    void oversizedBodyIsRefusedBeforeItIsRead_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("block");
        QTest::addRow("declared length")
            << "POST /api/v1/auth/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
               "\r\nContent-Length: 314572800\r\n\r\n"_ba
            << QByteArray(kMiB, 'a');
        QTest::addRow("chunked") << "POST /api/v1/auth/register HTTP/1.1\r\nHost: t\r\n"
                                    "Content-Type: application/json\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n"_ba
                                 << "100000\r\n"_ba + QByteArray(kMiB, 'a') + "\r\n";
    }

    void oversizedBodyIsRefusedBeforeItIsRead() {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, block);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const qint64 pid = server.process().processId();
        const qint64 peakBefore = processMemory(pid).peak;

        RawConnection attacker;
        QVERIFY(attacker.open(server.port()));
        attacker.write(head);
        for (int i = 0; i < 64 && attacker.isOpen(); ++i) {
            attacker.write(block);
        }
        QVERIFY(attacker.waitForResponses(1));
        QCOMPARE(attacker.responses().constFirst().status, 413);
        QVERIFY(attacker.waitForClose());
        QVERIFY(stillServes(server));
        const qint64 growth = processMemory(pid).peak - peakBefore;
        QVERIFY2(growth < 16 * kMiB,
                 qPrintable(u"peak memory grew by %1 MiB"_s.arg(growth / kMiB)));
    }

    // Finding 2: pipelined requests whose answers were never read took 2 GB in 15 s.
    void pipelinedRequestsNobodyReadsStayBounded() {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.log()));
        const qint64 pid = server.process().processId();
        const qint64 peakBefore = processMemory(pid).peak;

        RawConnection attacker;
        QVERIFY(attacker.open(server.port()));
        attacker.socket().setReadBufferSize(1); // reads (almost) nothing
        // Each /metrics answer is several KiB: 20,000 of them unread would be over 100 MiB.
        const QByteArray burst = get("/metrics"_ba).repeated(20'000);
        attacker.write(burst);
        // Watch the server for a while as it gets no further.
        QDeadlineTimer watch(3000);
        qint64 peak = 0;
        while (!watch.hasExpired()) {
            QTest::qWait(100);
            peak = std::max(peak, processMemory(pid).peak - peakBefore);
        }
        QVERIFY2(peak < 24 * kMiB, qPrintable(u"peak memory grew by %1 MiB"_s.arg(peak / kMiB)));
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
