// SPDX-License-Identifier: MIT
// chat-server as the packages run it: readiness, reload and stop told to systemd through
// $NOTIFY_SOCKET; readiness and acknowledgements while PostgreSQL is unreachable; the packaged
// configuration file listing every key with its real default; the Grafana dashboard and the alert
// rules asking only for metrics the server exports.
#include "http.h"
#include "serverprocess.h"
#include "tcprelay.h"
#include "testclient.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <csignal>
#include <memory>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

QString sourcePath(const QString &relative) {
    return QDir(QStringLiteral(NEONCHAT_SOURCE_DIR)).filePath(relative);
}

QByteArray readFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot read %s", qPrintable(path));
        return {};
    }
    return file.readAll();
}

// The datagram socket systemd listens on for sd_notify messages, one message per datagram.
class NotifySocket {
public:
    explicit NotifySocket(const QString &path)
        : m_path(path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        if (m_fd < 0 || encoded.size() >= static_cast<qsizetype>(sizeof(address.sun_path))) {
            return;
        }
        std::copy(encoded.cbegin(), encoded.cend(), address.sun_path);
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0) {
            return;
        }
        m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(),
                         [this] { readAll(); });
        m_bound = true;
    }
    ~NotifySocket() {
        m_notifier.reset();
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    NotifySocket(const NotifySocket &) = delete;
    NotifySocket &operator=(const NotifySocket &) = delete;

    [[nodiscard]] bool isBound() const { return m_bound; }
    [[nodiscard]] const QList<QByteArray> &messages() const { return m_messages; }
    [[nodiscard]] qsizetype indexOf(const QByteArray &start, qsizetype from = 0) const {
        for (qsizetype i = from; i < m_messages.size(); ++i) {
            if (m_messages[i].startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

private:
    void readAll() {
        char buffer[4096];
        for (;;) {
            const ssize_t size = ::recv(m_fd, buffer, sizeof(buffer), 0);
            if (size < 0) {
                return;
            }
            m_messages.append(QByteArray(buffer, size));
        }
    }

    QString m_path;
    int m_fd = -1;
    bool m_bound = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QList<QByteArray> m_messages;
};

// The configuration keys chat-server knows: its options, from --help, but for the ones that
// are not configuration (help, version, and config itself).
QStringList configurationKeys() {
    QProcess help;
    help.start(chatServerPath(), {u"--help"_s});
    if (!help.waitForFinished(10000)) {
        return {};
    }
    static const QRegularExpression option(u"^\\s+--([a-z][a-z-]*) <"_s,
                                           QRegularExpression::MultilineOption);
    QStringList keys;
    for (auto match = option.globalMatch(QString::fromUtf8(help.readAllStandardOutput()));
         match.hasNext();) {
        const QString key = match.next().captured(1);
        if (key != "config"_L1) {
            keys.append(key);
        }
    }
    return keys;
}

// "effective configuration: a=1 b=2" from a start-up log, as a key → value map.
QMap<QString, QString> effectiveConfiguration(const QString &log) {
    static const QRegularExpression line(u"effective configuration: ([^\"\\n]*)"_s);
    QMap<QString, QString> values;
    const QString pairs = line.match(log).captured(1);
    for (const QString &pair : pairs.split(u' ', Qt::SkipEmptyParts)) {
        values.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    }
    return values;
}

// The metric names a PromQL expression reads: what is left once label matchers, ranges,
// grouping clauses, function calls, keywords and numbers are taken out.
QSet<QString> metricNames(QString expression) {
    static const QRegularExpression matchers(u"\\{[^}]*\\}"_s);
    static const QRegularExpression ranges(u"\\[[^\\]]*\\]"_s);
    static const QRegularExpression grouping(
        u"\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)"_s);
    static const QRegularExpression variables(u"\\$\\w+"_s);
    static const QRegularExpression identifier(u"[A-Za-z_:][A-Za-z0-9_:]*+(?!\\s*\\()"_s);
    static const QSet<QString> keywords{u"and"_s,      u"or"_s,         u"unless"_s,     u"bool"_s,
                                        u"offset"_s,   u"by"_s,         u"without"_s,    u"on"_s,
                                        u"ignoring"_s, u"group_left"_s, u"group_right"_s};
    expression.remove(matchers).remove(ranges).remove(grouping).remove(variables);
    QSet<QString> names;
    for (auto match = identifier.globalMatch(expression); match.hasNext();) {
        const QRegularExpressionMatch found = match.next();
        // An identifier that is the tail of a number (1e3) or of a longer name is not a name.
        const qsizetype start = found.capturedStart();
        if (start > 0 && (expression[start - 1].isLetterOrNumber() ||
                          expression[start - 1] == u'_' || expression[start - 1] == u'.')) {
            continue;
        }
        if (!keywords.contains(found.captured())) {
            names.insert(found.captured());
        }
    }
    return names;
}

void collectJsonExpressions(const QJsonValue &value, QStringList &out) {
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == "expr"_L1 && it.value().isString()) {
                out.append(it.value().toString());
            } else {
                collectJsonExpressions(it.value(), out);
            }
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            collectJsonExpressions(item, out);
        }
    }
}

} // namespace

