// SPDX-License-Identifier: MIT
#include "store/messageid.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::server::MessageIdSequence;
using neonchat::server::newMessageId;
using neonchat::server::timeOrderedUuid;

class TestMessageId : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layout_data() {
        QTest::addColumn<qint64>("unixMs");
        QTest::addColumn<quint64>("randomHigh");
        QTest::addColumn<quint64>("randomLow");
        QTest::addColumn<QString>("expected");

        // The example of RFC 9562, appendix A.6: 2022-02-22 19:22:22 UTC.
        QTest::addRow("rfc example")
            << Q_INT64_C(0x017F22E279B0) << quint64{0xCC3} << quint64{0x18C4DC0C0C07398F}
            << u"017f22e2-79b0-7cc3-98c4-dc0c0c07398f"_s;
        QTest::addRow("random bits beyond their fields are dropped")
            << qint64{0} << ~quint64{0} << ~quint64{0} << u"00000000-0000-7fff-bfff-ffffffffffff"_s;
        QTest::addRow("no random bits")
            << qint64{1} << quint64{0} << quint64{0} << u"00000000-0001-7000-8000-000000000000"_s;
        QTest::addRow("the last millisecond of 10889")
            << Q_INT64_C(0xFFFFFFFFFFFF) << quint64{0} << quint64{0}
            << u"ffffffff-ffff-7000-8000-000000000000"_s;
    }

    void layout() {
        QFETCH(qint64, unixMs);
        QFETCH(quint64, randomHigh);
        QFETCH(quint64, randomLow);
        QFETCH(QString, expected);
        const QUuid id = timeOrderedUuid(unixMs, randomHigh, randomLow);
        QCOMPARE(id.toString(QUuid::WithoutBraces), expected);
        QCOMPARE(id.data3 >> 12, 7); // QUuid::version() of Qt 6.4 knows versions 1 to 5 only
        QCOMPARE(id.variant(), QUuid::DCE);
    }

    // What the index locality rests on: a later millisecond sorts after, as text too.
    void laterIdsSortAfter() {
        const qint64 start = Q_INT64_C(1795000000000); // 2026-11-18
        QString previous = newMessageId(start);
        for (qint64 ms = start + 1; ms < start + 3000; ms += 7) {
            const QString id = newMessageId(ms);
            QVERIFY2(previous < id, qPrintable(previous + u" >= "_s + id));
            QCOMPARE(QUuid::fromString(id).data3 >> 12, 7);
            previous = id;
        }
    }

    void idsOfOneMillisecondDiffer() {
        QSet<QString> ids;
        for (int i = 0; i < 10'000; ++i) {
            ids.insert(newMessageId(Q_INT64_C(1795000000000)));
        }
        QCOMPARE(ids.size(), 10'000);
    }

    void sequenceSortsAsStored_data() {
        QTest::addColumn<QList<qint64>>("clock"); // the time each id is asked for
        QTest::addRow("one millisecond") << QList<qint64>(5000, 1'700'000'000'000);
        QList<qint64> backwards;
        for (qint64 ms = 1'700'000'000'500; ms > 1'700'000'000'000; --ms) {
            backwards << ms << ms;
        }
        QTest::addRow("the clock goes back") << backwards;
        QList<qint64> ticking;
        for (int i = 0; i < 3000; ++i) {
            ticking << 1'700'000'000'000 + i / 7;
        }
        QTest::addRow("a few per millisecond") << ticking;
    }

    void sequenceSortsAsStored() {
        QFETCH(QList<qint64>, clock);
        MessageIdSequence sequence;
        QString previous;
        for (const qint64 ms : clock) {
            const QString id = sequence.next(ms);
            QVERIFY2(id > previous, qPrintable(u"%1 after %2"_s.arg(id, previous)));
            // The id's millisecond is never before the time asked for.
            const qint64 idMs = (id.left(8) + id.mid(9, 4)).toLongLong(nullptr, 16);
            QVERIFY(idMs >= ms);
            previous = id;
        }
    }
};

QTEST_APPLESS_MAIN(TestMessageId)
#include "tst_messageid.moc"
