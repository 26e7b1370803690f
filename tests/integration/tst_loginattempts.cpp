// SPDX-License-Identifier: MIT
// The login throttle counted in this process and counted in a real redis-server (for a cluster)
// make the same decisions on the same attempts; two instances sharing Redis share the counts; and
// without Redis an instance still limits attempts on its own.
#include "cluster/redisloginattempts.h"
#include "redisprocess.h"

#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using neonchat::server::LocalLoginAttempts;
using neonchat::server::LoginAttempts;
using neonchat::server::RedisConnection;
using neonchat::server::RedisEndpoint;
using neonchat::server::RedisLoginAttempts;
using neonchat::testing::RedisProcess;

namespace {

// One attempt: from which address, on which account, and whether it succeeds (a right password).
struct Attempt {
    int address = 1; // 10.0.0.<address>
    QString account;
    bool succeeds = false;
};
using Script = QList<Attempt>;

// n failed attempts on account from address.
Script failures(int n, int address, const QString &account) {
    return Script(n, Attempt{address, account, false});
}

QHostAddress addressNumber(int n) {
    return QHostAddress(u"10.0.%1.%2"_s.arg(n / 256).arg(n % 256));
}

// Runs an attempt and waits for the verdict; -1 when none came, 0 when admitted, else seconds.
int attempt(LoginAttempts &attempts, const Attempt &step) {
    int verdict = -1;
    QObject context;
    QEventLoop loop;
    attempts.admit(addressNumber(step.address), step.account, &context,
                   [&verdict, &loop](LoginAttempts::Verdict wait) {
                       verdict = wait.value_or(0);
                       loop.quit();
                   });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    if (verdict < 0) {
        loop.exec();
    }
    if (verdict == 0 && step.succeeds) {
        attempts.succeeded(addressNumber(step.address), step.account);
    }
    return verdict;
}

// The verdicts of a script as 'a' (admitted) and 'w' (wait).
QString verdicts(LoginAttempts &attempts, const Script &script) {
    QString result;
    for (const Attempt &step : script) {
        const int verdict = attempt(attempts, step);
        result += verdict == 0 ? u'a' : (verdict > 0 ? u'w' : u'?');
    }
    return result;
}

RedisConnection::Options fastOptions() {
    RedisConnection::Options options;
    options.connectTimeout = 1000ms;
    options.replyTimeout = 1000ms;
    return options;
}

} // namespace

Q_DECLARE_METATYPE(Script)

class TestLoginAttempts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_redis.start(), qPrintable(m_redis.failureText())); }

    void sameDecisions_data() {
        QTest::addColumn<Script>("script");
        QTest::addColumn<QString>("expected");

        QTest::addRow("five failures, then wait") << failures(6, 1, u"alice"_s) << u"aaaaaw"_s;
        Script success = failures(4, 1, u"alice"_s);
        success.append(Attempt{1, u"alice"_s, true});
        success += failures(2, 1, u"alice"_s);
        QTest::addRow("a success gives its tokens back") << success << u"aaaaaaw"_s;
        QTest::addRow("case does not make another account")
            << (failures(5, 1, u"alice"_s) + failures(1, 1, u"ALICE"_s)) << u"aaaaaw"_s;
        // Ten addresses use up the account's bucket; a new address still gets one attempt, then
        // waits too.
        Script spread;
        for (int address = 1; address <= 11; ++address) {
            spread.append(Attempt{address, u"bob"_s, false});
        }
        spread.append(Attempt{11, u"bob"_s, false});
        QTest::addRow("account bucket across addresses") << spread << u"aaaaaaaaaaaw"_s;
        Script sprayed;
        for (int account = 0; account < 31; ++account) {
            sprayed.append(Attempt{7, u"user%1"_s.arg(account), false});
        }
        QTest::addRow("address bucket across accounts") << sprayed << (QString(30, u'a') + u'w');
    }

    // The same script against the local throttle and the shared one: the same verdicts.
    void sameDecisions() {
        QFETCH(Script, script);
        QFETCH(QString, expected);
        LocalLoginAttempts local;
        QCOMPARE(verdicts(local, script), expected);

        // A database of its own per row: no row sees another's buckets.
        RedisLoginAttempts shared(
            RedisEndpoint{u"127.0.0.1"_s, m_redis.port(), m_nextDatabase++ % 16}, fastOptions());
        QCOMPARE(verdicts(shared, script), expected);
    }

    // Two instances on one Redis: attempts made through one count on the other.
    void instancesShareTheCounts() {
        const RedisEndpoint endpoint{u"127.0.0.1"_s, m_redis.port(), 15};
        RedisLoginAttempts first(endpoint, fastOptions());
        RedisLoginAttempts second(endpoint, fastOptions());
        const Attempt step{3, u"carol"_s, false};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(attempt(i % 2 == 0 ? first : second, step), 0);
        }
        const int wait = attempt(second, step);
        QVERIFY2(wait > 0 && wait <= 13, qPrintable(QString::number(wait)));
        QVERIFY(attempt(first, step) > 0);
    }

    // No Redis at that address: each instance counts for itself, and logins go on.
    void withoutRedisEachInstanceCounts() {
        RedisLoginAttempts alone(RedisEndpoint{u"127.0.0.1"_s, 1, 0}, fastOptions());
        QCOMPARE(verdicts(alone, failures(6, 1, u"dave"_s)), u"aaaaaw"_s);
    }

private:
    RedisProcess m_redis;
    int m_nextDatabase = 0;
};

QTEST_GUILESS_MAIN(TestLoginAttempts)
#include "tst_loginattempts.moc"
