// SPDX-License-Identifier: MIT
// The desktop's chat list model, filled from a real server's chat list and kept current by a
// real session: a new message moves its chat to the top and counts as unread, presence changes
// the partner's dot, reading clears the count. QAbstractItemModelTester checks every signal.
#include "accounts.h"
#include "chatlistmodel.h"
#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "http.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::testing;
using desktop::ChatListModel;

namespace {

QStringList titles(const ChatListModel &model) {
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row) {
        result.append(model.data(model.index(row), ChatListModel::TitleRole).toString());
    }
    return result;
}

QVariant valueOf(const ChatListModel &model, const QString &chatId, ChatListModel::Role role) {
    return model.data(model.index(model.rowOf(chatId)), role);
}

client::ChatSummary summary(const QString &id, const QString &kind, const QString &name,
                            const QDateTime &updatedAt) {
    client::ChatSummary chat;
    chat.id = id;
    chat.kind = kind;
    chat.name = name;
    chat.updatedAt = updatedAt;
    return chat;
}

protocol::ChatMessage message(const QString &chatId, const QString &senderId, const QString &sender,
                              const QString &text, const QDateTime &at) {
    return {u"m-"_s + text, chatId, 1, senderId, sender, text, at};
}

} // namespace

class TestChatListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void followsMessagesPresenceAndReading() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        const auto alice = createAccount(server, u"list_alice"_s);
        const auto bob = createAccount(server, u"list_bob"_s);
        QVERIFY(alice && bob);
        const QString directId = httpPostJson(server.httpUrl(u"/api/v1/chats"_s),
                                              {{"partner_id"_L1, bob->id}}, bearer(alice->token))
                                     .json()
                                     .value("id"_L1)
                                     .toString();
        const QString roomId = httpPostJson(server.httpUrl(u"/api/v1/rooms"_s),
                                            {{"name"_L1, "planning"_L1}}, bearer(alice->token))
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        QVERIFY(!directId.isEmpty() && !roomId.isEmpty());

        client::ApiClient api({server.httpUrl(QString()), {}});
        api.setToken(alice->token);
        const auto listed = QCoro::waitFor(api.chats());
        QVERIFY(std::holds_alternative<QList<client::ChatSummary>>(listed));
        ChatListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(std::get<QList<client::ChatSummary>>(listed));
        // Newest activity first: the room was made last.
        QCOMPARE(titles(model), (QStringList{u"#planning"_s, u"list_bob"_s, u"Lobby"_s}));
        QCOMPARE(valueOf(model, directId, ChatListModel::PartnerOnlineRole).toBool(), false);

        client::ChatConnection connection;
        connect(&connection, &client::ChatConnection::messageReceived, this,
                [&](const protocol::ChatMessage &message) {
                    QVERIFY(model.messageArrived(message, message.senderId == alice->id,
                                                 /*chatOpen=*/false));
                });
        connect(&connection, &client::ChatConnection::presenceChanged, &model,
                &ChatListModel::setPresence);
        QSignalSpy welcomed(&connection, &client::ChatConnection::welcomed);
        connection.open(alice->wsUrl(server));
        QVERIFY(welcomed.wait(10000));

        // Bob comes online and writes in the direct chat: it moves up, one unread, a green dot.
        TestClient bobClient;
        QVERIFY(!bobClient.join(bob->wsUrl(server)).isEmpty());
        QTRY_COMPARE(valueOf(model, directId, ChatListModel::PartnerOnlineRole).toBool(), true);
        QSignalSpy unreadChanged(&model, &ChatListModel::totalUnreadChanged);
        bobClient.sendJson({{"type"_L1, "message"_L1},
                            {"chat_id"_L1, directId},
                            {"text"_L1, "are you free at 3?"_L1}});
        QTRY_COMPARE(model.rowOf(directId), 0);
        QCOMPARE(valueOf(model, directId, ChatListModel::UnreadRole).toLongLong(), 1);
        QCOMPARE(valueOf(model, directId, ChatListModel::LastMessageRole).toString(),
                 u"are you free at 3?"_s);
        QCOMPARE(model.totalUnread(), 1);
        QCOMPARE(unreadChanged.size(), 1);

        // A message in a chat the list does not have is reported, not invented.
        const protocol::ChatMessage stray{u"m"_s,
                                          u"00000000-0000-4000-8000-00000000beef"_s,
                                          1,
                                          bob->id,
                                          bob->username,
                                          u"?"_s,
                                          QDateTime::currentDateTimeUtc()};
        QVERIFY(!model.messageArrived(stray, false, false));

        model.markRead(directId);
        QCOMPARE(valueOf(model, directId, ChatListModel::UnreadRole).toLongLong(), 0);
        QCOMPARE(model.totalUnread(), 0);

        bobClient.socket().close();
        QTRY_COMPARE(valueOf(model, directId, ChatListModel::PartnerOnlineRole).toBool(), false);
    }

    void activityIsAsShortAsItCanBe_data() {
        QTest::addColumn<QDateTime>("at");
        QTest::addColumn<QString>("shown");
        const QDateTime now(QDate(2026, 12, 2), QTime(15, 0));
        const QLocale locale;
        QTest::addRow("today") << now.addSecs(-3600)
                               << locale.toString(QTime(14, 0), QLocale::ShortFormat);
        QTest::addRow("yesterday") << now.addDays(-1) << u"Yesterday"_s;
        QTest::addRow("this week")
            << now.addDays(-4)
            << locale.dayName(now.addDays(-4).date().dayOfWeek(), QLocale::ShortFormat);
        QTest::addRow("older") << now.addDays(-40)
                               << locale.toString(now.addDays(-40).date(), QLocale::ShortFormat);
        QTest::addRow("never") << QDateTime() << QString();
    }

    void activityIsAsShortAsItCanBe() {
        QFETCH(QDateTime, at);
        QFETCH(QString, shown);
        QCOMPARE(desktop::activityText(at, QDateTime(QDate(2026, 12, 2), QTime(15, 0))), shown);
    }

    // Previews say who wrote (you, or the sender in rooms and the lobby); a chat without messages
    // shows no time; while the pointer is over the list nothing moves, and the order is put
    // right once it leaves.
    void previewsAndAListThatHoldsStill() {
        ChatListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setOwnUserId(u"me"_s);
        const QDateTime start = QDateTime::currentDateTime().addDays(-2);
        client::ChatSummary direct = summary(u"d"_s, u"direct"_s, {}, start.addSecs(120));
        direct.partner = client::UserSummary{u"bob-id"_s, u"bob"_s, false};
        model.reset({summary(u"r"_s, u"room"_s, u"design"_s, start.addSecs(180)), direct,
                     summary(u"l"_s, u"lobby"_s, {}, start)});
        QCOMPARE(titles(model), (QStringList{u"#design"_s, u"bob"_s, u"Lobby"_s}));
        QCOMPARE(valueOf(model, u"l"_s, ChatListModel::ActivityTextRole).toString(), QString());
        QCOMPARE(valueOf(model, u"l"_s, ChatListModel::LastMessageRole).toString(), QString());

        QVERIFY(model.messageArrived(
            message(u"r"_s, u"me"_s, u"alice"_s, u"agenda?"_s, start.addSecs(600)), true, false));
        QCOMPARE(valueOf(model, u"r"_s, ChatListModel::LastMessageRole).toString(),
                 u"You: agenda?"_s);
        QVERIFY(model.messageArrived(
            message(u"d"_s, u"bob-id"_s, u"bob"_s, u"yo"_s, start.addSecs(700)), false, false));
        QCOMPARE(valueOf(model, u"d"_s, ChatListModel::LastMessageRole).toString(), u"yo"_s);
        QVERIFY(!valueOf(model, u"d"_s, ChatListModel::ActivityTextRole).toString().isEmpty());

        model.setHeld(true);
        QVERIFY(model.messageArrived(
            message(u"l"_s, u"carol-id"_s, u"carol"_s, u"hello"_s, start.addSecs(800)), false,
            false));
        QCOMPARE(valueOf(model, u"l"_s, ChatListModel::LastMessageRole).toString(),
                 u"carol: hello"_s);
        QCOMPARE(titles(model), (QStringList{u"bob"_s, u"#design"_s, u"Lobby"_s}));
        model.setHeld(false);
        QCOMPARE(titles(model), (QStringList{u"Lobby"_s, u"bob"_s, u"#design"_s}));
    }
};

QTEST_GUILESS_MAIN(TestChatListModel)
#include "tst_chatlistmodel.moc"
