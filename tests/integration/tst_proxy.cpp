// SPDX-License-Identifier: MIT
// The shipped nginx configuration (packaging/nginx/neonchat.conf) in front of two instances, as
// OPERATIONS.md tells an operator to run them: a real nginx balancing real chat-server instances
// on one PostgreSQL database and one Redis. REST and the WebSocket upgrade go through it to
// either instance, and when one instance dies the clients that reconnect land on the other.
#include "accounts.h"
#include "http.h"
#include "redisprocess.h"
#include "serverprocess.h"
#include "testclient.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;

int openConnections(const ServerProcess &server) {
    return static_cast<int>(server.metric("websocket_connections_current"));
}

quint16 freePort() {
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// nginx with the shipped site configuration, its upstream pointed at the given ports.
class Nginx {
public:
    [[nodiscard]] bool start(const QList<quint16> &upstreamPorts) {
        QFile site(
            QDir(QStringLiteral(NEONCHAT_SOURCE_DIR)).filePath(u"packaging/nginx/neonchat.conf"_s));
        if (!m_dir.isValid() || !site.open(QIODevice::ReadOnly)) {
            m_failure = u"cannot read %1"_s.arg(site.fileName());
            return false;
        }
        QString text = QString::fromUtf8(site.readAll());
        // The sample's upstream lists its instances (one line each, some commented out).
        static const QRegularExpression servers(u"\\n\\s*#?\\s*server [^;]+:8080;"_s);
        QString upstream;
        for (const quint16 port : upstreamPorts) {
            upstream += u"\n    server 127.0.0.1:%1;"_s.arg(port);
        }
        const qsizetype first = text.indexOf(servers);
        text.remove(servers);
        text.insert(first, upstream);
        m_port = freePort();
        text.replace(u"listen 80;"_s, u"listen 127.0.0.1:%1;"_s.arg(m_port));
        const QString conf = m_dir.filePath(u"nginx.conf"_s);
        QFile main(conf);
        if (!main.open(QIODevice::WriteOnly)) {
            m_failure = u"cannot write %1"_s.arg(conf);
            return false;
        }
        main.write(u"daemon off;\nmaster_process off;\nworker_processes 1;\n"
                   "pid %1/nginx.pid;\nerror_log %1/error.log;\nevents {}\nhttp {\n"
                   "access_log off;\nclient_body_temp_path %1/body;\nproxy_temp_path %1/proxy;\n"
                   "%2\n}\n"_s.arg(m_dir.path(), text)
                       .toUtf8());
        main.close();
        m_process.start(u"nginx"_s, {u"-p"_s, m_dir.path(), u"-c"_s, conf});
        if (!m_process.waitForStarted(5000)) {
            m_failure = u"nginx does not start (scripts/install-deps --test installs it)"_s;
            return false;
        }
        // Up once it accepts connections.
        for (int attempt = 0; attempt < 100; ++attempt) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (socket.waitForConnected(100)) {
                return true;
            }
            if (m_process.state() == QProcess::NotRunning) {
                break;
            }
            QTest::qWait(50);
        }
        m_failure =
            u"nginx did not listen: "_s + QString::fromUtf8(m_process.readAll()) + errorLog();
        return false;
    }

    ~Nginx() {
        m_process.kill();
        const bool stopped = m_process.waitForFinished(5000);
        Q_UNUSED(stopped) // a test's nginx that outlives kill is the OS's business now
    }

    [[nodiscard]] QString errorLog() const {
        QFile log(m_dir.filePath(u"error.log"_s));
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    }
    [[nodiscard]] QString failureText() const { return m_failure; }
    [[nodiscard]] QUrl httpUrl(const QString &path) const {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
    }
    [[nodiscard]] QUrl wsUrl(const QString &query) const {
        return QUrl(u"ws://127.0.0.1:%1/ws?%2"_s.arg(m_port).arg(query));
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_failure;
};

} // namespace

