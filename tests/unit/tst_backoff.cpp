// SPDX-License-Identifier: MIT
#include "platform/backoff.h"

#include <QTest>

using neonchat::platform::Backoff;
using namespace std::chrono_literals;

class TestBackoff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ceilingDoublesUpToTheCap_data() {
        QTest::addColumn<int>("attempt");
        QTest::addColumn<qint64>("ceilingMs");
        QTest::addRow("first") << 0 << qint64(500);
        QTest::addRow("second") << 1 << qint64(1000);
        QTest::addRow("fifth") << 4 << qint64(8000);
        QTest::addRow("capped") << 7 << qint64(30'000);
        QTest::addRow("long after") << 200 << qint64(30'000);
    }

    void ceilingDoublesUpToTheCap() {
        QFETCH(int, attempt);
        QFETCH(qint64, ceilingMs);
        Backoff backoff(500ms, 30s);
        for (int i = 0; i < attempt; ++i) {
            QVERIFY(backoff.next(0.5) >= 0ms);
        }
        QCOMPARE(backoff.ceiling().count(), ceilingMs);
    }

    void waitIsAJitteredShareOfTheCeiling_data() {
        QTest::addColumn<double>("uniform");
        QTest::addColumn<qint64>("waitMs");
        QTest::addRow("zero") << 0.0 << qint64(0);
        QTest::addRow("half") << 0.5 << qint64(2000);
        QTest::addRow("almost one") << 0.999 << qint64(3996);
        QTest::addRow("out of range clamps") << 7.0 << qint64(4000);
    }

    void waitIsAJitteredShareOfTheCeiling() {
        QFETCH(double, uniform);
        QFETCH(qint64, waitMs);
        Backoff backoff(1s, 60s);
        QCOMPARE(backoff.next(0).count(), 0);
        QCOMPARE(backoff.next(0).count(), 0); // the third attempt has a ceiling of 4 s
        QCOMPARE(backoff.next(uniform).count(), waitMs);
        QCOMPARE(backoff.attempts(), 3);
    }

    void resetStartsOver() {
        Backoff backoff(500ms, 30s);
        for (int i = 0; i < 10; ++i) {
            QVERIFY(backoff.next(0.1) >= 0ms);
        }
        backoff.reset();
        QCOMPARE(backoff.ceiling(), 500ms);
        QCOMPARE(backoff.attempts(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
