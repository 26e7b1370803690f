// SPDX-License-Identifier: MIT
#include "cluster/chatsequencer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::server::ChatSequencer;

namespace {

const QString kChat = u"chat"_s;

using Sequencer = ChatSequencer<qint64>; // the item is its own seq

// "d:1,2 r:0-2": what a step delivered and which read it asked for; "-" for nothing.
QString describe(const Sequencer::Actions &actions) {
    QStringList parts;
    if (!actions.deliver.isEmpty()) {
        QStringList seqs;
        for (qint64 seq : actions.deliver) {
            seqs.append(QString::number(seq));
        }
        parts.append(u"d:"_s + seqs.join(u','));
    }
    if (actions.read) {
        parts.append(u"r:%1%2-%3"_s.arg(actions.read->chatId == kChat ? u""_s : u"other chat "_s)
                         .arg(actions.read->afterSeq)
                         .arg(actions.read->upToSeq));
    }
    return parts.isEmpty() ? u"-"_s : parts.join(u' ');
}

QList<std::pair<qint64, qint64>> page(const QString &seqs) {
    QList<std::pair<qint64, qint64>> items;
    for (const QString &seq : seqs.split(u',', Qt::SkipEmptyParts)) {
        items.append({seq.toLongLong(), seq.toLongLong()});
    }
    return items;
}

// One step of a script: "b4" the database's seq at start is 4; "a3" seq 3 arrives; "h5" heal to
// the database's last seq 5; "f1,2" a read's page with seqs 1 and 2 ("f" empty); "x" the read
// failed.
QString step(Sequencer &sequencer, const QString &command) {
    const QString argument = command.mid(1);
    switch (command.at(0).unicode()) {
    case 'b':
        sequencer.setDelivered(kChat, argument.toLongLong());
        return u"-"_s;
    case 'a':
        return describe(sequencer.arrived(kChat, argument.toLongLong(), argument.toLongLong()));
    case 'h':
        return describe(sequencer.heal(kChat, argument.toLongLong()));
    case 'f':
        return describe(sequencer.filled(kChat, page(argument)));
    case 'x':
        return describe(sequencer.filled(kChat, {}, true));
    default:
        return u"bad step "_s + command;
    }
}

} // namespace

class TestChatSequencer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scripts_data() {
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QStringList>("expected"); // one per step

        QTest::addRow("in order") << QStringList{u"a1"_s, u"a2"_s, u"a3"_s}
                                  << QStringList{u"d:1"_s, u"d:2"_s, u"d:3"_s};
        QTest::addRow("twice is once") << QStringList{u"a1"_s, u"a1"_s, u"a2"_s, u"a1"_s}
                                       << QStringList{u"d:1"_s, u"-"_s, u"d:2"_s, u"-"_s};
        QTest::addRow("older than the start is not delivered")
            << QStringList{u"b4"_s, u"a3"_s, u"a4"_s, u"a5"_s}
            << QStringList{u"-"_s, u"-"_s, u"-"_s, u"d:5"_s};
        // Two instances commit 5 and 6; this one hears 6 first (its own), then 5 from the other.
        QTest::addRow("the other instance's smaller seq comes late")
            << QStringList{u"b4"_s, u"a6"_s, u"a5"_s, u"f5"_s}
            << QStringList{u"-"_s, u"r:4-5"_s, u"d:5,6"_s, u"-"_s};
        QTest::addRow("the database fills the gap")
            << QStringList{u"a3"_s, u"f1,2"_s, u"a3"_s, u"a4"_s}
            << QStringList{u"r:0-2"_s, u"d:1,2,3"_s, u"-"_s, u"d:4"_s};
        QTest::addRow("a long gap is read page by page")
            << QStringList{u"h5"_s, u"f1,2"_s, u"f3,4,5"_s, u"a6"_s}
            << QStringList{u"r:0-5"_s, u"d:1,2 r:2-5"_s, u"d:3,4,5"_s, u"d:6"_s};
        QTest::addRow("heal to what was delivered reads nothing")
            << QStringList{u"a1"_s, u"a2"_s, u"h2"_s, u"h1"_s}
            << QStringList{u"d:1"_s, u"d:2"_s, u"-"_s, u"-"_s};
        QTest::addRow("a seq the database does not have is skipped")
            << QStringList{u"a4"_s, u"f1,3"_s} << QStringList{u"r:0-3"_s, u"d:1,3,4"_s};
        QTest::addRow("an empty page gives the gap up")
            << QStringList{u"a4"_s, u"f"_s, u"a5"_s} << QStringList{u"r:0-3"_s, u"d:4"_s, u"d:5"_s};
        QTest::addRow("a failed read is tried again by the next arrival")
            << QStringList{u"a3"_s, u"x"_s, u"a4"_s, u"f1,2"_s}
            << QStringList{u"r:0-2"_s, u"-"_s, u"r:0-3"_s, u"d:1,2,3,4"_s};
        QTest::addRow("a second gap while reading waits for the read")
            << QStringList{u"a3"_s, u"a6"_s, u"f1,2"_s, u"f4,5"_s}
            << QStringList{u"r:0-2"_s, u"-"_s, u"d:1,2,3 r:3-5"_s, u"d:4,5,6"_s};
        QTest::addRow("what a read returns twice is delivered once")
            << QStringList{u"a3"_s, u"a1"_s, u"f1,2"_s}
            << QStringList{u"r:0-2"_s, u"d:1"_s, u"d:2,3"_s};
    }

    void scripts() {
        QFETCH(QStringList, steps);
        QFETCH(QStringList, expected);
        QCOMPARE(steps.size(), expected.size());
        Sequencer sequencer;
        for (qsizetype i = 0; i < steps.size(); ++i) {
            QCOMPARE(step(sequencer, steps[i]) + u" after "_s + steps[i],
                     expected[i] + u" after "_s + steps[i]);
        }
        QCOMPARE(sequencer.waitingCount(kChat), 0);
    }

    void chatsAreIndependent() {
        Sequencer sequencer;
        QVERIFY(sequencer.arrived(u"a"_s, 2, 2).read.has_value());
        const auto other = sequencer.arrived(u"b"_s, 1, 1);
        QCOMPARE(other.deliver, QList<qint64>{1});
        QCOMPARE(sequencer.delivered(u"a"_s), 0);
        QCOMPARE(sequencer.delivered(u"b"_s), 1);
    }

    // While the database does not answer, what waits is bounded: past the limit the gap is
    // given up and everything waiting goes out in order.
    void waitingIsBounded() {
        Sequencer sequencer;
        QVERIFY(sequencer.arrived(kChat, 2, 2).read.has_value());
        for (qint64 seq = 3; seq <= Sequencer::kMaxWaiting; ++seq) {
            QVERIFY(sequencer.arrived(kChat, seq, seq).deliver.isEmpty());
        }
        QCOMPARE(sequencer.waitingCount(kChat), Sequencer::kMaxWaiting - 1);
        QVERIFY(sequencer.arrived(kChat, Sequencer::kMaxWaiting + 1, 0).deliver.isEmpty());
        const auto released = sequencer.arrived(kChat, Sequencer::kMaxWaiting + 2, 0);
        QCOMPARE(released.deliver.size(), Sequencer::kMaxWaiting + 1);
        QCOMPARE(released.deliver.first(), 2);
        QCOMPARE(sequencer.waitingCount(kChat), 0);
        QCOMPARE(sequencer.delivered(kChat), Sequencer::kMaxWaiting + 2);
    }
};

QTEST_APPLESS_MAIN(TestChatSequencer)
#include "tst_chatsequencer.moc"
