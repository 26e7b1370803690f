// SPDX-License-Identifier: MIT
// RedisConnection against a real redis-server that the tests kill -9 and start again, and against
// a peer that accepts and never answers: every command answered exactly once, reconnection with
// the database and subscriptions restored, nothing answered after destruction.
#include "cluster/redisconnection.h"
#include "redisprocess.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using neonchat::platform::Backoff;
using neonchat::server::RedisConnection;
using neonchat::server::RedisEndpoint;
using neonchat::server::RedisFailure;
using neonchat::server::RedisReply;
using neonchat::server::RedisResult;
using neonchat::server::RedisRole;
using neonchat::testing::RedisProcess;

Q_DECLARE_METATYPE(RedisReply::Kind)

namespace {

RedisConnection::Options fastOptions() {
    RedisConnection::Options options;
    options.connectTimeout = 2000ms;
    options.replyTimeout = 2000ms;
    options.backoff = Backoff(20ms, 200ms);
    return options;
}

std::unique_ptr<RedisConnection> openConnection(quint16 port, RedisRole role, int database = 0,
                                                RedisConnection::Options options = fastOptions()) {
    auto connection = std::make_unique<RedisConnection>(
        RedisEndpoint{u"127.0.0.1"_s, port, database}, role, options);
    connection->open();
    return connection;
}

// Runs one command and waits for its answer; nullopt if none came.
std::optional<RedisResult> run(RedisConnection &connection, const QList<QByteArray> &arguments,
                               int timeoutMs = 5000) {
    std::optional<RedisResult> answer;
    QEventLoop loop;
    connection.command(arguments, [&answer, &loop](const RedisResult &result) {
        answer = result;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!answer) {
        loop.exec();
    }
    return answer;
}

QByteArray textOf(const std::optional<RedisResult> &result) {
    if (!result) {
        return "(no answer)";
    }
    if (const auto *failure = std::get_if<RedisFailure>(&*result)) {
        return "failure: " + failure->reason.toUtf8();
    }
    return std::get<RedisReply>(*result).text;
}

bool isFailure(const std::optional<RedisResult> &result) {
    return result && std::holds_alternative<RedisFailure>(*result);
}

} // namespace

class TestRedisConnection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_redis.start(), qPrintable(m_redis.failureText())); }

    void repliesOfEveryKind_data() {
        QTest::addColumn<QList<QByteArray>>("arguments");
        QTest::addColumn<RedisReply::Kind>("kind");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("integer");

        QTest::addRow("status") << QList<QByteArray>{"SET", "kinds:a", "value"}
                                << RedisReply::Kind::Status << QByteArray("OK") << qint64{0};
        QTest::addRow("string") << QList<QByteArray>{"GET", "kinds:a"} << RedisReply::Kind::String
                                << QByteArray("value") << qint64{0};
        QTest::addRow("nil") << QList<QByteArray>{"GET", "kinds:missing"} << RedisReply::Kind::Nil
                             << QByteArray() << qint64{0};
        QTest::addRow("integer") << QList<QByteArray>{"INCRBY", "kinds:n", "41"}
                                 << RedisReply::Kind::Integer << QByteArray() << qint64{41};
        QTest::addRow("error") << QList<QByteArray>{"NO-SUCH-COMMAND"} << RedisReply::Kind::Error
                               << QByteArray("ERR unknown command") << qint64{0};
        QTest::addRow("binary argument")
            << QList<QByteArray>{"SET", QByteArray("kinds:\0b", 8), QByteArray("a\0\r\nb", 5)}
            << RedisReply::Kind::Status << QByteArray("OK") << qint64{0};
        QTest::addRow("binary reply")
            << QList<QByteArray>{"GET", QByteArray("kinds:\0b", 8)} << RedisReply::Kind::String
            << QByteArray("a\0\r\nb", 5) << qint64{0};
    }

    void repliesOfEveryKind() {
        QFETCH(QList<QByteArray>, arguments);
        QFETCH(RedisReply::Kind, kind);
        QFETCH(QByteArray, text);
        QFETCH(qint64, integer);
        auto connection = openConnection(m_redis.port(), RedisRole::Commands);
        const auto result = run(*connection, arguments);
        QVERIFY2(result && std::holds_alternative<RedisReply>(*result), textOf(result));
        const auto &reply = std::get<RedisReply>(*result);
        QCOMPARE(reply.kind, kind);
        QVERIFY2(reply.text.startsWith(text), reply.text);
        QCOMPARE(reply.integer, integer);
    }

    void arrayReplies() {
        auto connection = openConnection(m_redis.port(), RedisRole::Commands);
        QVERIFY(run(*connection, {"DEL", "arrays:list"}));
        QVERIFY(run(*connection, {"RPUSH", "arrays:list", "one", "two", "three"}));
        const auto result = run(*connection, {"LRANGE", "arrays:list", "0", "-1"});
        QVERIFY2(result && std::holds_alternative<RedisReply>(*result), textOf(result));
        const auto &reply = std::get<RedisReply>(*result);
        QCOMPARE(reply.kind, RedisReply::Kind::Array);
        QCOMPARE(reply.elements.size(), 3);
        QCOMPARE(reply.elements[2].text, QByteArray("three"));
    }

    // Sent before the connection is up, they go out once it is, and come back in order.
    void commandsAreAnsweredOnceInOrder() {
        constexpr int kCommands = 2000;
        auto connection = openConnection(m_redis.port(), RedisRole::Commands);
        QVERIFY(run(*connection, {"DEL", "order:n"}));
        QList<qint64> answers;
        int failures = 0;
        for (int i = 0; i < kCommands; ++i) {
            connection->command({"INCR", "order:n"}, [&](const RedisResult &result) {
                if (const auto *reply = std::get_if<RedisReply>(&result)) {
                    answers.append(reply->integer);
                } else {
                    ++failures;
                }
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), kCommands, 10000);
        QCOMPARE(failures, 0);
        for (int i = 0; i < kCommands; ++i) {
            QCOMPARE(answers[i], i + 1);
        }
    }

    void selectsTheDatabaseOfTheUrl() {
        auto inThree = openConnection(m_redis.port(), RedisRole::Commands, 3);
        auto inZero = openConnection(m_redis.port(), RedisRole::Commands, 0);
        QCOMPARE(textOf(run(*inThree, {"SET", "select:key", "three"})), QByteArray("OK"));
        QCOMPARE(textOf(run(*inThree, {"GET", "select:key"})), QByteArray("three"));
        const auto elsewhere = run(*inZero, {"GET", "select:key"});
        QVERIFY(elsewhere && std::holds_alternative<RedisReply>(*elsewhere));
        QCOMPARE(std::get<RedisReply>(*elsewhere).kind, RedisReply::Kind::Nil);
    }

    void publishedMessagesReachTheSubscriber() {
        auto subscriber = openConnection(m_redis.port(), RedisRole::Subscriber);
        QSignalSpy subscribed(subscriber.get(), &RedisConnection::subscribed);
        QSignalSpy received(subscriber.get(), &RedisConnection::messageReceived);
        subscriber->subscribe("news");
        subscriber->subscribe("sport");
        QTRY_COMPARE(subscribed.size(), 2);
        auto publisher = openConnection(m_redis.port(), RedisRole::Commands);
        const QByteArray payload("{\"a\":1}\0tail", 12);
        QCOMPARE(std::get<RedisReply>(*run(*publisher, {"PUBLISH", "news", payload})).integer, 1);
        QCOMPARE(std::get<RedisReply>(*run(*publisher, {"PUBLISH", "weather", "x"})).integer, 0);
        QCOMPARE(std::get<RedisReply>(*run(*publisher, {"PUBLISH", "sport", "goal"})).integer, 1);
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(received[0][0].toByteArray(), QByteArray("news"));
        QCOMPARE(received[0][1].toByteArray(), payload);
        QCOMPARE(received[1][1].toByteArray(), QByteArray("goal"));
    }

    void commandsOnASubscriberFail() {
        auto subscriber = openConnection(m_redis.port(), RedisRole::Subscriber);
        QVERIFY(isFailure(run(*subscriber, {"PING"})));
    }

    // Redis dies with a command waiting and comes back on the same port: the waiting command
    // fails once, commands meanwhile fail at once, and both connections come back by themselves,
    // the subscriber subscribed again.
    void killedRedisFailsWhatWaitedAndReconnects() {
        auto commands = openConnection(m_redis.port(), RedisRole::Commands, 2);
        auto subscriber = openConnection(m_redis.port(), RedisRole::Subscriber);
        QSignalSpy subscribed(subscriber.get(), &RedisConnection::subscribed);
        QSignalSpy received(subscriber.get(), &RedisConnection::messageReceived);
        QSignalSpy commandsLost(commands.get(), &RedisConnection::disconnected);
        QSignalSpy subscriberLost(subscriber.get(), &RedisConnection::disconnected);
        QSignalSpy commandsBack(commands.get(), &RedisConnection::connected);
        subscriber->subscribe("events");
        QTRY_COMPARE(subscribed.size(), 1);
        QCOMPARE(textOf(run(*commands, {"SET", "kill:key", "before"})), QByteArray("OK"));
        commandsBack.clear();

        int blockedAnswers = 0;
        std::optional<RedisResult> blocked;
        commands->command({"BLPOP", "kill:never", "0"}, [&](const RedisResult &result) {
            ++blockedAnswers;
            blocked = result;
        });
        QVERIFY(m_redis.kill());
        QTRY_COMPARE(blockedAnswers, 1);
        QVERIFY2(isFailure(blocked), textOf(blocked));
        QTRY_COMPARE(commandsLost.size(), 1);
        QTRY_COMPARE(subscriberLost.size(), 1);
        QVERIFY(!commands->isConnected());
        QVERIFY(isFailure(run(*commands, {"PING"})));

        QVERIFY2(m_redis.start(), qPrintable(m_redis.failureText()));
        QTRY_COMPARE_WITH_TIMEOUT(commandsBack.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, 10000);
        QCOMPARE(commands->reconnects(), 1);
        QCOMPARE(subscriber->reconnects(), 1);
        QCOMPARE(commandsLost.size(), 1); // one report per outage, not one per attempt
        QCOMPARE(blockedAnswers, 1);
        // The restarted Redis is empty; the connection still writes to database 2.
        QCOMPARE(textOf(run(*commands, {"SET", "kill:key", "after"})), QByteArray("OK"));
        auto inTwo = openConnection(m_redis.port(), RedisRole::Commands, 2);
        QCOMPARE(textOf(run(*inTwo, {"GET", "kill:key"})), QByteArray("after"));
        QCOMPARE(std::get<RedisReply>(*run(*inTwo, {"PUBLISH", "events", "back"})).integer, 1);
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received[0][1].toByteArray(), QByteArray("back"));
    }

    // A connection made before Redis runs keeps trying and gets through once it does.
    void redisStartedAfterTheConnection() {
        RedisProcess late;
        QVERIFY2(late.start(), qPrintable(late.failureText()));
        QVERIFY(late.kill());
        auto connection = openConnection(late.port(), RedisRole::Commands);
        QSignalSpy lost(connection.get(), &RedisConnection::disconnected);
        QSignalSpy connected(connection.get(), &RedisConnection::connected);
        QTRY_COMPARE(lost.size(), 1);
        QVERIFY(isFailure(run(*connection, {"PING"})));
        QVERIFY2(late.start(), qPrintable(late.failureText()));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        QCOMPARE(lost.size(), 1);
        QCOMPARE(connection->reconnects(), 0); // the first connection, however many attempts
        QCOMPARE(textOf(run(*connection, {"PING"})), QByteArray("PONG"));
    }

    // A peer that accepts the connection and never answers: the command fails after the reply
    // timeout, and the connection is made again.
    void silentPeerTimesOut() {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        int accepted = 0;
        connect(&silent, &QTcpServer::newConnection, &silent, [&] {
            while (QTcpSocket *socket = silent.nextPendingConnection()) {
                ++accepted;
                socket->setParent(&silent);
            }
        });
        RedisConnection::Options options = fastOptions();
        options.replyTimeout = 300ms;
        auto connection = openConnection(silent.serverPort(), RedisRole::Commands, 0, options);
        QSignalSpy lost(connection.get(), &RedisConnection::disconnected);
        const auto result = run(*connection, {"PING"}, 10000);
        QVERIFY2(isFailure(result), textOf(result));
        QVERIFY2(textOf(result).contains("no reply within 300 ms"), textOf(result));
        QCOMPARE(lost.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(accepted >= 2, 10000);
    }

    // Destroyed with a command waiting: the callback never runs (it may refer to objects that
    // went away with the connection).
    void destroyedConnectionAnswersNothing() {
        auto connection = openConnection(m_redis.port(), RedisRole::Commands);
        QCOMPARE(textOf(run(*connection, {"PING"})), QByteArray("PONG"));
        bool answered = false;
        connection->command({"BLPOP", "destroyed:never", "0"},
                            [&answered](const RedisResult &) { answered = true; });
        connection.reset();
        auto other = openConnection(m_redis.port(), RedisRole::Commands);
        QCOMPARE(textOf(run(*other, {"PING"})), QByteArray("PONG"));
        QVERIFY(!answered);
    }

private:
    RedisProcess m_redis;
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
