// SPDX-License-Identifier: MIT
// Changing messages after they were sent (CONTRACT §9) against a real chat-server: edit, delete,
// reactions and replies, each change fanned out as message_updated to every session of every
// member, replayed by sync after_mod_seq to a client that was away, and refused to strangers
// without telling them the message exists.
#include "accounts.h"
#include "http.h"
#include "protocol/protocol.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

QJsonObject textMessage(const QString &chatId, const QString &text, const QString &replyToId = {}) {
    QJsonObject frame{{"type"_L1, "message"_L1}, {"chat_id"_L1, chatId}, {"text"_L1, text}};
    if (!replyToId.isEmpty()) {
        frame.insert("reply_to_id"_L1, replyToId);
    }
    return frame;
}

QByteArray reactionPath(const QString &messageId, const QString &emoji) {
    return u"/api/v1/messages/%1/reactions/%2"_s
        .arg(messageId, QString::fromLatin1(QUrl::toPercentEncoding(emoji)))
        .toLatin1();
}

} // namespace

class TestMessageActions : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    int m_accounts = 0;

    std::optional<TestAccount> account(const QString &name) {
        return createAccount(m_server, name + u'_' + QString::number(++m_accounts));
    }
    QString createRoom(const TestAccount &owner, const QList<TestAccount> &members) {
        return neonchat::testing::createRoom(m_server, u"room %1"_s.arg(++m_accounts), owner,
                                             members);
    }
    // Sends text to chatId as client; the stored message (empty on failure).
    static QJsonObject send(TestClient &client, const QString &chatId, const QString &text,
                            const QString &replyToId = {}) {
        client.sendJson(textMessage(chatId, text, replyToId));
        return client.waitFor(u"message_sent"_s).value("message"_L1).toObject();
    }
    HttpResult edit(const TestAccount &who, const QString &messageId, const QString &text) {
        return httpRequest("PATCH", m_server.httpUrl(u"/api/v1/messages/"_s + messageId),
                           QJsonDocument(QJsonObject{{"text"_L1, text}}).toJson(),
                           bearer(who.token));
    }
    HttpResult remove(const TestAccount &who, const QString &messageId) {
        return httpRequest("DELETE", m_server.httpUrl(u"/api/v1/messages/"_s + messageId), {},
                           bearer(who.token));
    }
    HttpResult react(const TestAccount &who, const QString &messageId, const QString &emoji,
                     bool add = true) {
        return httpRequest(add ? "PUT" : "DELETE",
                           m_server.httpUrl(QString::fromLatin1(reactionPath(messageId, emoji))),
                           {}, bearer(who.token));
    }
    QJsonArray history(const TestAccount &who, const QString &chatId) {
        return httpGet(m_server.httpUrl(u"/api/v1/chats/%1/messages"_s.arg(chatId)),
                       bearer(who.token))
            .json()
            .value("messages"_L1)
            .toArray();
    }

    struct Room {
        TestAccount owner;
        TestAccount member;
        QString id;
    };
    std::optional<Room> room() {
        auto owner = account(u"owner"_s);
        auto member = account(u"member"_s);
        if (!owner || !member) {
            return std::nullopt;
        }
        const QString id = createRoom(*owner, {*member});
        if (id.isEmpty()) {
            return std::nullopt;
        }
        return Room{*owner, *member, id};
    }

    std::optional<Room> m_searchRoom; // searchFindsWordsInAnyScript's messages, made once

    // A room with one message of its owner's in it; the message's id.
    std::optional<std::pair<Room, QString>> roomWithMessage(const QString &text) {
        auto r = room();
        if (!r) {
            return std::nullopt;
        }
        TestClient owner;
        if (owner.join(r->owner.wsUrl(m_server)).isEmpty()) {
            return std::nullopt;
        }
        const QString id = send(owner, r->id, text).value("id"_L1).toString();
        if (id.isEmpty()) {
            return std::nullopt;
        }
        return std::pair{*r, id};
    }

