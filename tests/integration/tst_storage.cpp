// SPDX-License-Identifier: MIT
// Durable history against the real chat-server on a real database: every acknowledged message
// survives kill -9 exactly once, seq has no holes under concurrent senders, and `chat-server
// migrate` brings a database to the current schema.
#include "accounts.h"
#include "http.h"
#include "serverprocess.h"
#include "store/database.h"
#include "testclient.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;

QJsonObject message(const QString &text, const QString &requestId) {
    return {{"type"_L1, "message"_L1}, {"text"_L1, text}, {"request_id"_L1, requestId}};
}

// The whole lobby history as a fresh client sees it through sync, oldest first.
QList<QJsonObject> lobbyHistory(ServerProcess &server) {
    TestClient reader;
    if (reader.join(server.wsUrl(u"name=reader"_s)).isEmpty()) {
        return {};
    }
    qint64 afterSeq = 0;
    for (;;) {
        reader.sendJson(
            {{"type"_L1, "sync"_L1}, {"chat_id"_L1, kLobby}, {"after_seq"_L1, afterSeq}});
        const QJsonObject done = reader.waitFor(u"sync_done"_s, 30000);
        if (done.isEmpty()) {
            return {};
        }
        const QList<QJsonObject> replayed = reader.framesOfType(u"new_message"_s);
        if (!replayed.isEmpty()) {
            afterSeq = replayed.last()["message"_L1]["seq"_L1].toInteger();
        }
        if (!done.value("has_more"_L1).toBool()) {
            QList<QJsonObject> messages;
            for (const QJsonObject &frame : replayed) {
                messages.append(frame.value("message"_L1).toObject());
            }
            return messages;
        }
    }
}

// A message id begins with its creation time in milliseconds (docs/ARCHITECTURE.md, "Storage").
qint64 millisecondsInId(const QString &id) {
    bool ok = false;
    const qint64 ms = QString(id.left(8) + id.mid(9, 4)).toLongLong(&ok, 16);
    return ok ? ms : -1;
}

struct RunResult {
    int exitCode = -1;
    QString output;
};

RunResult runServerCommand(const QStringList &arguments) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(chatServerPath(), arguments);
    if (!process.waitForFinished(30000)) {
        process.kill();
        return {};
    }
    return {process.exitCode(), QString::fromUtf8(process.readAll())};
}

} // namespace

