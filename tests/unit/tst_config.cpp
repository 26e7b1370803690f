// SPDX-License-Identifier: MIT
#include "config/config.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace neonchat::server;

Q_DECLARE_METATYPE(neonchat::server::DatabaseTarget)

namespace {

ConfigResult resolve(const QStringList &flags, const QStringList &env = {}) {
    QCommandLineParser parser;
    addConfigOptions(parser);
    if (!parser.parse(QStringList{u"chat-server"_s} + flags)) {
        return ConfigError{parser.errorText()};
    }
    QProcessEnvironment environment;
    for (const QString &pair : env) {
        environment.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    }
    return resolveConfig(parser, environment, false);
}

QString errorOf(const ConfigResult &result) {
    const auto *error = std::get_if<ConfigError>(&result);
    return error ? error->message : QString();
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsMatchTheContract() {
        const auto result = resolve({});
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(errorOf(result)));
        const Config config = std::get<Config>(result);
        QCOMPARE(config.port, 8080);
        QCOMPARE(config.addr, QHostAddress(u"0.0.0.0"_s));
        QCOMPARE(config.limits.msgMaxBytes, 32768);
        QCOMPARE(config.limits.sendBuffer, 256);
        QCOMPARE(config.limits.pingInterval, 30s);
        QCOMPARE(config.limits.idleTimeout, 10min);
        QCOMPARE(config.limits.rateLimit, 20);
        QCOMPARE(config.limits.maxConnections, 50000);
        QCOMPARE(config.limits.uploadMaxBytes, 26214400); // CONTRACT §9
        QCOMPARE(config.uploadExpiry, 24h);
        QCOMPARE(config.shutdownTimeout, 10s);
        QVERIFY(config.allowGuests);
        QCOMPARE(config.logLevel, LogLevel::Info);
        QCOMPARE(config.logFormat, LogFormat::Json); // not a terminal
    }

    void precedence_data() {
        QTest::addColumn<bool>("flag");
        QTest::addColumn<bool>("env");
        QTest::addColumn<bool>("file");
        QTest::addColumn<int>("expected");
        QTest::addRow("default only") << false << false << false << 20;
        QTest::addRow("file beats default") << false << false << true << 3;
        QTest::addRow("env beats file") << false << true << true << 2;
        QTest::addRow("flag beats env and file") << true << true << true << 1;
        QTest::addRow("flag beats file") << true << false << true << 1;
    }