class TestProxy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QVERIFY2(m_redis.start(), qPrintable(m_redis.failureText()));
        m_database = std::make_unique<TestDatabase>();
        QVERIFY2(m_database->create(), qPrintable(m_database->failureText()));
        QVERIFY2(m_database->isPostgres(), "instances behind a proxy share a PostgreSQL database");
        for (auto *instance : {&m_a, &m_b}) {
            *instance = std::make_unique<ServerProcess>();
            QVERIFY2(
                (*instance)->start({u"--db"_s, m_database->url(), u"--redis"_s, m_redis.url(),
                                    u"--jwt-secret"_s, u"proxy-test-secret-of-at-least-32-bytes"_s,
                                    u"--cluster-timeout"_s, u"3s"_s}),
                qPrintable((*instance)->log()));
        }
        m_nginx = std::make_unique<Nginx>();
        QVERIFY2(m_nginx->start({m_a->port(), m_b->port()}), qPrintable(m_nginx->failureText()));
    }

    void cleanup() {
        m_nginx.reset();
        m_a.reset();
        m_b.reset();
        QVERIFY(m_redis.kill());
    }

    // Accounts, WebSocket sessions and messages through the proxy: the sessions are spread over
    // both instances, and each one gets the lobby message.
    void sessionsThroughTheProxyReachEachOther() {
        const QJsonObject credentials{{"username"_L1, u"alice"_s},
                                      {"password"_L1, u"a long enough password"_s}};
        QCOMPARE(httpPostJson(m_nginx->httpUrl(u"/api/v1/auth/register"_s), credentials).status,
                 201);
        const HttpResult login =
            httpPostJson(m_nginx->httpUrl(u"/api/v1/auth/login"_s), credentials);
        QCOMPARE(login.status, 200);
        const QString token = login.json().value("token"_L1).toString();

        constexpr int kClients = 4;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            const QString query = i == 0 ? u"token="_s + token : u"name=guest%1"_s.arg(i);
            QVERIFY(!clients.back()->join(m_nginx->wsUrl(query)).isEmpty());
        }
        // nginx balances round robin: both instances hold sessions.
        QTRY_COMPARE(openConnections(*m_a) + openConnections(*m_b), kClients);
        QVERIFY(openConnections(*m_a) > 0);
        QVERIFY(openConnections(*m_b) > 0);

        clients.front()->sendJson({{"type"_L1, "message"_L1},
                                   {"text"_L1, u"through nginx"_s},
                                   {"request_id"_L1, u"p1"_s}});
        QVERIFY(!clients.front()->waitFor(u"message_sent"_s).isEmpty());
        for (int i = 1; i < kClients; ++i) {
            const QJsonObject received = clients[i]->waitFor(u"new_message"_s, 15000);
            QCOMPARE(received["message"_L1]["text"_L1].toString(), u"through nginx"_s);
            QCOMPARE(received["message"_L1]["chat_id"_L1].toString(), kLobby);
        }
    }

    // Probes and metrics are for the orchestrator and Prometheus, not the public side.
    void probesAndMetricsStayInside_data() {
        QTest::addColumn<QString>("path");
        QTest::addRow("metrics") << u"/metrics"_s;
        QTest::addRow("healthz") << u"/healthz"_s;
        QTest::addRow("readyz") << u"/readyz"_s;
    }

    void probesAndMetricsStayInside() {
        QFETCH(QString, path);
        QCOMPARE(httpGet(m_nginx->httpUrl(path)).status, 404);
        QCOMPARE(httpGet(m_a->httpUrl(path)).status, 200);
    }

    // One instance dies: its sessions are cut, and when they connect again through the proxy
    // they land on the instance that lives and talk to the sessions that never left.
    void clientsOfADeadInstanceReconnectToTheOther() {
        constexpr int kClients = 4;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(!clients.back()->join(m_nginx->wsUrl(u"name=g%1"_s.arg(i))).isEmpty());
        }
        QTRY_COMPARE(openConnections(*m_a), kClients / 2);
        QVERIFY(m_b->kill());
        const auto cut = [&clients] {
            return std::count_if(clients.cbegin(), clients.cend(),
                                 [](const auto &client) { return !client->isConnected(); });
        };
        QTRY_COMPARE(cut(), kClients / 2);
        for (auto &client : clients) {
            if (!client->isConnected()) {
                client = std::make_unique<TestClient>();
                QVERIFY2(!client->join(m_nginx->wsUrl(u"name=again"_s)).isEmpty(),
                         qPrintable(m_nginx->errorLog()));
            }
        }
        QTRY_COMPARE(openConnections(*m_a), kClients);
        clients.front()->sendJson(
            {{"type"_L1, "message"_L1}, {"text"_L1, u"still here"_s}, {"request_id"_L1, u"s1"_s}});
        for (int i = 1; i < kClients; ++i) {
            QCOMPARE(
                clients[i]->waitFor(u"new_message"_s, 15000)["message"_L1]["text"_L1].toString(),
                u"still here"_s);
        }
    }

private:
    RedisProcess m_redis;
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<ServerProcess> m_a;
    std::unique_ptr<ServerProcess> m_b;
    std::unique_ptr<Nginx> m_nginx;
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
