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
        QCOMPARE(titles(model), (QStringList{u"planning"_s, u"list_bob"_s, u"Lobby"_s}));
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
};

QTEST_GUILESS_MAIN(TestChatListModel)
#include "tst_chatlistmodel.moc"