    void precedence() {
        QFETCH(bool, flag);
        QFETCH(bool, env);
        QFETCH(bool, file);
        QFETCH(int, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"chat.yaml"_s);
        QFile yaml(path);
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write("rate-limit: 3\n");
        yaml.close();

        QStringList flags;
        QStringList environment;
        if (flag) {
            flags << u"--rate-limit"_s << u"1"_s;
        }
        if (env) {
            environment << u"CHAT_RATE_LIMIT=2"_s;
        }
        if (file) {
            flags << u"--config"_s << path;
        }
        const auto result = resolve(flags, environment);
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(errorOf(result)));
        QCOMPARE(std::get<Config>(result).limits.rateLimit, expected);
    }

    void invalidValuesNameTheirSource_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("mentions");

        QTest::addRow("port not a number")
            << QStringList{u"--port"_s, u"http"_s} << QStringList{} << u"--port"_s;
        QTest::addRow("port too large")
            << QStringList{u"--port"_s, u"70000"_s} << QStringList{} << u"between 0 and 65535"_s;
        QTest::addRow("bad env rate")
            << QStringList{} << QStringList{u"CHAT_RATE_LIMIT=fast"_s} << u"CHAT_RATE_LIMIT"_s;
        QTest::addRow("zero rate")
            << QStringList{u"--rate-limit"_s, u"0"_s} << QStringList{} << u"--rate-limit"_s;
        QTest::addRow("duration without number")
            << QStringList{u"--ping-interval"_s, u"soon"_s} << QStringList{} << u"duration"_s;
        QTest::addRow("zero duration")
            << QStringList{u"--idle-timeout"_s, u"0s"_s} << QStringList{} << u"--idle-timeout"_s;
        QTest::addRow("zero upload size") << QStringList{u"--upload-max-bytes"_s, u"0"_s}
                                          << QStringList{} << u"--upload-max-bytes"_s;
        QTest::addRow("upload size beyond 4 GiB")
            << QStringList{u"--upload-max-bytes"_s, u"4294967297"_s} << QStringList{}
            << u"--upload-max-bytes"_s;
        QTest::addRow("bad upload expiry")
            << QStringList{u"--upload-expiry"_s, u"tomorrow"_s} << QStringList{} << u"duration"_s;
        QTest::addRow("bad address")
            << QStringList{u"--addr"_s, u"999.1.1.1"_s} << QStringList{} << u"--addr"_s;
        QTest::addRow("bad log level") << QStringList{u"--log-level"_s, u"loud"_s} << QStringList{}
                                       << u"debug, info, warn or error"_s;
        QTest::addRow("bad log format")
            << QStringList{} << QStringList{u"CHAT_LOG_FORMAT=xml"_s} << u"CHAT_LOG_FORMAT"_s;
        QTest::addRow("bad bool") << QStringList{u"--allow-guests"_s, u"maybe"_s} << QStringList{}
                                  << u"--allow-guests"_s;
        QTest::addRow("bad cidr") << QStringList{u"--ip-deny"_s, u"10.0.0.0/40"_s} << QStringList{}
                                  << u"10.0.0.0/40"_s;
        QTest::addRow("bad origin") << QStringList{u"--cors-origins"_s, u"chat.example.com"_s}
                                    << QStringList{} << u"--cors-origins"_s;
        QTest::addRow("bad db") << QStringList{u"--db"_s, u"mysql://x"_s} << QStringList{}
                                << u"--db"_s;
        QTest::addRow("bad redis")
            << QStringList{u"--redis"_s, u"localhost:6379"_s} << QStringList{} << u"--redis"_s;
        QTest::addRow("redis database not a number")
            << QStringList{u"--redis"_s, u"redis://127.0.0.1:6379/abc"_s} << QStringList{}
            << u"redis://host:port[/db]"_s;
        QTest::addRow("redis with a password")
            << QStringList{u"--redis"_s, u"redis://:secret@127.0.0.1:6379"_s} << QStringList{}
            << u"password in the Redis URL is not supported"_s;
        QTest::addRow("redis without a database")
            << QStringList{u"--redis"_s, u"redis://127.0.0.1:6379"_s} << QStringList{}
            << u"--redis needs a PostgreSQL --db"_s;
        QTest::addRow("redis with sqlite") << QStringList{u"--redis"_s, u"redis://127.0.0.1:6379"_s,
                                                          u"--db"_s, u"sqlite:/tmp/x.db"_s}
                                           << QStringList{} << u"--redis needs a PostgreSQL --db"_s;
        QTest::addRow("short jwt secret")
            << QStringList{u"--jwt-secret"_s, u"short"_s} << QStringList{} << u"32 bytes"_s;
        QTest::addRow("missing tls file") << QStringList{u"--tls-cert"_s, u"/nonexistent.pem"_s}
                                          << QStringList{} << u"--tls-cert"_s;
        QTest::addRow("missing config file") << QStringList{u"--config"_s, u"/nonexistent.yaml"_s}
                                             << QStringList{} << u"/nonexistent.yaml"_s;
    }

    void invalidValuesNameTheirSource() {
        QFETCH(QStringList, flags);
        QFETCH(QStringList, env);
        QFETCH(QString, mentions);
        const QString error = errorOf(resolve(flags, env));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void fileErrorsHaveLineAndColumn_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("unknown key")
            << "port: 80\nrate-limt: 5\n"_ba << u":2:1: unknown key 'rate-limt'"_s;
        QTest::addRow("bad value") << "port: 80\nsend-buffer: lots\n"_ba << u":2:14 send-buffer"_s;
        QTest::addRow("syntax error") << "port: [80\n"_ba << u":2:1"_s;
        QTest::addRow("not a mapping") << "- port\n"_ba << u"mapping"_s;
        QTest::addRow("nested mapping") << "limits:\n  port: 1\n"_ba << u"unknown key 'limits'"_s;
    }

    void fileErrorsHaveLineAndColumn() {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.yaml"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(yaml);
        file.close();
        const QString error = errorOf(resolve({u"--config"_s, path}));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void fileAcceptsListsAndDurations() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ok.yaml"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("cors-origins: [https://a.example, http://b.example:8080]\n"
                   "ip-deny:\n  - 10.0.0.0/8\n  - 192.168.1.7\n"
                   "ping-interval: 500ms\nidle-timeout: 2h\nallow-guests: false\n"
                   "upload-max-bytes: 1048576\nupload-expiry: 90m\n");
        file.close();
        const auto result = resolve({u"--config"_s, path});
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(errorOf(result)));
        const Config config = std::get<Config>(result);
        QCOMPARE(config.corsOrigins,
                 (QStringList{u"https://a.example"_s, u"http://b.example:8080"_s}));
        QCOMPARE(config.ipDeny.size(), 2);
        QVERIFY(config.ipDeny[0].contains(QHostAddress(u"10.1.2.3"_s)));
        QVERIFY(config.ipDeny[1].contains(QHostAddress(u"192.168.1.7"_s)));
        QVERIFY(!config.ipDeny[1].contains(QHostAddress(u"192.168.1.8"_s)));
        QCOMPARE(config.limits.pingInterval, 500ms);
        QCOMPARE(config.limits.idleTimeout, 2h);
        QVERIFY(!config.allowGuests);
        QCOMPARE(config.limits.uploadMaxBytes, 1048576);
        QCOMPARE(config.uploadExpiry, 90min);
    }

    void secretsAreMaskedInTheDescription() {
        const auto result = resolve({u"--auth-token"_s, u"s3cret-token"_s, u"--db"_s,
                                     u"postgres://chat:hunter2@db:5432/chat"_s},
                                    {u"CHAT_JWT_SECRET=0123456789abcdef0123456789abcdef"_s});
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(errorOf(result)));
        QString described;
        for (const auto &[key, value] : describeConfig(std::get<Config>(result))) {
            described += key + u'=' + value + u' ';
        }
        QVERIFY(!described.contains(u"s3cret-token"_s));
        QVERIFY(!described.contains(u"hunter2"_s));
        QVERIFY(!described.contains(u"0123456789abcdef"_s));
        QVERIFY2(described.contains(u"db:5432/chat"_s), qPrintable(described));
    }

    void reloadReportsRestartOnlyKeys() {
        const Config running = std::get<Config>(resolve({}));
        const Config reloaded =
            std::get<Config>(resolve({u"--port"_s, u"9000"_s, u"--rate-limit"_s, u"5"_s}));
        QCOMPARE(restartOnlyChanges(running, reloaded), QStringList{u"port"_s});
    }

    void databaseUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<DatabaseTarget>("expected");
        auto sqlite = [](const QString &path) {
            DatabaseTarget target;
            target.sqlitePath = path;
            return target;
        };
        auto postgres = [](const QString &host, int port, const QString &user,
                           const QString &password, const QString &name) {
            DatabaseTarget target;
            target.dialect = SqlDialect::Postgres;
            target.host = host;
            target.port = port;
            target.user = user;
            target.password = password;
            target.databaseName = name;
            return target;
        };
        QTest::addRow("default") << QString() << sqlite(u"/data/neonchat.db"_s);
        QTest::addRow("sqlite relative") << u"sqlite:chat.db"_s << sqlite(u"chat.db"_s);
        QTest::addRow("sqlite absolute") << u"sqlite:/var/lib/c.db"_s << sqlite(u"/var/lib/c.db"_s);
        QTest::addRow("sqlite url form")
            << u"sqlite:///var/lib/c.db"_s << sqlite(u"/var/lib/c.db"_s);
        QTest::addRow("postgres full")
            << u"postgres://chat:pw@db.local:6432/neonchat"_s
            << postgres(u"db.local"_s, 6432, u"chat"_s, u"pw"_s, u"neonchat"_s);
        QTest::addRow("postgresql default port")
            << u"postgresql://chat@db/neonchat"_s
            << postgres(u"db"_s, 5432, u"chat"_s, QString(), u"neonchat"_s);
        QTest::addRow("escaped password")
            << u"postgres://chat:p%40ss%2Fw@db/n"_s
            << postgres(u"db"_s, 5432, u"chat"_s, u"p@ss/w"_s, u"n"_s);
    }

    void databaseUrls() {
        QFETCH(QString, url);
        QFETCH(DatabaseTarget, expected);
        const auto parsed = parseDatabaseUrl(url, u"/data"_s);
        QVERIFY(std::holds_alternative<DatabaseTarget>(parsed));
        QCOMPARE(std::get<DatabaseTarget>(parsed), expected);
    }

    void badDatabaseUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addRow("other scheme") << u"mysql://db/n"_s;
        QTest::addRow("sqlite empty") << u"sqlite:"_s;
        QTest::addRow("no host") << u"postgres:///n"_s;
        QTest::addRow("no database") << u"postgres://db"_s;
        QTest::addRow("nested path") << u"postgres://db/a/b"_s;
        QTest::addRow("bad port") << u"postgres://db:99999/n"_s;
    }

    void badDatabaseUrls() {
        QFETCH(QString, url);
        QVERIFY(std::holds_alternative<QString>(parseDatabaseUrl(url, u"/data"_s)));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