private Q_SLOTS:
    void initTestCase() {
        // Bursts of messages (searchPagesAThousandMatchesNewestFirst) are not what is tested here.
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"5000"_s}),
                 qPrintable(m_server.failureText()));
    }

    void everyMessageCarriesTheNewFields() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QJsonObject message = send(owner, r->id, u"plain"_s);
        for (const auto *key :
             {"edited_at", "deleted", "reply_to_id", "reactions", "attachments", "mod_seq"}) {
            QVERIFY2(message.contains(QLatin1StringView(key)), key);
        }
        QVERIFY(message.value("edited_at"_L1).isNull());
        QCOMPARE(message.value("deleted"_L1), QJsonValue(false));
        QVERIFY(message.value("reply_to_id"_L1).isNull());
        QCOMPARE(message.value("reactions"_L1).toArray().size(), 0);
        QCOMPARE(message.value("attachments"_L1).toArray().size(), 0);
        QCOMPARE(message.value("mod_seq"_L1).toInteger(), 0);
        QCOMPARE(history(r->owner, r->id).last().toObject(), message);
        // A message with no word to index (emoji alone) is stored like any other.
        QCOMPARE(send(owner, r->id, u"👍🎉"_s).value("text"_L1).toString(), u"👍🎉"_s);
    }

    void editReachesEverySessionOfEveryMember() {
        auto r = room();
        QVERIFY(r);
        TestClient owner, memberPhone, memberDesk;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        QVERIFY(!memberPhone.join(r->member.wsUrl(m_server)).isEmpty());
        QVERIFY(!memberDesk.join(r->member.wsUrl(m_server)).isEmpty());
        const QJsonObject sent = send(owner, r->id, u"teh typo"_s);
        const QString id = sent.value("id"_L1).toString();

        const HttpResult edited = edit(r->owner, id, u"the typo, fixed"_s);
        QCOMPARE(edited.status, 200);
        const QJsonObject answer = edited.json();
        QCOMPARE(answer.value("text"_L1).toString(), u"the typo, fixed"_s);
        QVERIFY(!answer.value("edited_at"_L1).toString().isEmpty());
        QCOMPARE(answer.value("mod_seq"_L1).toInteger(), 1);
        QCOMPARE(answer.value("seq"_L1), sent.value("seq"_L1));
        for (TestClient *client : {&owner, &memberPhone, &memberDesk}) {
            const QJsonObject update = client->waitFor(u"message_updated"_s);
            QCOMPARE(update.value("message"_L1).toObject(), answer);
        }
        QCOMPARE(history(r->member, r->id).last().toObject(), answer);
    }

    void editIsRefused_data() {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("deletedFirst");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addRow("another member") << u"member"_s << u"x"_s << false << 403 << u"forbidden"_s;
        QTest::addRow("stranger") << u"stranger"_s << u"x"_s << false << 404 << u"not_found"_s;
        QTest::addRow("deleted") << u"owner"_s << u"x"_s << true << 409 << u"message_deleted"_s;
        QTest::addRow("empty text")
            << u"owner"_s << u"   "_s << false << 400 << u"invalid_request"_s;
        QTest::addRow("too long") << u"owner"_s << QString(4097, u'x') << false << 400
                                  << u"invalid_request"_s;
    }

    void editIsRefused() {
        QFETCH(QString, who);
        QFETCH(QString, text);
        QFETCH(bool, deletedFirst);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto posted = roomWithMessage(u"original"_s);
        QVERIFY(posted);
        const auto &[r, id] = *posted;
        const auto stranger = account(u"stranger"_s);
        QVERIFY(stranger);
        if (deletedFirst) {
            QCOMPARE(remove(r.owner, id).status, 204);
        }
        const TestAccount &actor =
            who == "owner"_L1 ? r.owner : (who == "member"_L1 ? r.member : *stranger);
        const HttpResult refused = edit(actor, id, text);
        QCOMPARE(refused.status, status);
        QCOMPARE(refused.errorCode(), code);
        if (!deletedFirst) {
            QCOMPARE(history(r.owner, r.id).last()["text"_L1].toString(), u"original"_s);
        }
    }

    void deleteLeavesATombstoneInItsPlace() {
        auto r = room();
        QVERIFY(r);
        TestClient owner, member;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        QVERIFY(!member.join(r->member.wsUrl(m_server)).isEmpty());
        const QJsonObject first = send(member, r->id, u"take this back"_s);
        const QString id = first.value("id"_L1).toString();
        QCOMPARE(react(r->owner, id, u"👍"_s).status, 204);
        QVERIFY(!member.waitFor(u"message_updated"_s).isEmpty());
        const QJsonObject after = send(member, r->id, u"stays"_s);

        // The chat list tells every member who that is (the lobby has no creator).
        const auto chats = httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(r->member.token));
        QCOMPARE(chats.status, 200);
        QHash<QString, QJsonValue> creators;
        for (const QJsonValue chat : chats.json().value("chats"_L1).toArray()) {
            creators.insert(chat["id"_L1].toString(), chat["created_by"_L1]);
        }
        QCOMPARE(creators.value(r->id), QJsonValue(r->owner.id));
        QCOMPARE(creators.value(u"00000000-0000-4000-8000-000000000001"_s),
                 QJsonValue(QJsonValue::Null));

        // The room's creator may delete anyone's message.
        QCOMPARE(remove(r->owner, id).status, 204);
        const QJsonObject tombstone =
            member.waitFor(u"message_updated"_s).value("message"_L1).toObject();
        QCOMPARE(tombstone.value("deleted"_L1), QJsonValue(true));
        QCOMPARE(tombstone.value("text"_L1).toString(), QString());
        QCOMPARE(tombstone.value("reactions"_L1).toArray().size(), 0);
        QCOMPARE(tombstone.value("seq"_L1), first.value("seq"_L1));
        QCOMPARE(tombstone.value("mod_seq"_L1).toInteger(), 2);

        const QJsonArray messages = history(r->member, r->id);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].toObject(), tombstone);
        QCOMPARE(messages[1].toObject(), after);
        // Deleting again is no change: no second update, same counter.
        QCOMPARE(remove(r->member, id).status, 204);
        QCOMPARE(react(r->owner, id, u"🎉"_s).status, 409);
    }

    void deletedTextLeavesTheDatabaseFile() {
        if (testDatabaseKind() != "sqlite"_L1) {
            QSKIP("reads the SQLite file; PostgreSQL keeps old row versions until VACUUM");
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"chat.db"_s);
        ServerProcess server;
        QVERIFY2(server.start({u"--db"_s, u"sqlite:"_s + path}), qPrintable(server.failureText()));
        const auto alice = createAccount(server, u"grep_alice"_s);
        QVERIFY(alice);
        TestClient client;
        QVERIFY(!client.join(alice->wsUrl(server)).isEmpty());
        const QString lobby = QString(neonchat::protocol::kLobbyId);
        const QString secret = u"the-deleted-secret-7f3a91"_s;
        // One word of it alone, as a search index holds words.
        const QString secretWord = u"7f3a91"_s;
        const QString kept = u"the-kept-words-2b81c4"_s;
        const QString id = send(client, lobby, u"%1 %1"_s.arg(secret)).value("id"_L1).toString();
        QVERIFY(!send(client, lobby, kept).isEmpty());
        const auto fileHolds = [&path](const QString &text) {
            QByteArray bytes;
            for (const QString &file : {path, path + u"-wal"_s}) {
                QFile f(file);
                if (f.open(QIODevice::ReadOnly)) {
                    bytes += f.readAll();
                }
            }
            return bytes.contains(text.toUtf8());
        };
        QVERIFY(fileHolds(secret)); // the search below can find what is there
        QVERIFY(fileHolds(secretWord));

        QCOMPARE(httpRequest("DELETE", server.httpUrl(u"/api/v1/messages/"_s + id), {},
                             bearer(alice->token))
                     .status,
                 204);
        QVERIFY(!fileHolds(secret));
        QVERIFY(!fileHolds(secretWord));
        QVERIFY(fileHolds(kept));
    }

    void onlyTheAuthorOrTheRoomsCreatorDeletes() {
        auto r = room();
        QVERIFY(r);
        const auto third = account(u"third"_s);
        QVERIFY(third);
        QCOMPARE(httpRequest("POST", m_server.httpUrl(u"/api/v1/rooms/%1/join"_s.arg(r->id)), {},
                             bearer(third->token))
                     .status,
                 204);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString id = send(owner, r->id, u"the creator's"_s).value("id"_L1).toString();
        QCOMPARE(remove(r->member, id).errorCode(), u"forbidden"_s);
        QCOMPARE(remove(*third, id).status, 403);
        const auto stranger = account(u"stranger"_s);
        QVERIFY(stranger);
        QCOMPARE(remove(*stranger, id).status, 404);
        QCOMPARE(history(r->owner, r->id).last()["deleted"_L1], QJsonValue(false));
    }

    void reactionsCountUsersInOrderOfFirstUse() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString id = send(owner, r->id, u"react to me"_s).value("id"_L1).toString();
        QCOMPARE(react(r->member, id, u"🎉"_s).status, 204);
        QCOMPARE(react(r->owner, id, u"👍"_s).status, 204);
        QCOMPARE(react(r->owner, id, u"🎉"_s).status, 204);
        QCOMPARE(react(r->owner, id, u"🎉"_s).status, 204);         // twice is no change
        QCOMPARE(react(r->member, id, u"👍"_s, false).status, 204); // never there: no change
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(owner.waitFor(u"message_updated"_s)["message"_L1]["mod_seq"_L1].toInteger(),
                     i);
        }

        const QJsonObject message = history(r->owner, r->id).last().toObject();
        QCOMPARE(message.value("mod_seq"_L1).toInteger(), 3);
        const QJsonArray reactions = message.value("reactions"_L1).toArray();
        QCOMPARE(reactions.size(), 2);
        QCOMPARE(reactions[0]["emoji"_L1].toString(), u"🎉"_s);
        QCOMPARE(reactions[0]["count"_L1].toInt(), 2);
        QCOMPARE(reactions[0]["user_ids"_L1].toArray(), (QJsonArray{r->member.id, r->owner.id}));
        QCOMPARE(reactions[1]["emoji"_L1].toString(), u"👍"_s);
        QCOMPARE(reactions[1]["user_ids"_L1].toArray(), QJsonArray{r->owner.id});

        QCOMPARE(react(r->member, id, u"🎉"_s, false).status, 204);
        const QJsonObject update =
            owner.waitFor(u"message_updated"_s).value("message"_L1).toObject();
        QCOMPARE(update.value("mod_seq"_L1).toInteger(), 4);
        QCOMPARE(update["reactions"_L1][0]["user_ids"_L1].toArray(), QJsonArray{r->owner.id});
    }

    void emojiRules_data() {
        QTest::addColumn<QString>("emoji");
        QTest::addColumn<int>("status");
        QTest::addRow("flag") << u"🇺🇦"_s << 204;
        QTest::addRow("family (25 bytes)") << u"👨‍👩‍👧‍👦"_s << 204;
        QTest::addRow("word") << u"+1"_s << 204;
        QTest::addRow("percent sign") << u"%41"_s << 204;
        QTest::addRow("question mark") << u"?"_s << 204;
        // Qt's router decodes the path before it splits it: a "/" cannot be in a segment.
        QTest::addRow("slash") << u"a/b"_s << 404;
        QTest::addRow("hash") << u"#1"_s << 204;
        QTest::addRow("33 bytes") << QString(33, u'a') << 400;
        QTest::addRow("space") << u"a b"_s << 400;
        QTest::addRow("tab") << u"a\tb"_s << 400;
        QTest::addRow("newline") << u"\n"_s << 400;
    }

    void emojiRules() {
        QFETCH(QString, emoji);
        QFETCH(int, status);
        const auto posted = roomWithMessage(u"emoji"_s);
        QVERIFY(posted);
        const auto &[r, id] = *posted;
        QCOMPARE(react(r.member, id, emoji).status, status);
        if (status == 204) {
            const QJsonObject message = history(r.owner, r.id).last().toObject();
            QCOMPARE(message["reactions"_L1][0]["emoji"_L1].toString(), emoji);
        }
    }

    void twentyDistinctEmojiAtMost() {
        const auto posted = roomWithMessage(u"popular"_s);
        QVERIFY(posted);
        const auto &[r, id] = *posted;
        for (int i = 0; i < neonchat::protocol::kMaxReactionsPerMessage; ++i) {
            QCOMPARE(react(r.owner, id, u"e%1"_s.arg(i)).status, 204);
        }
        const HttpResult refused = react(r.owner, id, u"one-too-many"_s);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"too_many_reactions"_s);
        // Another user on an emoji already there is no new emoji.
        QCOMPARE(react(r.member, id, u"e0"_s).status, 204);
    }

    void strangersLearnNothing_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("edit") << QByteArray("PATCH") << u"/api/v1/messages/%1"_s
                              << QByteArray(R"({"text":"mine now"})");
        QTest::addRow("delete") << QByteArray("DELETE") << u"/api/v1/messages/%1"_s << QByteArray();
        QTest::addRow("react") << QByteArray("PUT") << u"/api/v1/messages/%1/reactions/x"_s
                               << QByteArray();
        QTest::addRow("unreact") << QByteArray("DELETE") << u"/api/v1/messages/%1/reactions/x"_s
                                 << QByteArray();
    }

    void strangersLearnNothing() {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const auto posted = roomWithMessage(u"private"_s);
        QVERIFY(posted);
        const auto &[r, id] = *posted;
        const auto stranger = account(u"stranger"_s);
        QVERIFY(stranger);
        // A stranger gets what a message that does not exist gets.
        const HttpResult onReal =
            httpRequest(method, m_server.httpUrl(path.arg(id)), body, bearer(stranger->token));
        const HttpResult onNone = httpRequest(
            method, m_server.httpUrl(path.arg(u"0f0f0f0f-0000-4000-8000-000000000000"_s)), body,
            bearer(stranger->token));
        QCOMPARE(onReal.status, 404);
        QCOMPARE(onReal.body, onNone.body);
        const HttpResult anonymous = httpRequest(method, m_server.httpUrl(path.arg(id)), body);
        QCOMPARE(anonymous.status, 401);
        const QJsonObject message = history(r.owner, r.id).last().toObject();
        QCOMPARE(message.value("mod_seq"_L1).toInteger(), 0);
        QCOMPARE(message.value("text"_L1).toString(), u"private"_s);
    }

    void replyNamesAMessageOfTheSameChat() {
        auto r = room();
        QVERIFY(r);
        auto other = room();
        QVERIFY(other);
        TestClient owner, elsewhere;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        QVERIFY(!elsewhere.join(other->owner.wsUrl(m_server)).isEmpty());
        const QString question = send(owner, r->id, u"lunch?"_s).value("id"_L1).toString();
        const QJsonObject answer = send(owner, r->id, u"yes"_s, question);
        QCOMPARE(answer.value("reply_to_id"_L1).toString(), question);
        QCOMPARE(history(r->member, r->id).last()["reply_to_id"_L1].toString(), question);

        const QString foreign =
            send(elsewhere, other->id, u"elsewhere"_s).value("id"_L1).toString();
        for (const QString &replyTo : {foreign, u"0f0f0f0f-0000-4000-8000-000000000000"_s}) {
            owner.sendJson(textMessage(r->id, u"reply to nothing here"_s, replyTo));
            const QJsonObject error = owner.waitFor(u"error"_s);
            QCOMPARE(error.value("code"_L1).toString(), u"invalid_message"_s);
        }
        owner.sendJson(textMessage(r->id, u"bad id"_s, u"not-a-uuid"_s));
        QCOMPARE(owner.waitFor(u"error"_s).value("code"_L1).toString(), u"invalid_message"_s);
        QCOMPARE(history(r->owner, r->id).size(), 2);
    }

    void syncReplaysChangesMadeWhileAway() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        QStringList ids;
        for (int i = 0; i < 4; ++i) {
            ids << send(owner, r->id, u"m%1"_s.arg(i)).value("id"_L1).toString();
        }
        // The member saw everything up to seq 4 and mod_seq 0, then went away.
        QCOMPARE(edit(r->owner, ids[0], u"m0 edited"_s).status, 200);
        QCOMPARE(react(r->member, ids[1], u"👀"_s).status, 204);
        QCOMPARE(remove(r->owner, ids[2]).status, 204);
        QCOMPARE(edit(r->owner, ids[0], u"m0 edited twice"_s).status, 200);
        const QString fifth = send(owner, r->id, u"m4"_s).value("id"_L1).toString();

        TestClient member;
        QVERIFY(!member.join(r->member.wsUrl(m_server)).isEmpty());
        member.sendJson({{"type"_L1, "sync"_L1},
                         {"chat_id"_L1, r->id},
                         {"after_seq"_L1, 4},
                         {"after_mod_seq"_L1, 0}});
        const QJsonObject done = member.waitFor(u"sync_done"_s);
        QCOMPARE(done.value("has_more"_L1), QJsonValue(false));
        QCOMPARE(done.value("last_seq"_L1).toInteger(), 5);
        QCOMPARE(done.value("last_mod_seq"_L1).toInteger(), 4);
        const auto newMessages = member.framesOfType(u"new_message"_s);
        QCOMPARE(newMessages.size(), 1);
        QCOMPARE(newMessages[0]["message"_L1]["id"_L1].toString(), fifth);
        // In mod_seq order, each message once in its current state.
        QStringList replayed;
        for (const QJsonObject &update : member.framesOfType(u"message_updated"_s)) {
            const QJsonObject message = update.value("message"_L1).toObject();
            replayed << u"%1:%2"_s.arg(message.value("mod_seq"_L1).toInteger())
                            .arg(message.value("text"_L1).toString());
        }
        QCOMPARE(replayed, (QStringList{u"2:m1"_s, u"3:"_s, u"4:m0 edited twice"_s}));
        // Order on the wire: the missed messages, the changes, then sync_done.
        const QList<QJsonObject> &frames = member.frames();
        QCOMPARE(frames.last().value("type"_L1).toString(), u"sync_done"_s);

        // A sync from where it now stands replays nothing.
        TestClient again;
        QVERIFY(!again.join(r->member.wsUrl(m_server)).isEmpty());
        again.sendJson({{"type"_L1, "sync"_L1},
                        {"chat_id"_L1, r->id},
                        {"after_seq"_L1, 5},
                        {"after_mod_seq"_L1, 4}});
        QVERIFY(!again.waitFor(u"sync_done"_s).isEmpty());
        QVERIFY(again.framesOfType(u"message_updated"_s).isEmpty());
        QVERIFY(again.framesOfType(u"new_message"_s).isEmpty());
    }

    void chatListCarriesTheCounters() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString id = send(owner, r->id, u"count me"_s).value("id"_L1).toString();
        send(owner, r->id, u"and me"_s);
        QCOMPARE(react(r->member, id, u"✅"_s).status, 204);
        const QJsonArray chats =
            httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(r->member.token))
                .json()
                .value("chats"_L1)
                .toArray();
        const auto chat = std::find_if(chats.begin(), chats.end(), [&r](const QJsonValue &c) {
            return c["id"_L1].toString() == r->id;
        });
        QVERIFY(chat != chats.end());
        QCOMPARE((*chat)["last_seq"_L1].toInteger(), 2);
        QCOMPARE((*chat)["last_mod_seq"_L1].toInteger(), 1);
    }

    QJsonObject searchFor(const TestAccount &who, const QString &query) {
        QUrlQuery parameters;
        for (const QString &item : query.split(u'&')) {
            parameters.addQueryItem(item.section(u'=', 0, 0), item.section(u'=', 1));
        }
        QUrl url = m_server.httpUrl(u"/api/v1/search"_s);
        url.setQuery(parameters);
        const HttpResult result = httpGet(url, bearer(who.token));
        return result.status == 200
                   ? result.json()
                   : QJsonObject{{"status"_L1, result.status}, {"code"_L1, result.errorCode()}};
    }
    static QStringList resultTexts(const QJsonObject &answer) {
        QStringList texts;
        for (const QJsonValue &result : answer.value("results"_L1).toArray()) {
            texts << result["message"_L1]["text"_L1].toString();
        }
        return texts;
    }

    void searchFindsWordsInAnyScript_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected"); // newest first
        QTest::addRow("english word")
            << u"q=deploy"_s
            << QStringList{u"Deploy of v2 went fine"_s, u"we deploy on Friday at example.com"_s};
        QTest::addRow("every word must occur")
            << u"q=deploy friday"_s << QStringList{u"we deploy on Friday at example.com"_s};
        QTest::addRow("case does not matter")
            << u"q=FRIDAY"_s << QStringList{u"we deploy on Friday at example.com"_s};
        QTest::addRow("russian word")
            << u"q=решение"_s << QStringList{u"Итоговое РЕШЕНИЕ: переезжаем в мае"_s};
        QTest::addRow("russian prefix on the last word")
            << u"q=итоговое реш"_s << QStringList{u"Итоговое РЕШЕНИЕ: переезжаем в мае"_s};
        QTest::addRow("ё found by е") << u"q=елку"_s << QStringList{u"Ставим ёлку в холле"_s};
        QTest::addRow("ё finds itself, any case")
            << u"q=ЁЛКУ"_s << QStringList{u"Ставим ёлку в холле"_s};
        QTest::addRow("english prefix")
            << u"q=depl"_s
            << QStringList{u"Deploy of v2 went fine"_s, u"we deploy on Friday at example.com"_s};
        QTest::addRow("only the last word is a prefix") << u"q=depl fine"_s << QStringList{};
        QTest::addRow("part of a host name")
            << u"q=example"_s << QStringList{u"we deploy on Friday at example.com"_s};
        QTest::addRow("mixed scripts")
            << u"q=v2 deploy"_s << QStringList{u"Deploy of v2 went fine"_s};
        QTest::addRow("nothing") << u"q=kubernetes"_s << QStringList{};
        QTest::addRow("deleted messages are never found") << u"q=secret"_s << QStringList{};
        QTest::addRow("edited text is found, the old text is not")
            << u"q=corrected"_s << QStringList{u"a corrected sentence"_s};
        QTest::addRow("the old text of an edit") << u"q=wrong"_s << QStringList{};
    }

    void searchFindsWordsInAnyScript() {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        if (!m_searchRoom) {
            auto r = room();
            QVERIFY(r);
            TestClient owner;
            QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
            for (const QString &text :
                 {u"we deploy on Friday at example.com"_s, u"Итоговое РЕШЕНИЕ: переезжаем в мае"_s,
                  u"Ставим ёлку в холле"_s, u"the secret plan"_s, u"a wrong sentence"_s,
                  u"Deploy of v2 went fine"_s}) {
                QVERIFY(!send(owner, r->id, text).isEmpty());
            }
            const QJsonArray messages = history(r->owner, r->id);
            QCOMPARE(remove(r->owner, messages[3]["id"_L1].toString()).status, 204);
            QCOMPARE(
                edit(r->owner, messages[4]["id"_L1].toString(), u"a corrected sentence"_s).status,
                200);
            m_searchRoom = r;
        }
        const QJsonObject answer =
            searchFor(m_searchRoom->member, query + u"&chat_id="_s + m_searchRoom->id);
        QCOMPARE(resultTexts(answer), expected);
        QCOMPARE(answer.value("has_more"_L1), QJsonValue(false));
        for (const QJsonValue &result : answer.value("results"_L1).toArray()) {
            QCOMPARE(result["chat_id"_L1].toString(), m_searchRoom->id);
            QCOMPARE(result["snippet"_L1].toString(), result["message"_L1]["text"_L1].toString());
        }
    }

    void searchSeesOnlyTheUsersChats() {
        auto mine = room();
        auto theirs = room();
        QVERIFY(mine && theirs);
        TestClient me, them;
        QVERIFY(!me.join(mine->owner.wsUrl(m_server)).isEmpty());
        QVERIFY(!them.join(theirs->owner.wsUrl(m_server)).isEmpty());
        const QString word = u"zanzibar%1"_s.arg(m_accounts);
        QVERIFY(!send(me, mine->id, word + u" in my room"_s).isEmpty());
        QVERIFY(!send(them, theirs->id, word + u" in their room"_s).isEmpty());
        QCOMPARE(resultTexts(searchFor(mine->member, u"q="_s + word)),
                 QStringList{word + u" in my room"_s});
        QCOMPARE(resultTexts(searchFor(theirs->member, u"q="_s + word)),
                 QStringList{word + u" in their room"_s});
        // Naming a chat one is not in is refused, like its history.
        const QJsonObject refused =
            searchFor(mine->member, u"q=%1&chat_id=%2"_s.arg(word, theirs->id));
        QCOMPARE(refused.value("status"_L1).toInt(), 403);
        const auto stranger = account(u"stranger"_s);
        QVERIFY(stranger);
        QCOMPARE(resultTexts(searchFor(*stranger, u"q="_s + word)), QStringList{});
        QCOMPARE(httpGet(m_server.httpUrl(u"/api/v1/search?q=x"_s)).status, 401);
    }

    void searchPagesNewestFirst() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString word = u"pagination%1"_s.arg(m_accounts);
        for (int i = 0; i < 7; ++i) {
            QVERIFY(!send(owner, r->id, u"%1 number %2"_s.arg(word).arg(i)).isEmpty());
        }
        QStringList seen;
        QString before;
        for (int page = 0; page < 4; ++page) {
            const QJsonObject answer = searchFor(
                r->member, u"q=%1&limit=3%2"_s.arg(
                               word, before.isEmpty() ? QString() : u"&before_id="_s + before));
            const QJsonArray results = answer.value("results"_L1).toArray();
            seen += resultTexts(answer);
            if (!answer.value("has_more"_L1).toBool()) {
                break;
            }
            before = results.last()["message"_L1]["id"_L1].toString();
        }
        QStringList expected;
        for (int i = 6; i >= 0; --i) {
            expected << u"%1 number %2"_s.arg(word).arg(i);
        }
        QCOMPARE(seen, expected);
    }

    void searchPagesAThousandMatchesNewestFirst() {
        // Past the point where PostgreSQL stops taking every match from the index
        // (kRareMatches): the common words' plan, beside a rare word's in the same messages.
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString common = u"frequent%1"_s.arg(m_accounts);
        const QString rare = u"seldom%1"_s.arg(m_accounts);
        constexpr int kMessages = 1100;
        for (int i = 0; i < kMessages; ++i) {
            owner.sendJson(textMessage(r->id, u"%1 number %2%3"_s.arg(common).arg(i).arg(
                                                  i % 500 == 7 ? u" "_s + rare : QString())));
        }
        QTRY_COMPARE_WITH_TIMEOUT(owner.framesOfType(u"message_sent"_s).size(), kMessages, 60000);
        const QJsonObject first = searchFor(r->member, u"q=%1&limit=50"_s.arg(common));
        QCOMPARE(first.value("has_more"_L1), QJsonValue(true));
        QStringList expected;
        for (int i = kMessages - 1; i >= kMessages - 50; --i) {
            expected << u"%1 number %2"_s.arg(common).arg(i);
        }
        QCOMPARE(resultTexts(first), expected);
        const QJsonObject second = searchFor(
            r->member,
            u"q=%1&limit=2&before_id=%2"_s.arg(
                common, first["results"_L1].toArray().last()["message"_L1]["id"_L1].toString()));
        QCOMPARE(resultTexts(second),
                 (QStringList{u"%1 number %2"_s.arg(common).arg(kMessages - 51),
                              u"%1 number %2"_s.arg(common).arg(kMessages - 52)}));
        QCOMPARE(resultTexts(searchFor(r->member, u"q=%1 %2"_s.arg(common, rare))),
                 (QStringList{u"%1 number 1007 %2"_s.arg(common, rare),
                              u"%1 number 507 %2"_s.arg(common, rare),
                              u"%1 number 7 %2"_s.arg(common, rare)}));
    }

    void searchSnippetIsAroundTheMatch() {
        auto r = room();
        QVERIFY(r);
        TestClient owner;
        QVERIFY(!owner.join(r->owner.wsUrl(m_server)).isEmpty());
        const QString text = QString(300, u'a') + u" needle "_s + QString(300, u'b');
        QVERIFY(!send(owner, r->id, text).isEmpty());
        const QJsonArray results =
            searchFor(r->member, u"q=needle&chat_id="_s + r->id).value("results"_L1).toArray();
        QCOMPARE(results.size(), 1);
        const QString snippet = results[0]["snippet"_L1].toString();
        QVERIFY(snippet.size() <= 240);
        QVERIFY(snippet.contains(u" needle "_s));
    }

    void searchRefusesBadQueries_data() {
        QTest::addColumn<QString>("query");
        QTest::addRow("no q") << u"limit=5"_s;
        QTest::addRow("no words") << u"q=!!! ..."_s;
        QTest::addRow("limit zero") << u"q=a&limit=0"_s;
        QTest::addRow("bad chat id") << u"q=a&chat_id=lobby"_s;
        QTest::addRow("bad before id") << u"q=a&before_id=7"_s;
        QTest::addRow("query too long") << u"q="_s + QString(513, u'a');
    }

    void searchRefusesBadQueries() {
        QFETCH(QString, query);
        const auto alice = account(u"searcher"_s);
        QVERIFY(alice);
        const QJsonObject answer = searchFor(*alice, query);
        QCOMPARE(answer.value("status"_L1).toInt(), 400);
        QCOMPARE(answer.value("code"_L1).toString(), u"invalid_request"_s);
    }

    void lobbyMessagesChangeForEveryone() {
        const auto alice = account(u"alice"_s);
        const auto bob = account(u"bob"_s);
        QVERIFY(alice && bob);
        TestClient aliceClient, guest;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!guest.join(m_server.wsUrl(u"name=Guest"_s)).isEmpty());
        const QString lobby = QString(neonchat::protocol::kLobbyId);
        const QString id = send(aliceClient, lobby, u"hello all"_s).value("id"_L1).toString();
        QCOMPARE(react(*bob, id, u"👋"_s).status, 204);
        QCOMPARE(guest.waitFor(u"message_updated"_s)["message"_L1]["reactions"_L1][0]["emoji"_L1]
                     .toString(),
                 u"👋"_s);
        QCOMPARE(remove(*bob, id).status, 403); // the lobby has no creator
    }
};

QTEST_GUILESS_MAIN(TestMessageActions)
#include "tst_messageactions.moc"
