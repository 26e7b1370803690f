// SPDX-License-Identifier: MIT
// The hub and the SQL store together, on a real database (SQLite, or PostgreSQL when the run asks
// for it): what is stored, acknowledged and fanned out.
#include "hub/hub.h"
#include "protocol/codec.h"
#include "store/chatqueries.h"
#include "store/sqlstore.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <semaphore>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::server;

namespace {

// The JSON of a server's WebSocket text frame (unmasked: 2 header bytes, then 2 or 8 more for a
// length of 126 or more).
QJsonObject parse(const QByteArray &frame) {
    const int length = static_cast<quint8>(frame.at(1)) & 0x7f;
    const qsizetype header = length == 126 ? 4 : length == 127 ? 10 : 2;
    return QJsonDocument::fromJson(frame.sliced(header)).object();
}

Submission lobbyMessage(quint64 session, const QString &text,
                        std::optional<QString> requestId = std::nullopt) {
    return Submission{session, NewMessageRecord{QString(protocol::kLobbyId),
                                                u"00000000-0000-4000-8000-00000000000a"_s,
                                                u"alice"_s, text, std::move(requestId)}};
}

// A SQL store on a new, empty test database.
std::unique_ptr<SqlStore> openStore(testing::TestDatabase &database) {
    if (!database.create()) {
        qWarning() << database.failureText();
        return nullptr;
    }
    auto target = parseDatabaseUrl(database.url(), {});
    if (!std::holds_alternative<DatabaseTarget>(target)) {
        return nullptr;
    }
    auto opened = SqlStore::open(std::get<DatabaseTarget>(target));
    if (const auto *problem = std::get_if<QString>(&opened)) {
        qWarning() << *problem;
        return nullptr;
    }
    return std::get<std::unique_ptr<SqlStore>>(std::move(opened));
}

} // namespace

