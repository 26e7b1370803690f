// SPDX-License-Identifier: MIT
// The desktop's message model against a real server: the newest page first, older pages fetched
// as the view scrolls up, a bounded window that gives back its newest rows when scrolling back
// and takes them again on the way down, live messages, and sends that are pending, acknowledged
// or refused. QAbstractItemModelTester checks every signal the model emits.
#include "accounts.h"
#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "messagelistmodel.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::testing;
using desktop::MessageListModel;

namespace {

const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;

QList<qint64> seqs(const MessageListModel &model) {
    QList<qint64> result;
    for (int row = 0; row < model.rowCount(); ++row) {
        result.append(model.data(model.index(row), MessageListModel::SeqRole).toLongLong());
    }
    return result;
}

bool strictlyDescending(const QList<qint64> &values) {
    return std::adjacent_find(values.cbegin(), values.cend(), std::less_equal<>()) == values.cend();
}

QVariant valueAt(const MessageListModel &model, int row, MessageListModel::Role role) {
    return model.data(model.index(row), role);
}

protocol::ChatMessage storedMessage(qint64 seq, const QDateTime &at,
                                    const QString &sender = u"bob"_s) {
    return {u"id-%1"_s.arg(seq),   u"chat"_s, seq, u"id-"_s + sender, sender,
            u"text %1"_s.arg(seq), at};
}

QList<bool> flags(const MessageListModel &model, MessageListModel::Role role) {
    QList<bool> result;
    for (int row = 0; row < model.rowCount(); ++row) {
        result.append(model.data(model.index(row), role).toBool());
    }
    return result;
}

} // namespace

class TestMessageListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(m_server.log()));
        m_alice = createAccount(m_server, u"model_alice"_s);
        QVERIFY(m_alice);
        // 420 lobby messages from a guest: more than the window holds.
        TestClient writer;
        QVERIFY(!writer.join(m_server.wsUrl(u"name=writer"_s)).isEmpty());
        for (int i = 0; i < kWritten; ++i) {
            writer.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, u"m%1"_s.arg(i)}});
        }
        QTRY_COMPARE_WITH_TIMEOUT(writer.framesOfType(u"message_sent"_s).size(), kWritten, 30000);
        m_api = std::make_unique<client::ApiClient>(client::ServerAccess{m_server.httpUrl({}), {}});
        m_api->setToken(m_alice->token);
    }

    void opensWithTheNewestPageNewestFirst() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSource(m_api.get(), m_alice->id);
        QSignalSpy opened(&model, &MessageListModel::opened);
        model.open(kLobby);
        QVERIFY(model.loading());
        QVERIFY(opened.wait(10000));
        QCOMPARE(model.rowCount(), MessageListModel::kPage);
        QCOMPARE(valueAt(model, 0, MessageListModel::TextRole).toString(),
                 u"m%1"_s.arg(kWritten - 1));
        QVERIFY(strictlyDescending(seqs(model)));
        QVERIFY(model.atLatest());
        QVERIFY(model.hasOlder());
        QVERIFY(model.canFetchMore({}));
        QCOMPARE(valueAt(model, 0, MessageListModel::OwnRole).toBool(), false);
        QCOMPARE(valueAt(model, 0, MessageListModel::StatusRole).value<MessageListModel::Status>(),
                 MessageListModel::Status::Sent);
    }

    // Scrolling all the way up and back down: the model never holds more than its window, never
    // a message twice or out of order, and ends holding the newest again.
    // No QAbstractItemModelTester here: it calls fetchMore() itself on every change, which would
    // keep scrolling up while this test scrolls down.
    void windowStaysBoundedScrollingBackAndForth() {
        MessageListModel model;
        model.setSource(m_api.get(), m_alice->id);
        QSignalSpy opened(&model, &MessageListModel::opened);
        model.open(kLobby);
        QVERIFY(opened.wait(10000));
        int pages = 0;
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.loading(), 10000);
            QVERIFY(model.rowCount() <= MessageListModel::kWindow);
            QVERIFY(strictlyDescending(seqs(model)));
            QVERIFY(++pages < 20);
        }
        QVERIFY(!model.hasOlder());
        QVERIFY(!model.atLatest());
        QCOMPARE(valueAt(model, model.rowCount() - 1, MessageListModel::TextRole).toString(),
                 u"m0"_s);
        QCOMPARE(model.rowCount(), MessageListModel::kWindow);
        // The first day's first message carries the day header.
        QVERIFY(valueAt(model, model.rowCount() - 1, MessageListModel::FirstOfDayRole).toBool());

        while (!model.atLatest()) {
            model.loadNewer();
            QTRY_VERIFY_WITH_TIMEOUT(!model.loading(), 10000);
            QVERIFY(model.rowCount() <= MessageListModel::kWindow);
            QVERIFY(strictlyDescending(seqs(model)));
            QVERIFY(++pages < 40);
        }
        QVERIFY(model.hasOlder());
        QCOMPARE(valueAt(model, 0, MessageListModel::TextRole).toString(),
                 u"m%1"_s.arg(kWritten - 1));
    }

    // ↓ from far back: straight to the newest page (not one page per click), with what is being
    // sent still below it.
    void reloadLatestJumpsFromFarBack() {
        MessageListModel model;
        model.setSource(m_api.get(), m_alice->id);
        QSignalSpy opened(&model, &MessageListModel::opened);
        model.open(kLobby);
        QVERIFY(opened.wait(10000));
        while (model.atLatest()) {
            QVERIFY(model.canFetchMore({}));
            model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.loading(), 10000);
        }
        model.addPending(u"request-1"_s, u"on its way"_s, u"model_alice"_s);
        opened.clear();
        model.reloadLatest();
        QVERIFY(opened.wait(10000));
        QVERIFY(model.atLatest());
        QVERIFY(model.hasOlder());
        QCOMPARE(model.rowCount(), MessageListModel::kPage + 1);
        QCOMPARE(valueAt(model, 0, MessageListModel::RequestIdRole).toString(), u"request-1"_s);
        QCOMPARE(valueAt(model, 1, MessageListModel::TextRole).toString(),
                 u"m%1"_s.arg(kWritten - 1));
        QVERIFY(strictlyDescending(seqs(model).mid(1)));
    }

    // A quoted or found message far back: its page is loaded in place of the newest, and the view
    // is told where it is.
    void openAroundLoadsThePageOfAMessageFarBack() {
        MessageListModel model;
        model.setSource(m_api.get(), m_alice->id);
        QSignalSpy opened(&model, &MessageListModel::opened);
        model.open(kLobby);
        QVERIFY(opened.wait(10000));
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.loading(), 10000);
        }
        const QString oldestId =
            valueAt(model, model.rowCount() - 1, MessageListModel::IdRole).toString();
        opened.clear();
        model.reloadLatest();
        QVERIFY(opened.wait(10000));
        QVERIFY(!model.find(oldestId));

        QSignalSpy ready(&model, &MessageListModel::highlightReady);
        model.openAround(oldestId);
        QVERIFY(ready.wait(10000));
        const int row = model.highlightRow();
        QVERIFY(row >= 0);
        QCOMPARE(valueAt(model, row, MessageListModel::TextRole).toString(), u"m0"_s);
        QVERIFY(!model.atLatest());
        QVERIFY(strictlyDescending(seqs(model)));
    }

    // A run of one sender's messages, each within five minutes of the one before on the same
    // day, shows the name and time once: at its oldest message.
    void runsOfOneSenderAreGrouped() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.open(u"chat"_s);
        const QDateTime at = QDateTime::currentDateTime().addDays(-1);
        model.addStored(storedMessage(1, at, u"bob"_s));
        model.addStored(storedMessage(3, at.addSecs(120), u"bob"_s));
        model.addStored(storedMessage(4, at.addSecs(180), u"alice"_s));
        model.addStored(storedMessage(5, at.addSecs(180 + 17 * 60), u"alice"_s));
        model.addStored(storedMessage(6, at.addSecs(180 + 18 * 60), u"alice"_s));
        QCOMPARE(flags(model, MessageListModel::FirstOfGroupRole),
                 (QList<bool>{false, true, true, false, true}));

        // One of alice's arriving late between bob's two: bob's second starts a group now, and
        // the view is told.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.addStored(storedMessage(2, at.addSecs(60), u"alice"_s));
        QCOMPARE(flags(model, MessageListModel::FirstOfGroupRole),
                 (QList<bool>{false, true, true, true, true, true}));
        QVERIFY(std::any_of(changed.cbegin(), changed.cend(), [&](const QList<QVariant> &args) {
            return args.at(0).toModelIndex().row() <= 3 && args.at(1).toModelIndex().row() >= 3 &&
                   args.at(2).value<QList<int>>().contains(MessageListModel::FirstOfGroupRole);
        }));
    }

    // Live messages come in at the bottom; one's own go pending → sent, or pending → failed with
    // the server's reason, and a failed one can be taken out to be sent again.
    void liveMessagesAndSendsThatSucceedOrFail() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSource(m_api.get(), m_alice->id);
        client::ChatConnection connection;
        connect(&connection, &client::ChatConnection::messageReceived, &model,
                &MessageListModel::addStored);
        connect(&connection, &client::ChatConnection::messageAcknowledged, &model,
                &MessageListModel::markSent);
        connect(&connection, &client::ChatConnection::messageRejected, &model,
                [&](const QString &requestId, const protocol::ErrorFrame &error) {
                    model.markFailed(requestId, error.message);
                });
        QSignalSpy welcomed(&connection, &client::ChatConnection::welcomed);
        connection.open(m_alice->wsUrl(m_server));
        QVERIFY(welcomed.wait(10000));
        QSignalSpy opened(&model, &MessageListModel::opened);
        model.open(kLobby);
        QVERIFY(opened.wait(10000));
        const qint64 newest = valueAt(model, 0, MessageListModel::SeqRole).toLongLong();

        TestClient guest;
        QVERIFY(!guest.join(m_server.wsUrl(u"name=live_guest"_s)).isEmpty());
        guest.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "live one"_L1}});
        QTRY_COMPARE(valueAt(model, 0, MessageListModel::TextRole).toString(), u"live one"_s);
        QCOMPARE(valueAt(model, 0, MessageListModel::SeqRole).toLongLong(), newest + 1);

        const QString sent = connection.send(u"mine"_s, kLobby);
        model.addPending(sent, u"mine"_s, m_alice->username);
        QCOMPARE(valueAt(model, 0, MessageListModel::StatusRole).value<MessageListModel::Status>(),
                 MessageListModel::Status::Pending);
        QCOMPARE(valueAt(model, 0, MessageListModel::OwnRole).toBool(), true);
        QTRY_COMPARE(
            valueAt(model, 0, MessageListModel::StatusRole).value<MessageListModel::Status>(),
            MessageListModel::Status::Sent);
        QCOMPARE(valueAt(model, 0, MessageListModel::TextRole).toString(), u"mine"_s);
        QCOMPARE(valueAt(model, 0, MessageListModel::SeqRole).toLongLong(), newest + 2);
        QCOMPARE(valueAt(model, 0, MessageListModel::OwnRole).toBool(), true);
        QCOMPARE(model.newestStoredId(), valueAt(model, 0, MessageListModel::IdRole).toString());

        // Longer than the server takes: refused, kept in the list as failed.
        const QString tooLong(protocol::kTextMaxChars + 1, u'x');
        const QString refused = connection.send(tooLong, kLobby);
        model.addPending(refused, tooLong, m_alice->username);
        QTRY_COMPARE(
            valueAt(model, 0, MessageListModel::StatusRole).value<MessageListModel::Status>(),
            MessageListModel::Status::Failed);
        QVERIFY(!valueAt(model, 0, MessageListModel::ErrorRole).toString().isEmpty());
        QCOMPARE(valueAt(model, 0, MessageListModel::RequestIdRole).toString(), refused);
        const int rows = model.rowCount();
        QCOMPARE(model.takeFailed(refused), tooLong);
        QCOMPARE(model.rowCount(), rows - 1);
        QCOMPARE(model.takeFailed(sent), QString());

        // A message of another chat is not this one's.
        protocol::ChatMessage elsewhere =
            storedMessage(newest + 50, QDateTime::currentDateTimeUtc());
        elsewhere.chatId = u"another"_s;
        model.addStored(elsewhere);
        QCOMPARE(model.rowCount(), rows - 1);
    }

    // Day headers, without a server: each day's oldest message held carries one.
    void eachDayStartsWithAHeader() {
        MessageListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.open(u"chat"_s);
        const QDateTime today = QDateTime::currentDateTime();
        const QDateTime yesterday = today.addDays(-1);
        model.addStored(storedMessage(1, yesterday));
        model.addStored(storedMessage(2, yesterday));
        model.addStored(storedMessage(3, today));
        model.addStored(storedMessage(4, today));
        QCOMPARE(seqs(model), (QList<qint64>{4, 3, 2, 1}));
        QList<bool> headers;
        for (int row = 0; row < model.rowCount(); ++row) {
            headers.append(valueAt(model, row, MessageListModel::FirstOfDayRole).toBool());
        }
        QCOMPARE(headers, (QList<bool>{false, true, false, true}));
        QCOMPARE(valueAt(model, 1, MessageListModel::DayRole).toString(), u"Today"_s);
        QCOMPARE(valueAt(model, 3, MessageListModel::DayRole).toString(), u"Yesterday"_s);
        // A repeat (sync overlapping live traffic) is not added twice.
        model.addStored(storedMessage(3, today));
        QCOMPARE(model.rowCount(), 4);
    }

private:
    static constexpr int kWritten = 420;
    ServerProcess m_server;
    std::optional<TestAccount> m_alice;
    std::unique_ptr<client::ApiClient> m_api;
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
