// SPDX-License-Identifier: MIT
// chat-server as a process: probes and metrics, limits and timeouts, shutdown and reload, and
// the command line. Every test starts its own server with the settings it needs.
#include "http.h"
#include "rawwebsocket.h"
#include "serverprocess.h"
#include "stalledpeer.h"
#include "testclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

QJsonObject message(const QString &text) {
    return QJsonObject{{"type"_L1, "message"_L1}, {"text"_L1, text}};
}

struct RunResult {
    int exitCode = -1;
    QString output; // stdout and stderr together
};

RunResult runServer(const QStringList &arguments, const QStringList &environment = {}) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &pair : environment) {
        env.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    }
    process.setProcessEnvironment(env);
    process.start(chatServerPath(), arguments);
    if (!process.waitForFinished(15000)) {
        process.kill();
        return {};
    }
    return RunResult{process.exitCode(), QString::fromUtf8(process.readAll())};
}

} // namespace

class TestServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void probesAnswer_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addRow("healthz") << u"/healthz"_s << 200;
        QTest::addRow("health") << u"/health"_s << 200;
        QTest::addRow("readyz") << u"/readyz"_s << 200;
        QTest::addRow("ws without upgrade") << u"/ws"_s << 426;
        QTest::addRow("unknown path") << u"/nope"_s << 404;
    }

    void probesAnswer() {
        QFETCH(QString, path);
        QFETCH(int, status);
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        QCOMPARE(httpGet(server.httpUrl(path)).status, status);
    }

    // CONTRACT §8: the checks of readiness; without --redis there is no redis check.
    void readinessNamesItsChecks() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        const HttpResult answer = httpGet(server.httpUrl(u"/readyz"_s));
        QCOMPARE(answer.status, 200);
        QCOMPARE(QJsonDocument::fromJson(answer.body).object(),
                 (QJsonObject{{"status"_L1, "ready"_L1},
                              {"checks"_L1, QJsonObject{{"database"_L1, "ok"_L1}}}}));
    }

    void metricsCountForReal() {
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(server.log()));
        TestClient alice;
        TestClient bob;
        TestClient carol;
        QVERIFY(!alice.join(server.wsUrl(u"name=alice"_s)).isEmpty());
        QVERIFY(!bob.join(server.wsUrl(u"name=bob"_s)).isEmpty());
        QVERIFY(!carol.join(server.wsUrl(u"name=carol"_s)).isEmpty());
        for (int i = 0; i < 3; ++i) {
            alice.sendJson(message(u"m%1"_s.arg(i)));
        }
        QTRY_COMPARE(bob.framesOfType(u"new_message"_s).size(), 3);
        QTRY_COMPARE(carol.framesOfType(u"new_message"_s).size(), 3);

        HttpResult metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.contentType.startsWith("text/plain"));
        QCOMPARE(metricValue(metrics.body, "broadcast_connected_clients"), 3.0);
        QCOMPARE(metricValue(metrics.body, "websocket_connections_current"), 3.0);
        QCOMPARE(metricValue(metrics.body, "broadcast_messages_total{direction=\"in\"}"), 3.0);
        QCOMPARE(metricValue(metrics.body, "broadcast_messages_total{direction=\"out\"}"), 6.0);
        QCOMPARE(metricValue(metrics.body, "broadcast_dropped_total"), 0.0);
        QCOMPARE(metricValue(metrics.body,
                             "chat_messages_sent_total{chat_type=\"lobby\",status=\"delivered\"}"),
                 3.0);
        QCOMPARE(metricValue(metrics.body,
                             "chat_messages_sent_total{chat_type=\"lobby\",status=\"failed\"}"),
                 0.0);
        // Every commit is timed; three messages take one to three transactions.
        const double commits = metricValue(metrics.body, "chat_db_write_seconds_count");
        QVERIFY2(commits >= 1.0 && commits <= 3.0, qPrintable(QString::number(commits)));
        QCOMPARE(metricValue(metrics.body, "chat_db_write_seconds_bucket{le=\"+Inf\"}"), commits);
        QVERIFY(metricValue(metrics.body, "chat_db_write_seconds_sum") > 0.0);
        // Each message's fan-out is timed once, when the last worker has written it.
        QTRY_COMPARE(metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                                 "chat_message_delivery_seconds_count"),
                     3.0);

        // A retried request_id is answered from storage and counted as a duplicate.
        alice.sendJson(
            {{"type"_L1, "message"_L1}, {"text"_L1, "again"_L1}, {"request_id"_L1, "x"_L1}});
        alice.sendJson(
            {{"type"_L1, "message"_L1}, {"text"_L1, "again"_L1}, {"request_id"_L1, "x"_L1}});
        QTRY_COMPARE(
            metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                        "chat_messages_sent_total{chat_type=\"lobby\",status=\"duplicate\"}"),
            1.0);
        metrics = httpGet(server.httpUrl(u"/metrics"_s));

        carol.socket().close();
        QVERIFY(carol.waitForDisconnect());
        QTRY_COMPARE(metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                                 "broadcast_disconnects_total{reason=\"client_closed\"}"),
                     1.0);
        metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metricValue(metrics.body, "broadcast_connected_clients"), 2.0);
        QTRY_COMPARE(metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                                 "websocket_connections_current"),
                     2.0);
    }

    void rateLimitDropsThenCloses() {
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"2"_s}), qPrintable(server.log()));
        TestClient flooder;
        QVERIFY(!flooder.join(server.wsUrl(u"name=flood"_s)).isEmpty());
        for (int i = 0; i < 10; ++i) {
            flooder.sendJson({{"type"_L1, "message"_L1},
                              {"text"_L1, u"f%1"_s.arg(i)},
                              {"request_id"_L1, u"f%1"_s.arg(i)}});
        }
        // Burst of twice the rate: 4 accepted, the rest dropped with an error naming the request.
        QTRY_COMPARE(flooder.framesOfType(u"message_sent"_s).size() +
                         flooder.framesOfType(u"error"_s).size(),
                     10);
        QCOMPARE(flooder.framesOfType(u"message_sent"_s).size(), 4);
        const QJsonObject error = flooder.framesOfType(u"error"_s).first();
        QCOMPARE(error.value("code"_L1).toString(), u"rate_limited"_s);
        QCOMPARE(error.value("request_id"_L1).toString(), u"f4"_s);
        QVERIFY(flooder.isConnected());

        // Keep flooding: after 5 s of it the server closes with 1008.
        QTimer flood;
        connect(&flood, &QTimer::timeout, &flooder,
                [&flooder] { flooder.sendJson(message(u"more"_s)); });
        flood.start(50);
        QVERIFY(flooder.waitForDisconnect(15000));
        QCOMPARE(flooder.closeCode(), 1008);
    }

    void slowReaderIsDroppedWhileOthersKeepReceiving() {
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"100000"_s, u"--send-buffer"_s, u"16"_s}),
                 qPrintable(server.log()));
        StalledPeer slow;
        QVERIFY(slow.open(server.port(), u"name=slow"_s));
        TestClient sender;
        TestClient reader;
        QVERIFY(!sender.join(server.wsUrl(u"name=sender"_s)).isEmpty());
        QVERIFY(!reader.join(server.wsUrl(u"name=reader"_s)).isEmpty());

        // Large messages until the slow peer's socket buffers are full and it is dropped.
        const QString text(4000, u'z');
        int sent = 0;
        auto droppedCount = [&server] {
            return metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                               "broadcast_dropped_total");
        };
        while (droppedCount() < 1 && sent < 8000) {
            for (int i = 0; i < 100; ++i, ++sent) {
                sender.sendJson(message(text));
            }
            QTRY_COMPARE_WITH_TIMEOUT(reader.framesOfType(u"new_message"_s).size(), sent, 20000);
        }
        QCOMPARE(droppedCount(), 1.0);
        QVERIFY(server.log().contains(u"not reading"_s));
        // The session ends once the close times out against the full buffers.
        QTRY_COMPARE_WITH_TIMEOUT(
            metricValue(httpGet(server.httpUrl(u"/metrics"_s)).body,
                        "broadcast_disconnects_total{reason=\"slow_consumer\"}"),
            1.0, 10000);
        // Healthy clients were not touched and keep receiving.
        QVERIFY(reader.isConnected());
        sender.sendJson(message(u"after"_s));
        QTRY_COMPARE_WITH_TIMEOUT(reader.framesOfType(u"new_message"_s).size(), sent + 1, 20000);
    }

    void framesRightBehindTheUpgradeAreRead() {
        // A client may send frames without waiting for the 101: they arrive with the upgrade
        // request, before the connection reaches its session.
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        QByteArray behind;
        for (int i = 0; i < 3; ++i) {
            const QJsonObject send{{"type"_L1, "message"_L1},
                                   {"text"_L1, u"early %1"_s.arg(i)},
                                   {"request_id"_L1, u"early-%1"_s.arg(i)}};
            behind += encodeClientFrame(0x1, QJsonDocument(send).toJson(QJsonDocument::Compact),
                                        true, true, 0x1234567u + static_cast<quint32>(i));
        }
        behind += encodeClientFrame(0x9, "are you there", true, true, 0x7654321u);
        RawWebSocket client;
        QVERIFY(client.open(server.port(), u"name=early"_s, behind));
        auto acknowledged = [&client] {
            QStringList ids;
            for (const WireFrame &frame : client.frames()) {
                const QJsonObject object = QJsonDocument::fromJson(frame.payload).object();
                if (frame.opcode == 0x1 && object.value("type"_L1) == "message_sent"_L1) {
                    ids << object.value("request_id"_L1).toString();
                }
            }
            return ids;
        };
        QTRY_COMPARE(acknowledged(), (QStringList{u"early-0"_s, u"early-1"_s, u"early-2"_s}));
        QTRY_VERIFY(std::any_of(client.frames().cbegin(), client.frames().cend(),
                                [](const WireFrame &frame) {
                                    return frame.opcode == 0xA && frame.payload == "are you there";
                                }));
    }

    void idleSessionIsClosedWith1001() {
        ServerProcess server;
        QVERIFY2(server.start({u"--idle-timeout"_s, u"1s"_s}), qPrintable(server.log()));
        TestClient idle;
        TestClient chatty;
        QVERIFY(!idle.join(server.wsUrl(u"name=idle"_s)).isEmpty());
        QVERIFY(!chatty.join(server.wsUrl(u"name=chatty"_s)).isEmpty());
        QTimer talk;
        connect(&talk, &QTimer::timeout, &chatty, [&chatty] { chatty.sendJson(message(u"hi"_s)); });
        talk.start(300);
        QVERIFY(idle.waitForDisconnect(5000));
        QCOMPARE(idle.closeCode(), 1001);
        QVERIFY(chatty.isConnected());
    }

    void peerWithoutPongIsClosed() {
        ServerProcess server;
        QVERIFY2(server.start({u"--ping-interval"_s, u"200ms"_s}), qPrintable(server.log()));
        StalledPeer frozen;
        QVERIFY(frozen.open(server.port(), u"name=frozen"_s));
        TestClient alive; // QWebSocket answers pings by itself
        QVERIFY(!alive.join(server.wsUrl(u"name=alive"_s)).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(server.log().contains(u"reason=pong_timeout"_s), 10000);
        // The peer that answers pings was connected just as long and is still served.
        alive.sendJson(message(u"still alive"_s));
        QVERIFY(!alive.waitFor(u"message_sent"_s).isEmpty());
        QCOMPARE(server.log().count(u"reason=pong_timeout"_s), 1);
    }

    void maxConnectionsRefusesWith1013() {
        ServerProcess server;
        QVERIFY2(server.start({u"--max-connections"_s, u"2"_s}), qPrintable(server.log()));
        TestClient first;
        TestClient second;
        QVERIFY(!first.join(server.wsUrl(u"name=one"_s)).isEmpty());
        QVERIFY(!second.join(server.wsUrl(u"name=two"_s)).isEmpty());
        StalledPeer third;
        QVERIFY(third.open(server.port(), u"name=three"_s));
        QCOMPARE(third.readCloseCode(), 1013);
        QVERIFY(first.isConnected());
    }

    void accessRules_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<bool>("admitted");
        QTest::addRow("guests off") << QStringList{u"--allow-guests"_s, u"false"_s} << QByteArray()
                                    << QByteArray() << false;
        QTest::addRow("auth token missing")
            << QStringList{u"--auth-token"_s, u"sesame"_s} << QByteArray() << QByteArray() << false;
        QTest::addRow("auth token wrong") << QStringList{u"--auth-token"_s, u"sesame"_s}
                                          << "Bearer nope"_ba << QByteArray() << false;
        QTest::addRow("auth token right") << QStringList{u"--auth-token"_s, u"sesame"_s}
                                          << "Bearer sesame"_ba << QByteArray() << true;
        QTest::addRow("origin not listed")
            << QStringList{u"--cors-origins"_s, u"https://chat.example.com"_s} << QByteArray()
            << "https://evil.example"_ba << false;
        QTest::addRow("origin listed")
            << QStringList{u"--cors-origins"_s, u"https://chat.example.com"_s} << QByteArray()
            << "https://chat.example.com"_ba << true;
        QTest::addRow("address denied") << QStringList{u"--ip-deny"_s, u"127.0.0.0/8"_s}
                                        << QByteArray() << QByteArray() << false;
        QTest::addRow("address not allowed") << QStringList{u"--ip-allow"_s, u"10.0.0.0/8"_s}
                                             << QByteArray() << QByteArray() << false;
    }

    void accessRules() {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, origin);
        QFETCH(bool, admitted);
        ServerProcess server;
        QVERIFY2(server.start(arguments), qPrintable(server.log()));
        QNetworkRequest request;
        if (!authorization.isEmpty()) {
            request.setRawHeader("Authorization", authorization);
        }
        if (!origin.isEmpty()) {
            request.setRawHeader("Origin", origin);
        }
        TestClient client;
        QVERIFY(client.open(server.wsUrl(u"name=visitor"_s), request));
        if (admitted) {
            QVERIFY(!client.waitFor(u"welcome"_s).isEmpty());
        } else {
            QVERIFY(client.waitForDisconnect());
            QCOMPARE(client.closeCode(), 1008);
            QVERIFY(client.framesOfType(u"welcome"_s).isEmpty());
        }
        // Probes stay open whatever the token says.
        QCOMPARE(httpGet(server.httpUrl(u"/healthz"_s)).status,
                 arguments.contains(u"--ip-deny"_s) || arguments.contains(u"--ip-allow"_s) ? 403
                                                                                           : 200);
    }

    void gracefulShutdownClosesEverySessionWith1001() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        TestClient alice;
        TestClient bob;
        QVERIFY(!alice.join(server.wsUrl(u"name=alice"_s)).isEmpty());
        QVERIFY(!bob.join(server.wsUrl(u"name=bob"_s)).isEmpty());
        server.signal(SIGTERM);
        QVERIFY(alice.waitForDisconnect());
        QVERIFY(bob.waitForDisconnect());
        QCOMPARE(alice.closeCode(), 1001);
        QCOMPARE(bob.closeCode(), 1001);
        QVERIFY2(server.waitForExit(10000), qPrintable(server.log()));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
        const QString log = server.log();
        QVERIFY2(log.contains(u"server stopping"_s), qPrintable(log));
        QVERIFY2(log.contains(u"server exited properly"_s), qPrintable(log));
    }

    void shutdownIsNeverReadyAgainAndBounded() {
        ServerProcess server;
        QVERIFY2(server.start({u"--shutdown-timeout"_s, u"3s"_s}), qPrintable(server.log()));
        // A peer that never answers the close frame keeps the server stopping for a while.
        StalledPeer stuck;
        QVERIFY(stuck.open(server.port(), u"name=stuck"_s));
        QTcpSocket keepAlive;
        keepAlive.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(keepAlive.waitForConnected(5000));
        const QByteArray readyRequest = "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n";
        keepAlive.write(readyRequest);
        QTRY_VERIFY(keepAlive.bytesAvailable() > 0);
        QVERIFY(keepAlive.readAll().startsWith("HTTP/1.1 200"));

        QElapsedTimer stopping;
        stopping.start();
        server.signal(SIGTERM);
        QTRY_VERIFY(server.log().contains(u"server stopping"_s));
        // Once stopping, the server is never ready again: 503, or the connection is gone.
        keepAlive.write(readyRequest);
        QTRY_VERIFY(keepAlive.bytesAvailable() > 0 ||
                    keepAlive.state() == QAbstractSocket::UnconnectedState);
        const QByteArray answer = keepAlive.readAll();
        QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 503"), answer.constData());

        QVERIFY(server.waitForExit(10000));
        QCOMPARE(server.process().exitCode(), 0);
        QVERIFY2(stopping.elapsed() < 3000 + 2000, qPrintable(QString::number(stopping.elapsed())));
        // New connections are refused while stopping.
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(!late.waitForConnected(2000));
    }

    void sighupReloadsLimitsWithoutDroppingSessions() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"chat.yaml"_s);
        auto writeConfig = [&path](const QByteArray &content) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                   file.write(content) == content.size();
        };
        QVERIFY(writeConfig("rate-limit: 1000\n"));
        ServerProcess server;
        QVERIFY2(server.start({u"--config"_s, path}), qPrintable(server.log()));
        TestClient client;
        const QJsonObject welcome = client.join(server.wsUrl(u"name=stay"_s));
        QCOMPARE(welcome["server"_L1]["limits"_L1]["rate_limit"_L1].toInt(), 1000);

        QVERIFY(writeConfig("rate-limit: [oops\n"));
        server.signal(SIGHUP);
        QTRY_VERIFY(server.log().contains(u"reload rejected"_s));

        QVERIFY(writeConfig("rate-limit: 7\n"));
        server.signal(SIGHUP);
        QTRY_VERIFY(server.log().contains(u"configuration reloaded"_s));
        QVERIFY(client.isConnected());
        TestClient after;
        QCOMPARE(
            after.join(server.wsUrl(u"name=after"_s))["server"_L1]["limits"_L1]["rate_limit"_L1]
                .toInt(),
            7);
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("version") << QStringList{u"--version"_s} << QStringList{} << 0
                                 << u"chat-server"_s;
        QTest::addRow("help") << QStringList{u"--help"_s} << QStringList{} << 0
                              << u"--rate-limit"_s;
        QTest::addRow("check ok") << QStringList{u"check"_s} << QStringList{} << 0 << u"valid"_s;
        QTest::addRow("check bad flag")
            << QStringList{u"check"_s, u"--port"_s, u"x"_s} << QStringList{} << 1 << u"--port"_s;
        QTest::addRow("check bad env")
            << QStringList{u"check"_s} << QStringList{u"CHAT_SEND_BUFFER=-1"_s} << 1
            << u"CHAT_SEND_BUFFER"_s;
        QTest::addRow("start with bad value")
            << QStringList{u"--rate-limit"_s, u"0"_s} << QStringList{} << 2 << u"--rate-limit"_s;
        QTest::addRow("unknown flag")
            << QStringList{u"--no-such-flag"_s} << QStringList{} << 2 << u"no-such-flag"_s;
        QTest::addRow("unknown command")
            << QStringList{u"launch"_s} << QStringList{} << 2 << u"launch"_s;
    }

    void commandLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const RunResult result = runServer(arguments, environment);
        QCOMPARE(result.exitCode, exitCode);
        QVERIFY2(result.output.contains(mentions), qPrintable(result.output));
    }

    void checkNamesFileLineAndColumn() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.yaml"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("port: 8080\nsend-bufer: 3\n");
        file.close();
        const RunResult result = runServer({u"check"_s, u"--config"_s, path});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.output.contains(path + u":2:1"_s), qPrintable(result.output));
        QVERIFY2(result.output.contains(u"send-bufer"_s), qPrintable(result.output));
    }

    void effectiveConfigIsLoggedWithSecretsMasked() {
        ServerProcess server;
        QVERIFY2(server.start({u"--auth-token"_s, u"top-secret-value"_s}),
                 qPrintable(server.log()));
        const QString log = server.log();
        QVERIFY2(log.contains(u"effective configuration"_s), qPrintable(log));
        QVERIFY(log.contains(u"auth-token=********"_s));
        QVERIFY(!log.contains(u"top-secret-value"_s));
    }

    void jsonLogLinesAreObjects() {
        QProcess process;
        process.start(chatServerPath(), {u"--port"_s, u"0"_s, u"--addr"_s, u"127.0.0.1"_s,
                                         u"--log-format"_s, u"json"_s});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QTRY_VERIFY((err += process.readAllStandardError()).contains("listening on"));
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        err += process.readAllStandardError();
        const QList<QByteArray> lines = err.trimmed().split('\n');
        QVERIFY(lines.size() >= 4);
        for (const QByteArray &line : lines) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            QVERIFY2(object.contains("ts"_L1) && object.contains("level"_L1) &&
                         object.contains("category"_L1) && object.contains("msg"_L1),
                     line.constData());
            QVERIFY(object.value("category"_L1).toString().startsWith(u"chat."_s));
        }
    }
};

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
