// SPDX-License-Identifier: MIT
// chat-server's web front as an operator and a browser see it: --auth-token on /api, CORS with
// preflight, TLS for HTTPS and WSS on one port, the http_* metrics (checked by promtool),
// request and trace ids in the logs, and a client that hangs up before its answer.
#include "accounts.h"
#include "http.h"
#include "selfsigned.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

QJsonObject credentials(const QString &username) {
    return {{"username"_L1, username}, {"password"_L1, u"password-of-"_s + username}};
}

} // namespace

class TestWeb : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void authTokenGuardsTheApiButNotTheProbes() {
        ServerProcess server;
        QVERIFY2(server.start({u"--auth-token"_s, u"sesame"_s}), qPrintable(server.log()));
        const QUrl registerUrl = server.httpUrl(u"/api/v1/auth/register"_s);
        const HttpResult refused = httpPostJson(registerUrl, credentials(u"tokenless"_s));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), u"unauthorized"_s);
        QCOMPARE(httpPostJson(registerUrl, credentials(u"wrongtoken"_s), bearer(u"open"_s)).status,
                 401);
        QCOMPARE(httpPostJson(registerUrl, credentials(u"member"_s), bearer(u"sesame"_s)).status,
                 201);
        const HttpResult login = httpPostJson(server.httpUrl(u"/api/v1/auth/login"_s),
                                              credentials(u"member"_s), bearer(u"sesame"_s));
        QCOMPARE(login.status, 200);
        const QString token = login.json().value("token"_L1).toString();
        // The shared token names no account: account routes want the account's own token.
        QCOMPARE(httpGet(server.httpUrl(u"/api/v1/me"_s), bearer(u"sesame"_s)).status, 401);
        QCOMPARE(httpGet(server.httpUrl(u"/api/v1/me"_s), bearer(token)).status, 200);
        for (const QString &probe : {u"/healthz"_s, u"/readyz"_s, u"/metrics"_s}) {
            QCOMPARE(httpGet(server.httpUrl(probe)).status, 200);
        }
        // An account token opens /ws too when the shared token is required.
        TestClient account;
        QUrlQuery query;
        query.addQueryItem(u"token"_s, token);
        const QJsonObject welcome = account.join(server.wsUrl(query.toString()));
        QCOMPARE(welcome.value("user"_L1).toObject().value("username"_L1).toString(), u"member"_s);
    }

    void corsAnswersListedOriginsOnly_data() {
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<bool>("allowed");
        QTest::addRow("listed") << "https://chat.example.com"_ba << true;
        QTest::addRow("not listed") << "https://evil.example"_ba << false;
    }

    void corsAnswersListedOriginsOnly() {
        QFETCH(QByteArray, origin);
        QFETCH(bool, allowed);
        ServerProcess server;
        QVERIFY2(
            server.start({u"--cors-origins"_s, u"https://chat.example.com,https://b.example"_s}),
            qPrintable(server.log()));
        // A REST route, and the uploads' own (streamed, outside Qt's router): both preflight.
        const QString someId = u"00000000-0000-4000-8000-000000000001"_s;
        for (const auto &[path, method] :
             {std::pair{u"/api/v1/chats/%1/messages"_s.arg(someId), "GET"_ba},
              std::pair{u"/api/v1/uploads?filename=a.png"_s, "POST"_ba},
              std::pair{u"/api/v1/uploads/%1"_s.arg(someId), "GET"_ba}}) {
            const HttpResult preflight =
                httpRequest("OPTIONS", server.httpUrl(path), {},
                            {{"Origin", origin},
                             {"Access-Control-Request-Method", method},
                             {"Access-Control-Request-Headers", "authorization, content-type"}});
            QVERIFY2(preflight.status == (allowed ? 204 : 403), qPrintable(path));
            QCOMPARE(preflight.header("Access-Control-Allow-Origin"),
                     allowed ? origin : QByteArray());
            if (allowed) {
                QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
                QVERIFY(preflight.header("Access-Control-Allow-Methods").contains(method));
            }
        }
        const HttpResult simple = httpPostJson(server.httpUrl(u"/api/v1/auth/register"_s),
                                               credentials(u"browser"_s), {{"Origin", origin}});
        QCOMPARE(simple.status, 201);
        QCOMPARE(simple.header("Access-Control-Allow-Origin"), allowed ? origin : QByteArray());
    }

    void tlsServesHttpsAndWssOnOnePort() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString problem;
        const auto files = makeSelfSignedCertificate(dir.path(), &problem);
        QVERIFY2(files, qPrintable(problem));
        const QString cert = files->certificate;
        const QString key = files->key;
        ServerProcess server;
        QVERIFY2(server.start({u"--tls-cert"_s, cert, u"--tls-key"_s, key}),
                 qPrintable(server.log()));

        // Only a client that trusts this certificate gets in: verification stays on.
        QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
        trusting.setCaCertificates(QSslCertificate::fromPath(cert));
        QNetworkAccessManager manager;
        QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/healthz"_s.arg(server.port())));
        request.setSslConfiguration(trusting);
        std::unique_ptr<QNetworkReply> reply(manager.get(request));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

        TestClient secure;
        secure.socket().setSslConfiguration(trusting);
        const QJsonObject welcome =
            secure.join(QUrl(u"wss://127.0.0.1:%1/ws?name=secure"_s.arg(server.port())));
        QCOMPARE(welcome.value("type"_L1).toString(), u"welcome"_s);
        secure.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "over TLS"_L1}});
        QVERIFY(!secure.waitFor(u"message_sent"_s).isEmpty());

        // Plain HTTP on the TLS port gets no answer.
        QCOMPARE(httpGet(server.httpUrl(u"/healthz"_s)).status, 0);
    }

    void tlsNeedsBothFiles() {
        QTemporaryDir dir;
        QFile cert(dir.filePath(u"cert.pem"_s));
        QVERIFY(cert.open(QIODevice::WriteOnly));
        cert.close();
        QProcess process;
        process.start(chatServerPath(), {u"--port"_s, u"0"_s, u"--tls-cert"_s, cert.fileName()});
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--tls-key"));
    }

    void unreadableCertificateIsAnError() {
        QTemporaryDir dir;
        QFile cert(dir.filePath(u"cert.pem"_s));
        QFile key(dir.filePath(u"key.pem"_s));
        QVERIFY(cert.open(QIODevice::WriteOnly) && cert.write("not a certificate") > 0);
        QVERIFY(key.open(QIODevice::WriteOnly) && key.write("not a key") > 0);
        cert.close();
        key.close();
        ServerProcess server;
        QVERIFY(!server.start({u"--tls-cert"_s, cert.fileName(), u"--tls-key"_s, key.fileName()}));
        QVERIFY2(server.log().contains(u"no PEM certificate"_s), qPrintable(server.log()));
    }

    void httpMetricsCountAndPromtoolAcceptsThem() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"metered"_s));
        QCOMPARE(httpGet(server.httpUrl(u"/api/v1/me"_s)).status, 401);
        const HttpResult metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metricValue(metrics.body, "http_requests_total{method=\"POST\",route=\"/api/v1/"
                                           "auth/register\",status=\"201\"}"),
                 1.0);
        QCOMPARE(metricValue(metrics.body, "http_requests_total{method=\"POST\",route=\"/api/v1/"
                                           "auth/login\",status=\"200\"}"),
                 1.0);
        QCOMPARE(
            metricValue(metrics.body,
                        "http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"}"),
            1.0);
        QVERIFY(metricValue(metrics.body, "http_request_duration_seconds_count") >= 3.0);

        const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
        QVERIFY2(!promtool.isEmpty(), "promtool is missing: run scripts/install-deps --test");
        QProcess check;
        check.start(promtool, {u"check"_s, u"metrics"_s});
        QVERIFY(check.waitForStarted());
        check.write(metrics.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        const QByteArray complaints = check.readAllStandardOutput() + check.readAllStandardError();
        QVERIFY2(check.exitCode() == 0, complaints.constData());
    }

    void requestAndTraceIdsAreLogged() {
        ServerProcess server;
        QVERIFY2(server.start({u"--log-format"_s, u"json"_s}), qPrintable(server.log()));
        const QByteArray traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        const HttpResult answered =
            httpGet(server.httpUrl(u"/api/v1/me"_s),
                    {{"traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"},
                     {"X-Request-Id", "req-42"}});
        QCOMPARE(answered.status, 401);
        QCOMPARE(answered.header("X-Request-Id"), "req-42"_ba);
        QJsonObject line;
        QTRY_VERIFY([&] {
            for (const QString &text : server.log().split(u'\n')) {
                const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
                if (object.value("request_id"_L1).toString() == "req-42"_L1) {
                    line = object;
                    return true;
                }
            }
            return false;
        }());
        QCOMPARE(line.value("trace_id"_L1).toString(), QString::fromLatin1(traceId));
        QCOMPARE(line.value("category"_L1).toString(), u"chat.http"_s);
        QCOMPARE(line.value("status"_L1).toString(), u"401"_s);
    }

    // Qt 6.4 deletes the socket of a client that hangs up; an answer written to it afterwards
    // crashed the server (QT64-NOTES). Logins take an Argon2id verification, long enough to leave.
    void clientThatHangsUpBeforeItsAnswerLeavesTheServerUp() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        QVERIFY(createAccount(server, u"leaver"_s));
        const QByteArray body =
            QJsonDocument(credentials(u"leaver"_s)).toJson(QJsonDocument::Compact);
        for (int i = 0; i < 5; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, server.port());
            QVERIFY(socket.waitForConnected(5000));
            socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\n\r\n" + body);
            QVERIFY(socket.waitForBytesWritten(5000));
            socket.abort();
        }
        QTRY_VERIFY(server.log().contains(u"client left before its response"_s));
        QCOMPARE(httpGet(server.httpUrl(u"/healthz"_s)).status, 200);
        QCOMPARE(server.process().state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TestWeb)
#include "tst_web.moc"