class TestHub : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storedMessagesAreAckedAndFannedOut_data() {
        QTest::addColumn<int>("count");
        QTest::addRow("one") << 1;
        QTest::addRow("several") << 5;
    }

    void storedMessagesAreAckedAndFannedOut() {
        QFETCH(int, count);
        testing::TestDatabase database;
        const auto store = openStore(database);
        QVERIFY(store);
        Metrics metrics;
        OnlineUsers online;
        Hub hub(*store, metrics, online);
        QSignalSpy delivered(&hub, &Hub::delivered);
        for (int i = 1; i <= count; ++i) {
            hub.submit(lobbyMessage(7, u"m%1"_s.arg(i), u"r%1"_s.arg(i)));
        }
        QTRY_COMPARE(delivered.size(), count);
        for (int i = 0; i < count; ++i) {
            const auto delivery = delivered.at(i).at(0).value<DeliveryPtr>();
            QCOMPARE(delivery->originSession, 7u);
            QCOMPARE(delivery->originFrames.size(), 1);
            const QJsonObject ack = parse(delivery->originFrames.first());
            QCOMPARE(ack.value("type"_L1).toString(), u"message_sent"_s);
            QCOMPARE(ack.value("request_id"_L1).toString(), u"r%1"_s.arg(i + 1));
            const QJsonObject fanned = parse(delivery->fanOutFrame);
            QCOMPARE(fanned.value("type"_L1).toString(), u"new_message"_s);
            QCOMPARE(fanned.value("message"_L1), ack.value("message"_L1));
            QCOMPARE(fanned["message"_L1]["seq"_L1].toInteger(), i + 1);
        }
        QCOMPARE(metrics.renderPrometheus().contains("broadcast_messages_total{direction=\"in\"} " +
                                                     QByteArray::number(count)),
                 true);
    }

    void repeatedRequestIdIsAckedNotStoredTwice() {
        testing::TestDatabase database;
        const auto store = openStore(database);
        QVERIFY(store);
        Metrics metrics;
        OnlineUsers online;
        Hub hub(*store, metrics, online);
        QSignalSpy delivered(&hub, &Hub::delivered);
        hub.submit(lobbyMessage(1, u"once"_s, u"same"_s));
        hub.submit(lobbyMessage(2, u"once"_s, u"same"_s));
        QTRY_COMPARE(delivered.size(), 2);
        const auto first = delivered.at(0).at(0).value<DeliveryPtr>();
        const auto second = delivered.at(1).at(0).value<DeliveryPtr>();
        QVERIFY(second->fanOutFrame.isEmpty());
        QCOMPARE(second->originSession, 2u);
        QCOMPARE(parse(second->originFrames.first()).value("message"_L1),
                 parse(first->originFrames.first()).value("message"_L1));
        hub.sync(SyncSubmission{3, QString(), QString(protocol::kLobbyId), 0});
        QTRY_COMPARE(delivered.size(), 3);
        // One message replayed.
        const auto page = delivered.at(2).at(0).value<DeliveryPtr>();
        QCOMPARE(page->originFrames.size(), 1);
        QVERIFY(page->syncPage && !page->syncPage->hasMore);
    }

    void syncReadsOnePageInOrder_data() {
        QTest::addColumn<int>("stored");
        QTest::addColumn<int>("afterSeq");
        QTest::addColumn<int>("replayed");
        QTest::addColumn<bool>("hasMore");
        QTest::addRow("nothing stored") << 0 << 0 << 0 << false;
        QTest::addRow("all") << 3 << 0 << 3 << false;
        QTest::addRow("after the second") << 3 << 2 << 1 << false;
        QTest::addRow("up to date") << 3 << 3 << 0 << false;
        QTest::addRow("one page exactly") << 50 << 0 << 50 << false;
        QTest::addRow("more than a page") << 55 << 0 << 50 << true;
    }

    void syncReadsOnePageInOrder() {
        QFETCH(int, stored);
        QFETCH(int, afterSeq);
        QFETCH(int, replayed);
        QFETCH(bool, hasMore);
        testing::TestDatabase database;
        const auto store = openStore(database);
        QVERIFY(store);
        Metrics metrics;
        OnlineUsers online;
        Hub hub(*store, metrics, online);
        QSignalSpy delivered(&hub, &Hub::delivered);
        for (int i = 0; i < stored; ++i) {
            hub.submit(lobbyMessage(1, u"m"_s));
        }
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), stored, 30000);
        hub.sync(SyncSubmission{9, QString(), QString(protocol::kLobbyId), false, afterSeq, 50});
        QTRY_COMPARE(delivered.size(), stored + 1);
        const auto delivery = delivered.at(stored).at(0).value<DeliveryPtr>();
        QCOMPARE(delivery->originSession, 9u);
        QVERIFY(delivery->fanOutFrame.isEmpty());
        QCOMPARE(delivery->originFrames.size(), replayed);
        for (int i = 0; i < replayed; ++i) {
            QCOMPARE(parse(delivery->originFrames[i])["message"_L1]["seq"_L1].toInteger(),
                     afterSeq + i + 1);
        }
        QVERIFY(delivery->syncPage);
        QVERIFY(!delivery->syncPage->failed);
        QCOMPARE(delivery->syncPage->hasMore, hasMore);
        QCOMPARE(delivery->syncPage->last, replayed > 0 ? afterSeq + replayed : -1);
        QCOMPARE(delivery->syncPage->chatLastSeq, stored);
    }

    void histogramCountsIntoCumulativeBuckets_data() {
        QTest::addColumn<QList<qint64>>("microseconds");
        QTest::addColumn<QByteArray>("bucket");
        QTest::addColumn<int>("expected");
        const QList<qint64> samples{100, 500, 700, 3000, 20'000'000};
        QTest::addRow("at the first bound") << samples << QByteArray("0.0005") << 2;
        QTest::addRow("between bounds") << samples << QByteArray("0.001") << 3;
        QTest::addRow("middle") << samples << QByteArray("0.005") << 4;
        QTest::addRow("largest bound") << samples << QByteArray("10") << 4;
        QTest::addRow("everything") << samples << QByteArray("+Inf") << 5;
        QTest::addRow("none observed") << QList<qint64>{} << QByteArray("+Inf") << 0;
    }

    void histogramCountsIntoCumulativeBuckets() {
        QFETCH(QList<qint64>, microseconds);
        QFETCH(QByteArray, bucket);
        QFETCH(int, expected);
        Histogram histogram;
        qint64 totalUs = 0;
        for (const qint64 us : microseconds) {
            histogram.observe(std::chrono::microseconds(us));
            totalUs += us;
        }
        QByteArray out;
        histogram.render(out, "x_seconds", "help");
        QVERIFY(out.startsWith("# HELP x_seconds help\n# TYPE x_seconds histogram\n"));
        QVERIFY2(out.contains("x_seconds_bucket{le=\"" + bucket + "\"} " +
                              QByteArray::number(expected) + "\n"),
                 out.constData());
        QVERIFY(out.contains("x_seconds_count " + QByteArray::number(microseconds.size()) + "\n"));
        QVERIFY(out.contains("x_seconds_sum " +
                             QByteArray::number(static_cast<double>(totalUs) / 1e6, 'g', 12) +
                             "\n"));
    }

    // A statement that fails spoils its whole transaction: the store must roll the batch back and
    // retry each message alone, so only the bad one fails and seq keeps no hole from it.
    void oneBadMessageFailsAloneInItsBatch() {
        testing::TestDatabase database;
        const auto store = openStore(database);
        QVERIFY(store);
        QObject context;
        constexpr int kMessages = 101;
        constexpr int kViolatesNotNull = 40;
        constexpr int kUnknownChat = 70;
        QHash<int, Outcome<AppendOutcome>> results;
        for (int i = 0; i < kMessages; ++i) {
            NewMessageRecord record{QString(protocol::kLobbyId), u"sender"_s, u"alice"_s,
                                    u"m%1"_s.arg(i), std::nullopt};
            if (i == kViolatesNotNull) {
                record.senderName = QString(); // NULL into sender_name NOT NULL
            } else if (i == kUnknownChat) {
                record.chatId = u"00000000-0000-4000-8000-0000000000ff"_s;
            }
            store->append(
                std::move(record), &context,
                [&results, i](const Outcome<AppendOutcome> &result) { results.insert(i, result); });
        }
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), kMessages, 30000);
        qint64 expectedSeq = 1;
        for (int i = 0; i < kMessages; ++i) {
            if (i == kViolatesNotNull || i == kUnknownChat) {
                QVERIFY2(std::holds_alternative<Failure>(results[i]),
                         qPrintable(QString::number(i)));
                continue;
            }
            if (const auto *error = std::get_if<Failure>(&results[i])) {
                QFAIL(qPrintable(error->message));
            }
            const auto &outcome = std::get<AppendOutcome>(results[i]);
            QCOMPARE(outcome.message.text, u"m%1"_s.arg(i));
            QCOMPARE(outcome.audience.kind, protocol::ChatKind::Lobby);
            QCOMPARE(outcome.message.seq, expectedSeq++);
        }
        // A chat nobody belongs to takes no message: refused like any chat one is not in.
        QCOMPARE(std::get<Failure>(results[kUnknownChat]).kind, FailureKind::Forbidden);
        QCOMPARE(std::get<Failure>(results[kViolatesNotNull]).kind, FailureKind::Internal);
    }

    // A batch is written with a few statements for all its messages: each message must still
    // get what it would have got alone (its chat's next seq, a repeat's first answer, a refusal
    // for a chat its sender is not in), whatever else shares its transaction.
    void oneBatchKeepsTheRulesOfSingleWrites() {
        testing::TestDatabase database;
        const auto store = openStore(database);
        QVERIFY(store);
        QObject context;
        auto written = [&]<typename T>(auto work) -> std::optional<T> {
            std::optional<Outcome<T>> outcome;
            store->write<T>(&context, std::move(work),
                            [&outcome](const Outcome<T> &result) { outcome = result; });
            if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 10000) ||
                !std::holds_alternative<T>(*outcome)) {
                return std::nullopt;
            }
            return std::get<T>(std::move(*outcome));
        };
        auto user = [&](const QString &name) {
            return written.operator()<UserRecord>(
                [name](QSqlDatabase &db) { return queries::createUser(db, name, "x", 1); });
        };
        const auto alice = user(u"alice"_s);
        const auto bob = user(u"bob"_s);
        const auto carol = user(u"carol"_s);
        QVERIFY(alice && bob && carol);
        const auto shared = written.operator()<RoomRecord>(
            [&](QSqlDatabase &db) { return queries::createRoom(db, alice->id, u"shared"_s, 2); });
        const auto closed = written.operator()<RoomRecord>(
            [&](QSqlDatabase &db) { return queries::createRoom(db, carol->id, u"closed"_s, 2); });
        QVERIFY(shared && closed);
        QVERIFY(written.operator()<Done>(
            [&](QSqlDatabase &db) { return queries::joinRoom(db, bob->id, shared->id, 3); }));

        QHash<int, Outcome<AppendOutcome>> results;
        auto append = [&](int index, const QString &chat, const UserRecord &sender,
                          const QString &text, std::optional<QString> request) {
            store->append(NewMessageRecord{chat, sender.id, sender.username, text, request},
                          &context, [&results, index](const Outcome<AppendOutcome> &result) {
                              results.insert(index, result);
                          });
        };
        const QString lobby(protocol::kLobbyId);
        append(-1, shared->id, *alice, u"stored before"_s, u"a-0"_s);
        QTRY_COMPARE(results.size(), 1);

        // Everything below waits behind this job, so the writer takes it as one batch.
        std::binary_semaphore gate(0);
        bool gateDone = false;
        store->write<Done>(
            &context,
            [&gate](QSqlDatabase &) -> Outcome<Done> {
                gate.acquire();
                return Done{};
            },
            [&gateDone](const Outcome<Done> &) { gateDone = true; });
        append(0, lobby, *alice, u"l1"_s, u"a-1"_s);
        append(1, shared->id, *alice, u"r1"_s, u"a-2"_s);
        append(2, lobby, *bob, u"l2"_s, std::nullopt);
        append(3, closed->id, *alice, u"not a member"_s, u"a-3"_s);
        append(4, shared->id, *bob, u"r2"_s, u"b-1"_s);
        append(5, lobby, *alice, u"l1 again"_s, u"a-1"_s);
        append(6, shared->id, *alice, u"stored before, again"_s, u"a-0"_s);
        append(7, u"00000000-0000-4000-8000-0000000000ff"_s, *bob, u"nowhere"_s, std::nullopt);
        append(8, shared->id, *bob, u"b-1 from someone else"_s, u"a-2"_s);
        gate.release();
        QTRY_VERIFY(gateDone);
        QTRY_COMPARE(results.size(), 10);

        auto outcome = [&](int index) -> AppendOutcome {
            const auto *found = std::get_if<AppendOutcome>(&results[index]);
            return found != nullptr ? *found : AppendOutcome{};
        };
        const AppendOutcome before = outcome(-1);
        QCOMPARE(before.message.seq, 1);
        // New messages: the next seq of their own chat, in the order sent.
        QCOMPARE(outcome(0).message.text, u"l1"_s);
        QCOMPARE(outcome(0).message.seq, 1);
        QCOMPARE(outcome(2).message.seq, 2);
        QCOMPARE(outcome(0).audience.kind, protocol::ChatKind::Lobby);
        QVERIFY(outcome(0).audience.memberIds.isEmpty());
        QCOMPARE(outcome(1).message.seq, 2);
        QCOMPARE(outcome(4).message.seq, 3);
        QCOMPARE(outcome(8).message.seq, 4); // a request id is the sender's own
        QCOMPARE(outcome(1).audience.kind, protocol::ChatKind::Room);
        QStringList members = outcome(4).audience.memberIds;
        members.sort();
        QStringList expectedMembers{alice->id, bob->id};
        expectedMembers.sort();
        QCOMPARE(members, expectedMembers);
        for (int index : {0, 1, 2, 4, 8}) {
            QVERIFY(!outcome(index).duplicate);
        }
        // Repeats: the first answer again, to the sender only, stored nowhere twice.
        QVERIFY(outcome(5).duplicate);
        QCOMPARE(outcome(5).message.id, outcome(0).message.id);
        QCOMPARE(outcome(5).message.text, u"l1"_s);
        QVERIFY(outcome(5).audience.memberIds.isEmpty());
        QVERIFY(outcome(6).duplicate);
        QCOMPARE(outcome(6).message.id, before.message.id);
        QCOMPARE(outcome(6).audience.kind, protocol::ChatKind::Room);
        // Refusals fail alone.
        QCOMPARE(std::get<Failure>(results[3]).kind, FailureKind::Forbidden);
        QCOMPARE(std::get<Failure>(results[7]).kind, FailureKind::Forbidden);

        const auto stored = written.operator()<ReplayPage>([&](QSqlDatabase &db) {
            return queries::replay(db, ReplayQuery{alice->id, shared->id, false, 0, 50});
        });
        QVERIFY(stored);
        QStringList texts;
        for (const protocol::ChatMessage &message : stored->messages) {
            texts << message.text;
        }
        QCOMPARE(texts,
                 (QStringList{u"stored before"_s, u"r1"_s, u"r2"_s, u"b-1 from someone else"_s}));
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
