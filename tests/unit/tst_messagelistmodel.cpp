// SPDX-License-Identifier: MIT
#include "messagelistmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::desktop::MessageListModel;
using neonchat::protocol::ChatMessage;

namespace {

ChatMessage messageWithSeq(qint64 seq) {
    return ChatMessage{u"id-%1"_s.arg(seq),
                       u"chat"_s,
                       seq,
                       u"sender"_s,
                       u"bob"_s,
                       u"text %1"_s.arg(seq),
                       QDateTime::currentDateTimeUtc()};
}

QList<qint64> seqs(const MessageListModel &model) {
    QList<qint64> result;
    for (int row = 0; row < model.rowCount(); ++row) {
        result.append(model.data(model.index(row), MessageListModel::SeqRole).toLongLong());
    }
    return result;
}

} // namespace

class TestMessageListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsSeqOrderWithoutDuplicates_data() {
        QTest::addColumn<QList<qint64>>("arrivals");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::addRow("in order") << QList<qint64>{1, 2, 3} << QList<qint64>{1, 2, 3};
        QTest::addRow("sync fills a gap") << QList<qint64>{1, 4, 2, 3} << QList<qint64>{1, 2, 3, 4};
        QTest::addRow("history after live") << QList<qint64>{9, 1, 2} << QList<qint64>{1, 2, 9};
        QTest::addRow("duplicate from sync and live")
            << QList<qint64>{1, 2, 2, 3, 1} << QList<qint64>{1, 2, 3};
    }

    void keepsSeqOrderWithoutDuplicates() {
        QFETCH(QList<qint64>, arrivals);
        QFETCH(QList<qint64>, expected);
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (qint64 seq : arrivals) {
            model.add(messageWithSeq(seq), false);
        }
        QCOMPARE(seqs(model), expected);
        QCOMPARE(model.lastSeq(), expected.last());
    }

    void rolesCarryTheMessage() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(messageWithSeq(5), true);
        const QModelIndex first = model.index(0);
        QCOMPARE(model.data(first, MessageListModel::SenderRole).toString(), u"bob"_s);
        QCOMPARE(model.data(first, MessageListModel::TextRole).toString(), u"text 5"_s);
        QCOMPARE(model.data(first, MessageListModel::OwnRole).toBool(), true);
        QVERIFY(model.roleNames().value(MessageListModel::TextRole) == "text");
    }

    void holdsABoundedWindowOfTheNewest() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (qint64 seq = 1; seq <= MessageListModel::kMaxMessages + 10; ++seq) {
            model.add(messageWithSeq(seq), false);
        }
        QCOMPARE(model.rowCount(), MessageListModel::kMaxMessages);
        QCOMPARE(seqs(model).first(), 11);
        QCOMPARE(model.lastSeq(), MessageListModel::kMaxMessages + 10);
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