class TestStorage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qInfo() << "database:" << testDatabaseKind(); }

    void acknowledgedMessagesSurviveKill() {
        constexpr int kMessages = 300;
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"100000"_s}), qPrintable(server.log()));
        TestClient sender;
        QVERIFY(!sender.join(server.wsUrl(u"name=alice"_s)).isEmpty());
        for (int i = 0; i < kMessages; ++i) {
            sender.sendJson(message(u"durable %1"_s.arg(i), u"d%1"_s.arg(i)));
        }
        QTRY_COMPARE_WITH_TIMEOUT(sender.framesOfType(u"message_sent"_s).size(), kMessages, 60000);
        QHash<QString, QJsonObject> acked;
        for (const QJsonObject &ack : sender.framesOfType(u"message_sent"_s)) {
            const QJsonObject stored = ack.value("message"_L1).toObject();
            acked.insert(stored.value("id"_L1).toString(), stored);
        }
        QCOMPARE(acked.size(), kMessages);

        QVERIFY(server.kill());
        QVERIFY2(server.start(), qPrintable(server.log()));
        const QList<QJsonObject> history = lobbyHistory(server);
        QCOMPARE(history.size(), kMessages);
        QSet<QString> seen;
        for (qsizetype i = 0; i < history.size(); ++i) {
            const QJsonObject &stored = history[i];
            QCOMPARE(stored.value("seq"_L1).toInteger(), i + 1);
            const QString id = stored.value("id"_L1).toString();
            QVERIFY2(!seen.contains(id), qPrintable(u"stored twice: "_s + id));
            seen.insert(id);
            QCOMPARE(stored, acked.value(id));
            const QDateTime createdAt =
                QDateTime::fromString(stored.value("created_at"_L1).toString(), Qt::ISODateWithMs);
            QCOMPARE(millisecondsInId(id), createdAt.toMSecsSinceEpoch());
        }
    }

    void concurrentSendersGetOneGaplessSequence() {
        constexpr int kSenders = 6;
        constexpr int kEach = 60;
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"100000"_s}), qPrintable(server.log()));
        std::vector<std::unique_ptr<TestClient>> senders;
        for (int s = 0; s < kSenders; ++s) {
            senders.push_back(std::make_unique<TestClient>());
            QVERIFY(!senders.back()->join(server.wsUrl(u"name=s%1"_s.arg(s))).isEmpty());
        }
        for (int i = 0; i < kEach; ++i) {
            for (int s = 0; s < kSenders; ++s) {
                senders[s]->sendJson(message(u"s%1 m%2"_s.arg(s).arg(i), u"r%1"_s.arg(i)));
            }
        }
        for (const auto &sender : senders) {
            QTRY_COMPARE_WITH_TIMEOUT(sender->framesOfType(u"message_sent"_s).size(), kEach, 60000);
        }
        const QList<QJsonObject> history = lobbyHistory(server);
        QCOMPARE(history.size(), kSenders * kEach);
        for (qsizetype i = 0; i < history.size(); ++i) {
            QCOMPARE(history[i].value("seq"_L1).toInteger(), i + 1);
        }
        // Each sender's own messages keep the order it sent them in.
        for (int s = 0; s < kSenders; ++s) {
            int next = 0;
            for (const QJsonObject &stored : history) {
                if (stored.value("sender"_L1).toString() == u"s%1"_s.arg(s)) {
                    QCOMPARE(stored.value("text"_L1).toString(), u"s%1 m%2"_s.arg(s).arg(next));
                    ++next;
                }
            }
            QCOMPARE(next, kEach);
        }
    }

    void migrateBringsTheDatabaseToTheCurrentSchemaOnce() {
        TestDatabase database;
        QVERIFY2(database.create(), qPrintable(database.failureText()));
        const QStringList arguments{u"migrate"_s, u"--db"_s, database.url(), u"--log-format"_s,
                                    u"text"_s};
        const RunResult first = runServerCommand(arguments);
        QVERIFY2(first.exitCode == 0, qPrintable(first.output));
        QVERIFY2(first.output.contains(u"schema version 4: 4 migration(s) applied"_s),
                 qPrintable(first.output));
        const RunResult second = runServerCommand(arguments);
        QVERIFY2(second.exitCode == 0, qPrintable(second.output));
        QVERIFY2(second.output.contains(u"schema version 4: 0 migration(s) applied"_s),
                 qPrintable(second.output));
    }

    void storedMessagesBecomeSearchableWhenSearchArrives() {
        // A database of the schema before search (version 2) with messages in it: the server
        // upgrades it and finds them.
        TestDatabase database;
        QVERIFY2(database.create(), qPrintable(database.failureText()));
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, database.url()}), qPrintable(server.log()));
        const auto alice = createAccount(server, u"archivist"_s);
        QVERIFY(alice);
        {
            TestClient client;
            QVERIFY(!client.join(alice->wsUrl(server)).isEmpty());
            for (const QString &text : {u"the legacy archive moved"_s, u"Старый архив"_s}) {
                client.sendJson(message(text, text));
                QVERIFY(!client.waitFor(u"message_sent"_s).isEmpty());
            }
        }
        QCOMPARE(server.terminate(), 0);

        QTemporaryDir dataDir;
        const auto target = neonchat::server::parseDatabaseUrl(database.url(), dataDir.path());
        QVERIFY(std::holds_alternative<neonchat::server::DatabaseTarget>(target));
        {
            neonchat::server::DatabaseConnection connection;
            QVERIFY(!connection.open(std::get<neonchat::server::DatabaseTarget>(target),
                                     u"downgrade"_s));
            QSqlQuery query(connection.database());
            // Migration 4 (uploads) goes first: it came after search.
            const QStringList back =
                QStringList{u"DROP TABLE upload_chunks"_s, u"DROP TABLE uploads"_s} +
                (database.isPostgres()
                     ? QStringList{u"DROP INDEX messages_search"_s,
                                   u"ALTER TABLE messages DROP COLUMN search_vector"_s,
                                   u"ALTER TABLE messages DROP COLUMN search_text"_s}
                     : QStringList{u"DROP TRIGGER messages_search_insert"_s,
                                   u"DROP TRIGGER messages_search_update"_s,
                                   u"DROP TABLE messages_search"_s,
                                   u"ALTER TABLE messages DROP COLUMN search_text"_s});
            for (const QString &statement :
                 back + QStringList{u"DELETE FROM schema_migrations WHERE version >= 3"_s}) {
                QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
            }
        }

        QVERIFY2(server.start({u"--db"_s, database.url()}), qPrintable(server.log()));
        QVERIFY2(server.log().contains(u"schema version 4 (2 migration(s) applied now)"_s),
                 qPrintable(server.log()));
        for (const auto &[words, found] : {std::pair{u"archive"_s, u"the legacy archive moved"_s},
                                           std::pair{u"старый арх"_s, u"Старый архив"_s}}) {
            QUrl url = server.httpUrl(u"/api/v1/search"_s);
            url.setQuery(QUrlQuery{{u"q"_s, words}});
            const QJsonArray results =
                httpGet(url, bearer(alice->token)).json().value("results"_L1).toArray();
            QCOMPARE(results.size(), 1);
            QCOMPARE(results[0]["message"_L1]["text"_L1].toString(), found);
        }
    }

    void badDatabaseUrlIsAStartError_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("complaint");
        QTest::addRow("unknown scheme") << u"mysql://x/y"_s << u"must be sqlite:PATH"_s;
        QTest::addRow("sqlite without path") << u"sqlite:"_s << u"needs a file path"_s;
        QTest::addRow("postgres without database")
            << u"postgres://u:p@localhost:5432/"_s << u"needs a database name"_s;
        QTest::addRow("postgres without host") << u"postgres:///db"_s << u"needs a host"_s;
    }

    void badDatabaseUrlIsAStartError() {
        QFETCH(QString, url);
        QFETCH(QString, complaint);
        const RunResult result = runServerCommand({u"--port"_s, u"0"_s, u"--db"_s, url});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.output.contains(u"--db"_s) && result.output.contains(complaint),
                 qPrintable(result.output));
    }

    void unreachableDatabaseFailsTheStartClearly() {
        // Port 1 on loopback: nothing listens there.
        const RunResult result = runServerCommand(
            {u"--addr"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--log-format"_s, u"text"_s,
             u"--db"_s, u"postgres://nobody:pw-s3cr3t-x@127.0.0.1:1/neonchat"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.output.contains(u"cannot connect to PostgreSQL at 127.0.0.1:1/neonchat"_s),
                 qPrintable(result.output));
        QVERIFY2(!result.output.contains(u"pw-s3cr3t-x"_s), qPrintable(result.output));
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
