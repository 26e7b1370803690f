// SPDX-License-Identifier: MIT
#include "protocol/tokenbucket.h"

#include <QTest>

using neonchat::protocol::TokenBucket;

class TestTokenBucket : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void admitsBurstThenRate_data() {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("burst");
        QTest::addColumn<int>("elapsedMs");
        QTest::addColumn<int>("admitted"); // after draining the burst at t=0 and waiting elapsedMs

        QTest::addRow("no wait") << 20.0 << 40.0 << 0 << 0;
        QTest::addRow("one token after 50ms at 20/s") << 20.0 << 40.0 << 50 << 1;
        QTest::addRow("ten tokens after 500ms") << 20.0 << 40.0 << 500 << 10;
        QTest::addRow("capped at burst") << 20.0 << 40.0 << 60'000 << 40;
        QTest::addRow("slow rate") << 1.0 << 2.0 << 999 << 0;
    }

    void admitsBurstThenRate() {
        QFETCH(double, rate);
        QFETCH(double, burst);
        QFETCH(int, elapsedMs);
        QFETCH(int, admitted);
        TokenBucket bucket(rate, burst, 1000);
        int initial = 0;
        while (bucket.tryTake(1000)) {
            ++initial;
        }
        QCOMPARE(initial, static_cast<int>(burst));
        int later = 0;
        while (bucket.tryTake(1000 + elapsedMs)) {
            ++later;
        }
        QCOMPARE(later, admitted);
    }

    void clockGoingBackwardsAddsNothing() {
        TokenBucket bucket(10, 1, 5000);
        QVERIFY(bucket.tryTake(5000));
        QVERIFY(!bucket.tryTake(1000));
        QVERIFY(!bucket.tryTake(5050));
        QVERIFY(bucket.tryTake(5100));
    }

    void saysHowLongToWait() {
        TokenBucket bucket(4, 1, 0);
        QCOMPARE(bucket.msUntilAvailable(0), 0);
        QVERIFY(bucket.tryTake(0));
        const qint64 wait = bucket.msUntilAvailable(0);
        QVERIFY2(wait >= 250 && wait <= 251, qPrintable(QString::number(wait)));
        QVERIFY(!bucket.tryTake(wait - 2));
        QVERIFY(bucket.tryTake(wait));
    }

    void reconfigureKeepsTokensWithinNewBurst() {
        TokenBucket bucket(100, 100, 0);
        bucket.reconfigure(1, 2);
        QVERIFY(bucket.tryTake(0));
        QVERIFY(bucket.tryTake(0));
        QVERIFY(!bucket.tryTake(0));
    }
};

QTEST_GUILESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
