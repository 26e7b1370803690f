// SPDX-License-Identifier: MIT
// Account sessions over WebSocket (CONTRACT §3) against a real chat-server: a message reaches
// every session of every member and nobody else, typing and read receipts go to the other
// members, presence to contacts, sync replays a chat, and a stranger gets nothing from a chat he
// is not in.
#include "accounts.h"
#include "http.h"
#include "protocol/protocol.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

QJsonObject textMessage(const QString &chatId, const QString &text, const QString &requestId = {}) {
    QJsonObject frame{{"type"_L1, "message"_L1}, {"chat_id"_L1, chatId}, {"text"_L1, text}};
    if (!requestId.isEmpty()) {
        frame.insert("request_id"_L1, requestId);
    }
    return frame;
}

QJsonObject typing(const QString &chatId, bool isTyping) {
    return {{"type"_L1, "typing"_L1}, {"chat_id"_L1, chatId}, {"is_typing"_L1, isTyping}};
}

// Lets frames already on their way arrive, by a round trip through the server: an unknown
// frame type is answered with an error after everything sent before it.
bool roundTrip(TestClient &client) {
    client.sendJson({{"type"_L1, "ping-for-test"_L1}});
    return !client.waitFor(u"error"_s).isEmpty();
}

} // namespace

class TestChats : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    int m_accounts = 0;

    std::optional<TestAccount> account(const QString &name) {
        return createAccount(m_server, name + u'_' + QString::number(++m_accounts));
    }
    // A room made by owner that member has joined; empty if either step failed.
    QString roomOfTwo(const QString &name, const TestAccount &owner, const TestAccount &member) {
        return createRoom(m_server, name, owner, {member});
    }
    QString openDirect(const TestAccount &from, const TestAccount &to) {
        return httpPostJson(m_server.httpUrl(u"/api/v1/chats"_s), {{"partner_id"_L1, to.id}},
                            bearer(from.token))
            .json()
            .value("id"_L1)
            .toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.failureText())); }

    void accountSessionIsWelcomedByHeaderOrQuery() {
        const auto alice = account(u"welcome"_s);
        QVERIFY(alice);
        TestClient byQuery;
        const QJsonObject welcome = byQuery.join(alice->wsUrl(m_server));
        const QJsonObject user = welcome.value("user"_L1).toObject();
        QCOMPARE(user.value("id"_L1).toString(), alice->id);
        QCOMPARE(user.value("username"_L1).toString(), alice->username);
        QCOMPARE(user.value("guest"_L1).toBool(), false);

        QNetworkRequest request;
        request.setRawHeader("Authorization", "Bearer " + alice->token.toUtf8());
        TestClient byHeader;
        QVERIFY(byHeader.open(m_server.wsUrl(u"name=ignored"_s), request));
        const QJsonObject second = byHeader.waitFor(u"welcome"_s);
        QCOMPARE(second.value("user"_L1).toObject().value("id"_L1).toString(), alice->id);

        TestClient forged;
        QVERIFY(forged.open(m_server.wsUrl(u"token=abc.def.ghi"_s)));
        QVERIFY(forged.waitForDisconnect());
        QCOMPARE(forged.closeCode(), 1008);
    }

    void messageReachesEveryMemberSessionAndNobodyElse() {
        const auto alice = account(u"alice"_s);
        const auto bob = account(u"bob"_s);
        const auto carol = account(u"carol"_s);
        QVERIFY(alice && bob && carol);
        const QString chatId = openDirect(*alice, *bob);
        TestClient aliceLaptop, alicePhone, bobLaptop, bobPhone, carolClient;
        for (auto [client, who] : {std::pair{&aliceLaptop, &*alice},
                                   {&alicePhone, &*alice},
                                   {&bobLaptop, &*bob},
                                   {&bobPhone, &*bob},
                                   {&carolClient, &*carol}}) {
            QVERIFY(!client->join(who->wsUrl(m_server)).isEmpty());
        }
        aliceLaptop.sendJson(textMessage(chatId, u"hello bob"_s, u"r-1"_s));
        const QJsonObject ack = aliceLaptop.waitFor(u"message_sent"_s);
        QCOMPARE(ack.value("request_id"_L1).toString(), u"r-1"_s);
        const QJsonObject message = ack.value("message"_L1).toObject();
        QCOMPARE(message.value("chat_id"_L1).toString(), chatId);
        QCOMPARE(message.value("seq"_L1).toInt(), 1);
        QCOMPARE(message.value("sender_id"_L1).toString(), alice->id);
        QCOMPARE(message.value("sender"_L1).toString(), alice->username);
        for (TestClient *receiver : {&alicePhone, &bobLaptop, &bobPhone}) {
            QCOMPARE(receiver->waitFor(u"new_message"_s).value("message"_L1).toObject(), message);
        }
        QVERIFY(roundTrip(carolClient));
        QVERIFY(carolClient.framesOfType(u"new_message"_s).isEmpty());
        QVERIFY(aliceLaptop.framesOfType(u"new_message"_s).isEmpty());

        // The same request_id again: the stored message comes back, nobody receives it twice.
        aliceLaptop.sendJson(textMessage(chatId, u"hello bob"_s, u"r-1"_s));
        QCOMPARE(aliceLaptop.waitFor(u"message_sent"_s).value("message"_L1).toObject(), message);
        QVERIFY(roundTrip(bobLaptop));
        QCOMPARE(bobLaptop.framesOfType(u"new_message"_s).size(), 1);
    }

    void strangerCanNeitherWriteNorReadNorWatch() {
        const auto alice = account(u"idor_alice"_s);
        const auto bob = account(u"idor_bob"_s);
        const auto mallory = account(u"idor_mallory"_s);
        QVERIFY(alice && bob && mallory);
        const QString chatId = openDirect(*alice, *bob);
        TestClient aliceClient, bobClient, malloryClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        QVERIFY(!malloryClient.join(mallory->wsUrl(m_server)).isEmpty());
        aliceClient.sendJson(textMessage(chatId, u"our secret"_s));
        QVERIFY(!aliceClient.waitFor(u"message_sent"_s).isEmpty());

        malloryClient.sendJson(textMessage(chatId, u"let me in"_s, u"m-1"_s));
        const QJsonObject refused = malloryClient.waitFor(u"error"_s);
        QCOMPARE(refused.value("code"_L1).toString(), u"forbidden"_s);
        QCOMPARE(refused.value("request_id"_L1).toString(), u"m-1"_s);
        malloryClient.sendJson(
            {{"type"_L1, "sync"_L1}, {"chat_id"_L1, chatId}, {"after_seq"_L1, 0}});
        QCOMPARE(malloryClient.waitFor(u"error"_s).value("code"_L1).toString(), u"forbidden"_s);
        // A refused sync does not hold up the next one (syncs of a session are replayed in turn).
        malloryClient.sendJson({{"type"_L1, "sync"_L1},
                                {"chat_id"_L1, QLatin1StringView(neonchat::protocol::kLobbyId)},
                                {"after_seq"_L1, 0}});
        QCOMPARE(malloryClient.waitFor(u"sync_done"_s).value("chat_id"_L1).toString(),
                 QLatin1StringView(neonchat::protocol::kLobbyId));
        malloryClient.sendJson(typing(chatId, true));
        QCOMPARE(malloryClient.waitFor(u"error"_s).value("code"_L1).toString(), u"forbidden"_s);
        QVERIFY(malloryClient.framesOfType(u"new_message"_s).isEmpty());
        QVERIFY(roundTrip(bobClient));
        QCOMPARE(bobClient.framesOfType(u"new_message"_s).size(), 1); // alice's only
        QVERIFY(bobClient.framesOfType(u"typing"_s).isEmpty());
        QVERIFY(malloryClient.isConnected());

        // A guest cannot reach an account chat either.
        TestClient guest;
        QVERIFY(!guest.join(m_server.wsUrl(u"name=guest"_s)).isEmpty());
        guest.sendJson(textMessage(chatId, u"hi"_s));
        QCOMPARE(guest.waitFor(u"error"_s).value("code"_L1).toString(), u"forbidden"_s);
    }

    void typingGoesToTheOtherMembersCoalesced() {
        const auto alice = account(u"typing_alice"_s);
        const auto bob = account(u"typing_bob"_s);
        QVERIFY(alice && bob);
        const QString chatId = openDirect(*alice, *bob);
        TestClient aliceClient, bobClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        for (int i = 0; i < 5; ++i) {
            aliceClient.sendJson(typing(chatId, true));
        }
        const QJsonObject started = bobClient.waitFor(u"typing"_s);
        QCOMPARE(started.value("user_id"_L1).toString(), alice->id);
        QCOMPARE(started.value("chat_id"_L1).toString(), chatId);
        QCOMPARE(started.value("is_typing"_L1).toBool(), true);
        aliceClient.sendJson(typing(chatId, false));
        QCOMPARE(bobClient.waitFor(u"typing"_s).value("is_typing"_L1).toBool(), false);
        QVERIFY(roundTrip(aliceClient));
        QVERIFY(roundTrip(bobClient));
        QCOMPARE(bobClient.framesOfType(u"typing"_s).size(), 2); // five "true" relayed once
        QVERIFY(aliceClient.framesOfType(u"typing"_s).isEmpty());

        // A session that disappears while typing stops typing for the others.
        aliceClient.sendJson(typing(chatId, true));
        QCOMPARE(bobClient.waitFor(u"typing"_s).value("is_typing"_L1).toBool(), true);
        aliceClient.socket().abort();
        QCOMPARE(bobClient.waitFor(u"typing"_s).value("is_typing"_L1).toBool(), false);
    }

    void readMarkerMovesAndSendsReceipts() {
        const auto alice = account(u"read_alice"_s);
        const auto bob = account(u"read_bob"_s);
        QVERIFY(alice && bob);
        const QString chatId = openDirect(*alice, *bob);
        TestClient aliceClient, bobClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            aliceClient.sendJson(textMessage(chatId, u"m%1"_s.arg(i)));
            ids.append(aliceClient.waitFor(u"message_sent"_s)
                           .value("message"_L1)
                           .toObject()
                           .value("id"_L1)
                           .toString());
        }
        auto unread = [&] {
            const HttpResult chats =
                httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(bob->token));
            for (const QJsonValue &chat : chats.json().value("chats"_L1).toArray()) {
                if (chat.toObject().value("id"_L1).toString() == chatId) {
                    return chat.toObject().value("unread_count"_L1).toInt();
                }
            }
            return -1;
        };
        QCOMPARE(unread(), 3);
        bobClient.sendJson(
            {{"type"_L1, "read"_L1}, {"chat_id"_L1, chatId}, {"message_id"_L1, ids[1]}});
        const QJsonObject receipt = aliceClient.waitFor(u"read"_s);
        QCOMPARE(receipt.value("user_id"_L1).toString(), bob->id);
        QCOMPARE(receipt.value("message_id"_L1).toString(), ids[1]);
        QCOMPARE(unread(), 1);
        // Reading an older message again moves nothing and sends nothing: the next receipt
        // alice gets is for the newer message read after it.
        bobClient.sendJson(
            {{"type"_L1, "read"_L1}, {"chat_id"_L1, chatId}, {"message_id"_L1, ids[0]}});
        QCOMPARE(unread(), 1);
        bobClient.sendJson(
            {{"type"_L1, "read"_L1}, {"chat_id"_L1, chatId}, {"message_id"_L1, ids[2]}});
        QCOMPARE(aliceClient.waitFor(u"read"_s).value("message_id"_L1).toString(), ids[2]);
        QCOMPARE(aliceClient.framesOfType(u"read"_s).size(), 2);
        QCOMPARE(unread(), 0);
        // A message id from another chat is refused.
        bobClient.sendJson({{"type"_L1, "read"_L1},
                            {"chat_id"_L1, chatId},
                            {"message_id"_L1, "00000000-0000-4000-8000-0000000000aa"_L1}});
        QCOMPARE(bobClient.waitFor(u"error"_s).value("code"_L1).toString(), u"invalid_message"_s);
    }

    void presenceGoesToContactsOnly() {
        const auto alice = account(u"presence_alice"_s);
        const auto bob = account(u"presence_bob"_s);
        const auto stranger = account(u"presence_stranger"_s);
        QVERIFY(alice && bob && stranger);
        openDirect(*alice, *bob);
        TestClient aliceClient, strangerClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!strangerClient.join(stranger->wsUrl(m_server)).isEmpty());
        auto online = [&](const TestAccount &who) {
            return httpGet(m_server.httpUrl(u"/api/v1/users/"_s + who.id), bearer(alice->token))
                .json()
                .value("online"_L1)
                .toBool();
        };
        QVERIFY(!online(*bob));
        {
            TestClient bobClient;
            QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
            const QJsonObject cameOnline = aliceClient.waitFor(u"presence"_s);
            QCOMPARE(cameOnline.value("event"_L1).toString(), u"user_online"_s);
            QCOMPARE(cameOnline.value("user_id"_L1).toString(), bob->id);
            QVERIFY(online(*bob));
            // A second device changes nothing for the others.
            TestClient bobPhone;
            QVERIFY(!bobPhone.join(bob->wsUrl(m_server)).isEmpty());
            bobClient.socket().close();
            QVERIFY(bobClient.waitForDisconnect());
            QVERIFY(roundTrip(aliceClient));
            QCOMPARE(aliceClient.framesOfType(u"presence"_s).size(), 1);
        }
        const QJsonObject wentOffline = aliceClient.waitFor(u"presence"_s);
        QCOMPARE(wentOffline.value("event"_L1).toString(), u"user_offline"_s);
        QTRY_VERIFY(!online(*bob));
        const HttpResult bobInfo =
            httpGet(m_server.httpUrl(u"/api/v1/users/"_s + bob->id), bearer(alice->token));
        QVERIFY(bobInfo.json().value("last_seen_at"_L1).isString());
        QVERIFY(roundTrip(strangerClient));
        QVERIFY(strangerClient.framesOfType(u"presence"_s).isEmpty());
    }

    void syncReplaysAMemberChat() {
        const auto alice = account(u"sync_alice"_s);
        const auto bob = account(u"sync_bob"_s);
        QVERIFY(alice && bob);
        const QString roomId = roomOfTwo(u"sync room"_s, *alice, *bob);
        QVERIFY(!roomId.isEmpty());
        TestClient aliceClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        for (int i = 0; i < 5; ++i) {
            aliceClient.sendJson(textMessage(roomId, u"room %1"_s.arg(i)));
            QVERIFY(!aliceClient.waitFor(u"message_sent"_s).isEmpty());
        }
        TestClient bobClient;
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        bobClient.sendJson({{"type"_L1, "sync"_L1}, {"chat_id"_L1, roomId}, {"after_seq"_L1, 2}});
        const QJsonObject done = bobClient.waitFor(u"sync_done"_s);
        QCOMPARE(done.value("has_more"_L1).toBool(), false);
        QList<int> seqs;
        for (const QJsonObject &frame : bobClient.framesOfType(u"new_message"_s)) {
            seqs.append(frame.value("message"_L1).toObject().value("seq"_L1).toInt());
        }
        QCOMPARE(seqs, (QList<int>{3, 4, 5}));
    }

    void membersListsTheChatAndWhoIsOnline() {
        const auto alice = account(u"members_alice"_s);
        const auto bob = account(u"members_bob"_s);
        const auto stranger = account(u"members_stranger"_s);
        QVERIFY(alice && bob && stranger);
        const QString roomId = roomOfTwo(u"members room"_s, *alice, *bob);
        QVERIFY(!roomId.isEmpty());
        TestClient bobClient;
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        auto members = [&](const QString &chatId, const TestAccount &asked) {
            return httpGet(m_server.httpUrl(u"/api/v1/chats/%1/members"_s.arg(chatId)),
                           bearer(asked.token));
        };
        const HttpResult room = members(roomId, *alice);
        QCOMPARE(room.status, 200);
        QMap<QString, bool> online; // username -> online
        for (const QJsonValue &member : room.json().value("members"_L1).toArray()) {
            online.insert(member["username"_L1].toString(), member["online"_L1].toBool());
        }
        QCOMPARE(online, (QMap<QString, bool>{{alice->username, false}, {bob->username, true}}));

        QCOMPARE(members(roomId, *stranger).status, 403);
        QCOMPARE(members(u"00000000-0000-4000-8000-00000000dead"_s, *alice).status, 404);
        QCOMPARE(members(u"not-a-chat"_s, *alice).status, 404);
        QCOMPARE(httpGet(m_server.httpUrl(u"/api/v1/chats/%1/members"_s.arg(roomId))).status, 401);

        // The lobby lists the accounts online, not every account there is.
        QStringList lobby;
        for (const QJsonValue &member : members(QString(neonchat::protocol::kLobbyId), *alice)
                                            .json()["members"_L1]
                                            .toArray()) {
            QVERIFY(member["online"_L1].toBool());
            lobby.append(member["username"_L1].toString());
        }
        QVERIFY2(lobby.contains(bob->username), qPrintable(lobby.join(u' ')));
        QVERIFY(!lobby.contains(stranger->username));
    }

    void guestResumeKeepsTheIdentityAndStoresARepeatOnce() {
        TestClient first;
        const QJsonObject welcome = first.join(m_server.wsUrl(u"name=Resuming%20Guest"_s));
        const QString guestId = welcome["user"_L1]["id"_L1].toString();
        const QString resume = welcome.value("resume_token"_L1).toString();
        QVERIFY(!resume.isEmpty());
        const QString lobby = QString(neonchat::protocol::kLobbyId);
        first.sendJson(textMessage(lobby, u"once"_s, u"guest-request-1"_s));
        const QJsonObject stored = first.waitFor(u"message_sent"_s);
        first.socket().close();
        QVERIFY(first.waitForDisconnect());

        auto joinWith = [&](const QString &name, const QString &token) {
            QUrlQuery query;
            query.addQueryItem(u"name"_s, name);
            query.addQueryItem(u"resume"_s, token);
            auto client = std::make_unique<TestClient>();
            const QJsonObject joined = client->join(m_server.wsUrl(query.toString()));
            return std::pair{std::move(client), joined["user"_L1]["id"_L1].toString()};
        };
        auto [again, againId] = joinWith(u"Resuming Guest"_s, resume);
        QCOMPARE(againId, guestId);
        again->sendJson(textMessage(lobby, u"once"_s, u"guest-request-1"_s));
        const QJsonObject repeated = again->waitFor(u"message_sent"_s);
        QCOMPARE(repeated["message"_L1]["id"_L1], stored["message"_L1]["id"_L1]);

        // A token only resumes the name it was issued for, and only a guest's token resumes.
        QVERIFY(joinWith(u"Someone Else"_s, resume).second != guestId);
        QVERIFY(!joinWith(u"Resuming Guest"_s, resume + u'x').second.isEmpty());
        QVERIFY(joinWith(u"Resuming Guest"_s, resume + u'x').second != guestId);
        const auto alice = account(u"resume_alice"_s);
        QVERIFY(alice);
        QVERIFY(joinWith(alice->username, alice->token).second != alice->id);
        // ... and a guest's token is no account token.
        TestClient impostor;
        QVERIFY(impostor.open(m_server.wsUrl(u"token="_s + resume)));
        QVERIFY(impostor.waitForDisconnect());
        QCOMPARE(impostor.closeCode(), 1008);
        QCOMPARE(httpGet(m_server.httpUrl(u"/api/v1/me"_s), bearer(resume)).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestChats)
#include "tst_chats.moc"