// A TcpRelay on a thread of its own: the server it relays for is started (and waited for) while
// the test's thread is blocked.
class RelayThread {
public:
    explicit RelayThread(quint16 serverPort) {
        m_thread.start();
        m_home.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &m_home,
            [this, serverPort] {
                m_relay = std::make_unique<TcpRelay>(serverPort);
                m_listening = m_relay->listen();
            },
            Qt::BlockingQueuedConnection);
    }
    ~RelayThread() {
        QMetaObject::invokeMethod(
            &m_home, [this] { m_relay.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    RelayThread(const RelayThread &) = delete;
    RelayThread &operator=(const RelayThread &) = delete;

    [[nodiscard]] bool isListening() const { return m_listening; }
    [[nodiscard]] quint16 port() const { return m_relay->port(); }
    void setRefusing(bool refusing) {
        QMetaObject::invokeMethod(
            &m_home, [this, refusing] { m_relay->setRefusing(refusing); },
            Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    QObject m_home;
    std::unique_ptr<TcpRelay> m_relay;
    bool m_listening = false;
};

class TestService : public QObject {
    Q_OBJECT

private slots:
    void tellsSystemdReadyReloadingAndStopping() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        NotifySocket notify(dir.filePath(u"notify"_s));
        QVERIFY(notify.isBound());
        ServerProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"NOTIFY_SOCKET"_s, dir.filePath(u"notify"_s));
        server.process().setProcessEnvironment(environment);
        QVERIFY2(server.start(), qPrintable(server.log()));

        QTRY_VERIFY(notify.indexOf("READY=1") >= 0);
        const QByteArray ready = notify.messages().at(notify.indexOf("READY=1"));
        QVERIFY2(ready.contains("STATUS=listening on port " + QByteArray::number(server.port())),
                 ready.constData());
        // Ready means ready: systemd orders dependent units after this message.
        QCOMPARE(httpGet(server.httpUrl(u"/readyz"_s)).status, 200);

        server.signal(SIGHUP);
        QTRY_VERIFY(notify.indexOf("RELOADING=1") >= 0);
        const qsizetype reloading = notify.indexOf("RELOADING=1");
        QTRY_VERIFY(notify.indexOf("READY=1", reloading) > reloading);
        QVERIFY(notify.messages()
                    .at(notify.indexOf("READY=1", reloading))
                    .contains("STATUS=configuration reloaded"));

        const qsizetype beforeStop = notify.messages().size();
        server.signal(SIGTERM);
        QTRY_VERIFY(notify.indexOf("STOPPING=1", beforeStop) >= 0);
        QVERIFY(server.waitForExit(15000));
        QCOMPARE(server.process().exitCode(), 0);
    }

    // PostgreSQL becomes unreachable under a running server (through a relay that refuses every
    // connection): /readyz says the database is down, a message sent meanwhile is answered with
    // an error and not acknowledged, and once the database is back the server is ready again
    // and the same message, sent again, is stored once.
    void databaseOutage() {
        TestDatabase database;
        QVERIFY2(database.create(), qPrintable(database.failureText()));
        QVERIFY2(database.isPostgres(), "this test cuts the link to a PostgreSQL server");
        QUrl url(database.url());
        RelayThread relay(static_cast<quint16>(url.port()));
        QVERIFY(relay.isListening());
        url.setPort(relay.port());
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, url.toString()}), qPrintable(server.log()));
        const auto readiness = [&server] {
            const HttpResult answer = httpGet(server.httpUrl(u"/readyz"_s));
            return std::pair(answer.status, QJsonDocument::fromJson(answer.body)
                                                .object()
                                                .value("checks"_L1)
                                                .toObject()
                                                .value("database"_L1)
                                                .toString());
        };
        QCOMPARE(readiness(), std::pair(200, u"ok"_s));
        TestClient client;
        QVERIFY(!client.join(server.wsUrl(u"name=steady"_s)).isEmpty());
        const auto send = [&client](const QString &requestId) {
            client.sendJson({{"type"_L1, "message"_L1},
                             {"text"_L1, u"message "_s + requestId},
                             {"request_id"_L1, requestId}});
        };
        send(u"before"_s);
        QVERIFY(!client.waitFor(u"message_sent"_s).isEmpty());

        relay.setRefusing(true);
        QTRY_COMPARE_WITH_TIMEOUT(readiness(), std::pair(503, u"down"_s), 15000);
        send(u"during"_s);
        const QJsonObject error = client.waitFor(u"error"_s, 30000);
        QCOMPARE(error.value("code"_L1).toString(), u"internal"_s);
        QCOMPARE(error.value("request_id"_L1).toString(), u"during"_s);
        QCOMPARE(client.framesOfType(u"message_sent"_s).size(), 1);

        relay.setRefusing(false);
        QTRY_COMPARE_WITH_TIMEOUT(readiness(), std::pair(200, u"ok"_s), 15000);
        send(u"during"_s);
        const QJsonObject stored = client.waitFor(u"message_sent"_s, 15000);
        QCOMPARE(stored["message"_L1]["seq"_L1].toInteger(), 2);
        QVERIFY(client.isConnected());
    }

    void withoutNotifySocketNothingIsSent() {
        // A terminal or a container: no NOTIFY_SOCKET, no warning about one.
        ServerProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"NOTIFY_SOCKET"_s);
        server.process().setProcessEnvironment(environment);
        QVERIFY2(server.start(), qPrintable(server.log()));
        QCOMPARE(server.terminate(), 0);
        QVERIFY2(!server.log().contains(u"service manager"_s), qPrintable(server.log()));
    }

    void packagedConfigurationListsEveryKeyWithItsDefault() {
        const QString shipped =
            QString::fromUtf8(readFile(sourcePath(u"packaging/server/chat-server.yaml"_s)));
        QVERIFY(!shipped.isEmpty());
        const QStringList keys = configurationKeys();
        QVERIFY2(keys.size() >= 25, qPrintable(keys.join(u' ')));

        // Every key is there, set or commented out, and the commented ones can be uncommented.
        QString uncommented;
        for (const QString &key : keys) {
            const QRegularExpression present(
                u"^(# )?%1: (.*)$"_s.arg(QRegularExpression::escape(key)),
                QRegularExpression::MultilineOption);
            const QRegularExpressionMatch match = present.match(shipped);
            QVERIFY2(match.hasMatch(), qPrintable(u"%1 is not in chat-server.yaml"_s.arg(key)));
            uncommented += key + u": "_s + match.captured(2) + u'\n';
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString allKeys = dir.filePath(u"all-keys.yaml"_s);
        {
            QFile file(allKeys);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QCOMPARE(file.write(uncommented.toUtf8()), uncommented.toUtf8().size());
        }

        // Each value shown is the default: a server given all of them runs with the same
        // configuration as one given none (but for what the test itself sets).
        ServerProcess withDefaults;
        QVERIFY2(withDefaults.start({u"--config"_s, allKeys}), qPrintable(withDefaults.log()));
        ServerProcess withNothing;
        QVERIFY2(withNothing.start(), qPrintable(withNothing.log()));
        auto shown = effectiveConfiguration(withDefaults.log());
        auto defaults = effectiveConfiguration(withNothing.log());
        QVERIFY2(shown.size() >= keys.size(), qPrintable(withDefaults.log()));
        // data-dir: the packaged file sets the service's state directory; the test sets its own
        // data directory and database.
        for (const QString &ownedByTheTest : {u"config"_s, u"data-dir"_s, u"db"_s}) {
            shown.remove(ownedByTheTest);
            defaults.remove(ownedByTheTest);
        }
        for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
            QVERIFY2(shown.value(it.key()) == it.value(),
                     qPrintable(u"%1: the file says %2, the default is %3"_s.arg(
                         it.key(), shown.value(it.key()), it.value())));
        }
        QCOMPARE(shown, defaults);
    }

    void dashboardAndAlertsAskOnlyForExportedMetrics() {
        QStringList expressions;
        const QJsonDocument dashboard = QJsonDocument::fromJson(
            readFile(sourcePath(u"packaging/grafana/dashboards/neonchat.json"_s)));
        QVERIFY(dashboard.isObject());
        collectJsonExpressions(dashboard.object(), expressions);
        const qsizetype dashboardExpressions = expressions.size();
        QVERIFY(dashboardExpressions >= 10);
        const YAML::Node rules =
            YAML::LoadFile(sourcePath(u"packaging/prometheus/neonchat-alerts.yml"_s).toStdString());
        for (const YAML::Node &group : rules["groups"]) {
            for (const YAML::Node &rule : group["rules"]) {
                expressions.append(QString::fromStdString(rule["expr"].as<std::string>()));
            }
        }
        QVERIFY(expressions.size() > dashboardExpressions + 5);

        QSet<QString> used;
        for (const QString &expression : std::as_const(expressions)) {
            used.unite(metricNames(expression));
        }
        // up is Prometheus' own: whether the scrape of an instance succeeded.
        used.remove(u"up"_s);
        QVERIFY2(used.contains(u"chat_message_delivery_seconds_bucket"_s),
                 qPrintable(QStringList(used.cbegin(), used.cend()).join(u' ')));

        // With --redis set, so that everything a clustered instance exports is there.
        ServerProcess server;
        QVERIFY2(server.start({u"--redis"_s, u"redis://127.0.0.1:1"_s}), qPrintable(server.log()));
        const HttpResult metrics = httpGet(server.httpUrl(u"/metrics"_s));
        QCOMPARE(metrics.status, 200);
        static const QRegularExpression family(u"^# TYPE (\\S+) (\\S+)$"_s,
                                               QRegularExpression::MultilineOption);
        QSet<QString> exported;
        for (auto match = family.globalMatch(QString::fromUtf8(metrics.body)); match.hasNext();) {
            const QRegularExpressionMatch found = match.next();
            exported.insert(found.captured(1));
            if (found.captured(2) == "histogram"_L1) {
                for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                    exported.insert(found.captured(1) + QLatin1StringView(suffix));
                }
            }
        }
        QVERIFY(exported.size() >= 10);
        QStringList missing;
        for (const QString &name : std::as_const(used)) {
            if (!exported.contains(name)) {
                missing.append(name);
            }
        }
        missing.sort();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"used by the dashboard or the alerts, not exported: "_s +
                            missing.join(u", "_s)));
    }
};

QTEST_GUILESS_MAIN(TestService)
#include "tst_service.moc"
