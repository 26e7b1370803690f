// SPDX-License-Identifier: MIT
// The REST API of CONTRACT §2 against a real chat-server on SQLite or PostgreSQL: accounts,
// tokens, users, direct chats, rooms, the chat list and history pages, with their error codes.
#include "accounts.h"
#include "auth/tokens.h"
#include "http.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

const QString kSecret = u"integration-test-secret-that-is-long-enough"_s;

QJsonObject credentials(const QString &username, const QString &password) {
    return {{"username"_L1, username}, {"password"_L1, password}};
}

QJsonObject textMessage(const QString &chatId, const QString &text) {
    return {{"type"_L1, "message"_L1}, {"chat_id"_L1, chatId}, {"text"_L1, text}};
}

QStringList texts(const QJsonArray &messages) {
    QStringList result;
    for (const QJsonValue &message : messages) {
        result.append(message.toObject().value("text"_L1).toString());
    }
    return result;
}

} // namespace

class TestAccounts : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;

    HttpResult get(const QString &path, const TestAccount &account) {
        return httpGet(m_server.httpUrl(path), bearer(account.token));
    }
    HttpResult post(const QString &path, const TestAccount &account, const QJsonObject &body = {}) {
        return body.isEmpty()
                   ? httpRequest("POST", m_server.httpUrl(path), {}, bearer(account.token))
                   : httpPostJson(m_server.httpUrl(path), body, bearer(account.token));
    }
    std::optional<TestAccount> account(const QString &name) {
        return createAccount(m_server, name + u'_' + QString::number(++m_accounts));
    }
    int m_accounts = 0;

    // Sends count messages to chatId over a session of account, each acknowledged before the next.
    bool sendMessages(const TestAccount &account, const QString &chatId, int count,
                      const QString &prefix) {
        TestClient client;
        if (client.join(account.wsUrl(m_server)).isEmpty()) {
            return false;
        }
        for (int i = 0; i < count; ++i) {
            client.sendJson(textMessage(chatId, prefix + QString::number(i)));
        }
        for (int i = 0; i < count; ++i) {
            if (client.waitFor(u"message_sent"_s).isEmpty()) {
                return false;
            }
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        // Test messages go out in bursts larger than the default rate limit allows.
        QVERIFY2(m_server.start({u"--jwt-secret"_s, kSecret, u"--rate-limit"_s, u"1000"_s}),
                 qPrintable(m_server.failureText()));
    }

    void registerLogInAndMe() {
        const HttpResult registered = httpPostJson(m_server.httpUrl(u"/api/v1/auth/register"_s),
                                                   credentials(u"alice"_s, u"wonderland"_s));
        QCOMPARE(registered.status, 201);
        const QJsonObject user = registered.json();
        QVERIFY(QUuid::fromString(user.value("id"_L1).toString()).isNull() == false);
        QCOMPARE(user.value("username"_L1).toString(), u"alice"_s);
        QVERIFY(user.value("created_at"_L1).toString().endsWith(u'Z'));
        QVERIFY(!registered.body.contains("password"));

        // A client may still hold an expired token: logging in again must work with it attached.
        const HttpResult login = httpPostJson(m_server.httpUrl(u"/api/v1/auth/login"_s),
                                              credentials(u"alice"_s, u"wonderland"_s),
                                              bearer(u"stale.expired.token"_s));
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json().value("expires_in"_L1).toInt(), 86400);
        QCOMPARE(login.json().value("user"_L1).toObject().value("id"_L1), user.value("id"_L1));
        const QString token = login.json().value("token"_L1).toString();
        QCOMPARE(token.count(u'.'), 2);

        const HttpResult me = httpGet(m_server.httpUrl(u"/api/v1/me"_s), bearer(token));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json(), user);
        QVERIFY(!me.header("X-Request-Id").isEmpty());
    }

    void registerRefusesBadInput_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        auto json = [](const QJsonObject &object) {
            return QJsonDocument(object).toJson(QJsonDocument::Compact);
        };
        const QByteArray type = "application/json";
        QTest::addRow("name too short")
            << json(credentials(u"ab"_s, u"long enough"_s)) << type << 400;
        QTest::addRow("name too long")
            << json(credentials(QString(51, u'a'), u"long enough"_s)) << type << 400;
        QTest::addRow("name with space")
            << json(credentials(u"a b c"_s, u"long enough"_s)) << type << 400;
        QTest::addRow("name with quote")
            << json(credentials(u"bob'--"_s, u"long enough"_s)) << type << 400;
        QTest::addRow("password too short")
            << json(credentials(u"shorty"_s, u"1234567"_s)) << type << 400;
        QTest::addRow("password missing") << json({{"username"_L1, "nopass"_L1}}) << type << 400;
        QTest::addRow("name not a string")
            << json({{"username"_L1, 12345}, {"password"_L1, "long enough"_L1}}) << type << 400;
        QTest::addRow("not json") << QByteArray("username=x&password=y") << type << 400;
        QTest::addRow("json array") << QByteArray("[1,2]") << type << 400;
        QTest::addRow("form content type")
            << json(credentials(u"formuser"_s, u"long enough"_s))
            << QByteArray("application/x-www-form-urlencoded") << 415;
        QTest::addRow("body too large")
            << json(credentials(u"bigbody"_s, QString(70'000, u'x'))) << type << 413;
    }

    void registerRefusesBadInput() {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        const HttpResult result = httpRequest("POST", m_server.httpUrl(u"/api/v1/auth/register"_s),
                                              body, {{"Content-Type", contentType}});
        QCOMPARE(result.status, status);
        QVERIFY2(!result.errorCode().isEmpty(), result.body.constData());
        if (status == 413) {
            // One code for a body too large, whichever layer refuses it.
            QCOMPARE(result.errorCode(), u"too_large"_s);
        }
        QVERIFY(
            !result.json().value("error"_L1).toObject().value("message"_L1).toString().isEmpty());
    }

    void usernameIsTakenIgnoringCase() {
        QCOMPARE(httpPostJson(m_server.httpUrl(u"/api/v1/auth/register"_s),
                              credentials(u"Casey"_s, u"first password"_s))
                     .status,
                 201);
        const HttpResult again = httpPostJson(m_server.httpUrl(u"/api/v1/auth/register"_s),
                                              credentials(u"casey"_s, u"second password"_s));
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), u"username_taken"_s);
        // Login ignores case too, and the first password still holds.
        QCOMPARE(httpPostJson(m_server.httpUrl(u"/api/v1/auth/login"_s),
                              credentials(u"CASEY"_s, u"first password"_s))
                     .status,
                 200);
    }

    void concurrentRegistrationOfOneNameHasOneWinner() {
        QNetworkAccessManager manager;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 4; ++i) {
            QNetworkRequest request(m_server.httpUrl(u"/api/v1/auth/register"_s));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            replies.append(manager.post(
                request, QJsonDocument(credentials(u"racer"_s, u"password %1"_s.arg(i)))
                             .toJson(QJsonDocument::Compact)));
        }
        QList<int> statuses;
        for (QNetworkReply *reply : replies) {
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(reply->isFinished() || finished.wait(20000));
            statuses.append(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
            reply->deleteLater();
        }
        std::sort(statuses.begin(), statuses.end());
        QCOMPARE(statuses, (QList<int>{201, 409, 409, 409}));
    }

    void wrongCredentialsAreOneAnswer_data() {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::addRow("wrong password") << u"alice"_s << u"not wonderland"_s;
        QTest::addRow("unknown user") << u"nobody-here"_s << u"wonderland"_s;
    }

    void wrongCredentialsAreOneAnswer() {
        QFETCH(QString, username);
        QFETCH(QString, password);
        const HttpResult login = httpPostJson(m_server.httpUrl(u"/api/v1/auth/login"_s),
                                              credentials(username, password));
        QCOMPARE(login.status, 401);
        QCOMPARE(login.errorCode(), u"invalid_credentials"_s);
    }

    void tokensAreChecked_data() {
        QTest::addColumn<QByteArray>("authorization");
        const auto alice = account(u"tokens"_s);
        QVERIFY(alice);
        const neonchat::server::TokenSigner signer(kSecret.toUtf8());
        const neonchat::server::TokenSigner attacker("another secret, also long enough to use"_ba);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QString valid = alice->token;
        QTest::addRow("none") << QByteArray();
        QTest::addRow("not bearer") << "Basic " + valid.toUtf8();
        QTest::addRow("garbage") << QByteArray("Bearer not-a-token");
        QTest::addRow("other secret")
            << "Bearer " + attacker.issue(alice->id, alice->username, now).toUtf8();
        QTest::addRow("expired")
            << "Bearer " + signer.issue(alice->id, alice->username, now - 86401).toUtf8();
        const QByteArray header =
            QByteArray(R"({"alg":"none","typ":"JWT"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const QByteArray payload = valid.toUtf8().split('.').at(1);
        QTest::addRow("alg none") << "Bearer " + header + '.' + payload + '.';
        QByteArray tampered = valid.toUtf8();
        tampered[tampered.indexOf('.') + 5] =
            tampered.at(tampered.indexOf('.') + 5) == 'A' ? 'B' : 'A';
        QTest::addRow("payload tampered") << "Bearer " + tampered;
    }

    void tokensAreChecked() {
        QFETCH(QByteArray, authorization);
        HttpHeaders headers;
        if (!authorization.isEmpty()) {
            headers.append({"Authorization", authorization});
        }
        const HttpResult me = httpGet(m_server.httpUrl(u"/api/v1/me"_s), headers);
        QCOMPARE(me.status, 401);
        QCOMPARE(me.errorCode(), u"unauthorized"_s);
        QVERIFY(!me.header("WWW-Authenticate").isEmpty());
    }

    void usersAreFoundByIdAndPrefix() {
        const auto seeker = account(u"seeker"_s);
        QVERIFY(seeker);
        QList<TestAccount> found;
        for (const QString &name : {u"Zed_one"_s, u"zed_two"_s, u"zedthree"_s, u"zebra"_s}) {
            const auto created = createAccount(m_server, name);
            QVERIFY(created);
            found.append(*created);
        }
        const HttpResult byId = get(u"/api/v1/users/"_s + found[0].id, *seeker);
        QCOMPARE(byId.status, 200);
        QCOMPARE(byId.json().value("username"_L1).toString(), u"Zed_one"_s);
        QCOMPARE(byId.json().value("online"_L1).toBool(), false);
        QVERIFY(byId.json().contains("last_seen_at"_L1));

        auto names = [](const HttpResult &result) {
            QStringList list;
            for (const QJsonValue &user : result.json().value("users"_L1).toArray()) {
                list.append(user.toObject().value("username"_L1).toString());
            }
            return list;
        };
        QCOMPARE(names(get(u"/api/v1/users?query=ZED"_s, *seeker)),
                 (QStringList{u"Zed_one"_s, u"zed_two"_s, u"zedthree"_s}));
        // _ is a literal underscore, not a wildcard.
        QCOMPARE(names(get(u"/api/v1/users?query=zed_"_s, *seeker)),
                 (QStringList{u"Zed_one"_s, u"zed_two"_s}));
        QCOMPARE(names(get(u"/api/v1/users?query=%25"_s, *seeker)), QStringList());

        for (int i = 0; i < 25; ++i) {
            QVERIFY(createAccount(m_server, u"many%1"_s.arg(i, 2, 10, QChar(u'0'))));
        }
        QCOMPARE(names(get(u"/api/v1/users?query=many"_s, *seeker)).size(), 20);

        QCOMPARE(get(u"/api/v1/users/00000000-0000-4000-8000-00000000abcd"_s, *seeker).status, 404);
        QCOMPARE(get(u"/api/v1/users/not-a-uuid"_s, *seeker).status, 404);
    }

    // Twice a suite run saw an account session whose first message was never answered. A race
    // fits: the server moved the socket to its worker thread from inside the socket's readyRead,
    // while Qt's socket code, unwinding that emission, still wrote its state on the main thread.
    // The hand-over is queued now. This burst checks the behaviour; it did not catch the race
    // in the runs made against the server before the change.
    void burstOfAccountSessionsIsServedWhole() {
        const auto alice = account(u"burst"_s);
        QVERIFY(alice);
        constexpr int kSessions = 100;
        std::vector<std::unique_ptr<TestClient>> sessions;
        for (int i = 0; i < kSessions; ++i) {
            auto client = std::make_unique<TestClient>();
            TestClient *raw = client.get();
            // Each session speaks the moment it is upgraded, as chat-cli send does.
            connect(&raw->socket(), &QWebSocket::connected, raw, [raw, i] {
                raw->sendJson(QJsonObject{{"type"_L1, "message"_L1},
                                          {"text"_L1, u"burst %1"_s.arg(i)},
                                          {"request_id"_L1, u"burst-%1"_s.arg(i)}});
            });
            raw->socket().open(alice->wsUrl(m_server));
            sessions.push_back(std::move(client));
        }
        auto answered = [&] {
            return std::count_if(sessions.cbegin(), sessions.cend(), [](const auto &client) {
                return !client->framesOfType(u"message_sent"_s).isEmpty();
            });
        };
        QTRY_COMPARE_WITH_TIMEOUT(answered(), kSessions, 30000);
    }

    void directChatIsOnePerPair() {
        const auto alice = account(u"dm_alice"_s);
        const auto bob = account(u"dm_bob"_s);
        QVERIFY(alice && bob);
        const HttpResult created = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}});
        QCOMPARE(created.status, 201);
        const QJsonObject chat = created.json();
        QCOMPARE(chat.value("kind"_L1).toString(), u"direct"_s);
        QCOMPARE(chat.value("partner"_L1).toObject().value("id"_L1).toString(), bob->id);
        QCOMPARE(chat.value("name"_L1).toString(), bob->username);
        QVERIFY(chat.value("last_message"_L1).isNull());
        QCOMPARE(chat.value("unread_count"_L1).toInt(), 0);

        const HttpResult again = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value("id"_L1), chat.value("id"_L1));
        const HttpResult fromBob = post(u"/api/v1/chats"_s, *bob, {{"partner_id"_L1, alice->id}});
        QCOMPARE(fromBob.status, 200);
        QCOMPARE(fromBob.json().value("id"_L1), chat.value("id"_L1));
        QCOMPARE(fromBob.json().value("partner"_L1).toObject().value("id"_L1).toString(),
                 alice->id);

        QCOMPARE(post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, alice->id}}).status, 400);
        QCOMPARE(post(u"/api/v1/chats"_s, *alice,
                      {{"partner_id"_L1, "00000000-0000-4000-8000-00000000abcd"_L1}})
                     .status,
                 404);
        QCOMPARE(post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, "bob"_L1}}).status, 400);
    }

    void roomsAreCreatedJoinedAndLeft() {
        const auto owner = account(u"room_owner"_s);
        const auto guest = account(u"room_guest"_s);
        QVERIFY(owner && guest);
        const HttpResult created = post(u"/api/v1/rooms"_s, *owner, {{"name"_L1, "Rust & Qt"_L1}});
        QCOMPARE(created.status, 201);
        const QString roomId = created.json().value("id"_L1).toString();
        QCOMPARE(created.json().value("name"_L1).toString(), u"Rust & Qt"_s);

        auto members = [&]() -> qint64 {
            const HttpResult rooms = get(u"/api/v1/rooms?limit=100"_s, *guest);
            for (const QJsonValue &room : rooms.json().value("rooms"_L1).toArray()) {
                if (room.toObject().value("id"_L1).toString() == roomId) {
                    return room.toObject().value("members"_L1).toInteger();
                }
            }
            return -1;
        };
        QCOMPARE(members(), 1);
        QCOMPARE(post(u"/api/v1/rooms/%1/join"_s.arg(roomId), *guest).status, 204);
        QCOMPARE(post(u"/api/v1/rooms/%1/join"_s.arg(roomId), *guest).status, 204);
        QCOMPARE(members(), 2);
        QCOMPARE(get(u"/api/v1/chats/%1/messages"_s.arg(roomId), *guest).status, 200);
        QCOMPARE(post(u"/api/v1/rooms/%1/leave"_s.arg(roomId), *guest).status, 204);
        QCOMPARE(members(), 1);
        QCOMPARE(get(u"/api/v1/chats/%1/messages"_s.arg(roomId), *guest).status, 403);

        QCOMPARE(post(u"/api/v1/rooms"_s, *owner, {{"name"_L1, ""_L1}}).status, 400);
        QCOMPARE(post(u"/api/v1/rooms"_s, *owner, {{"name"_L1, QString(81, u'r')}}).status, 400);
        QCOMPARE(post(u"/api/v1/rooms"_s, *owner, {{"name"_L1, QString(80, u'r')}}).status, 201);
        QCOMPARE(post(u"/api/v1/rooms/00000000-0000-4000-8000-00000000abcd/join"_s, *guest).status,
                 404);
        // The lobby is not a room one can leave.
        QCOMPARE(post(u"/api/v1/rooms/00000000-0000-4000-8000-000000000001/leave"_s, *guest).status,
                 404);
        const HttpResult page = get(u"/api/v1/rooms?limit=1"_s, *guest);
        QCOMPARE(page.json().value("rooms"_L1).toArray().size(), 1);
        QVERIFY(page.json().value("has_more"_L1).toBool());
        QVERIFY(page.json().value("total"_L1).toInt() >= 2);
    }

    void chatListShowsActivityAndUnread() {
        const auto alice = account(u"list_alice"_s);
        const auto bob = account(u"list_bob"_s);
        const auto carol = account(u"list_carol"_s);
        QVERIFY(alice && bob && carol);
        const QString withBob = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}})
                                    .json()
                                    .value("id"_L1)
                                    .toString();
        const QString withCarol = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, carol->id}})
                                      .json()
                                      .value("id"_L1)
                                      .toString();
        QVERIFY(sendMessages(*bob, withBob, 3, u"from bob "_s));
        QVERIFY(sendMessages(*alice, withBob, 1, u"from alice "_s));
        QVERIFY(sendMessages(*carol, withCarol, 2, u"from carol "_s));

        const HttpResult listed = get(u"/api/v1/chats"_s, *alice);
        QCOMPARE(listed.status, 200);
        const QJsonArray chats = listed.json().value("chats"_L1).toArray();
        QCOMPARE(listed.json().value("total"_L1).toInt(), 3); // lobby and two direct chats
        QCOMPARE(chats.size(), 3);
        // Newest activity first: carol wrote last.
        QCOMPARE(chats[0].toObject().value("id"_L1).toString(), withCarol);
        QCOMPARE(chats[0].toObject().value("unread_count"_L1).toInt(), 2);
        QCOMPARE(chats[1].toObject().value("id"_L1).toString(), withBob);
        // Alice's own message is not unread; bob's three are.
        QCOMPARE(chats[1].toObject().value("unread_count"_L1).toInt(), 3);
        const QJsonObject last = chats[1].toObject().value("last_message"_L1).toObject();
        QCOMPARE(last.value("text"_L1).toString(), u"from alice 0"_s);
        QCOMPARE(last.value("sender_id"_L1).toString(), alice->id);
        QCOMPARE(chats[2].toObject().value("kind"_L1).toString(), u"lobby"_s);
        QVERIFY(chats[2].toObject().value("partner"_L1).isNull());

        const HttpResult unread = get(u"/api/v1/chats?unread_only=true"_s, *alice);
        QCOMPARE(unread.json().value("total"_L1).toInt(), 2);
        const HttpResult paged = get(u"/api/v1/chats?limit=1&offset=1"_s, *alice);
        QCOMPARE(paged.json().value("chats"_L1).toArray().size(), 1);
        QCOMPARE(paged.json().value("chats"_L1).toArray()[0].toObject().value("id"_L1).toString(),
                 withBob);
        QVERIFY(paged.json().value("has_more"_L1).toBool());
        QCOMPARE(get(u"/api/v1/chats?limit=0"_s, *alice).status, 400);
        QCOMPARE(get(u"/api/v1/chats?offset=-1"_s, *alice).status, 400);
        QCOMPARE(get(u"/api/v1/chats?unread_only=maybe"_s, *alice).status, 400);
        QCOMPARE(get(u"/api/v1/chats?limit=1000"_s, *alice).status, 200); // clamped to 100
    }

    void historyPages_data() {
        QTest::addColumn<int>("stored");
        QTest::addColumn<int>("limit");
        QTest::addRow("empty chat") << 0 << 50;
        QTest::addRow("one message") << 1 << 50;
        QTest::addRow("exactly one page") << 50 << 50;
        QTest::addRow("one more than a page") << 51 << 50;
        QTest::addRow("limit above the 200 cap") << 230 << 500;
    }

    void historyPages() {
        QFETCH(int, stored);
        QFETCH(int, limit);
        const auto alice = account(u"history"_s);
        const auto bob = account(u"history_partner"_s);
        QVERIFY(alice && bob);
        const QString chatId = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}})
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        QVERIFY(sendMessages(*alice, chatId, stored, u"m"_s));
        const int pageSize = std::min(limit, 200);

        // Walk back from the newest page with before_id, then forward again with after_id.
        QStringList seen;
        QString path = u"/api/v1/chats/%1/messages?limit=%2"_s.arg(chatId).arg(limit);
        bool first = true;
        while (true) {
            const HttpResult page = get(path, *alice);
            QCOMPARE(page.status, 200);
            const QJsonArray messages = page.json().value("messages"_L1).toArray();
            QVERIFY(messages.size() <= pageSize);
            QCOMPARE(page.json().value("has_next"_L1).toBool(), !first);
            seen = texts(messages) + seen;
            first = false;
            if (!page.json().value("has_previous"_L1).toBool()) {
                break;
            }
            QCOMPARE(messages.size(), pageSize);
            path = u"/api/v1/chats/%1/messages?limit=%2&before_id=%3"_s.arg(chatId).arg(limit).arg(
                messages.first().toObject().value("id"_L1).toString());
        }
        QStringList expected;
        for (int i = 0; i < stored; ++i) {
            expected.append(u"m%1"_s.arg(i));
        }
        QCOMPARE(seen, expected);
        if (stored == 0) {
            return;
        }
        // The oldest message as the after_id cursor: the rest, in order, with nothing older.
        const HttpResult everything =
            get(u"/api/v1/chats/%1/messages?limit=200"_s.arg(chatId), *alice);
        const QJsonArray newest = everything.json().value("messages"_L1).toArray();
        QVERIFY(!newest.isEmpty());
        const HttpResult rest =
            get(u"/api/v1/chats/%1/messages?limit=200&after_id=%2"_s.arg(
                    chatId, newest.first().toObject().value("id"_L1).toString()),
                *alice);
        QCOMPARE(rest.status, 200);
        QCOMPARE(texts(rest.json().value("messages"_L1).toArray()),
                 expected.mid(stored - newest.size() + 1, newest.size() - 1));
        QCOMPARE(rest.json().value("has_previous"_L1).toBool(), true);
        QCOMPARE(rest.json().value("has_next"_L1).toBool(), false);
    }

    void historyAroundAMessage_data() {
        QTest::addColumn<int>("stored");
        QTest::addColumn<int>("target"); // index of the message to jump to
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("first"); // index of the page's first message
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("hasPrevious");
        QTest::addColumn<bool>("hasNext");
        QTest::addRow("in the middle") << 30 << 15 << 5 << 13 << 5 << true << true;
        QTest::addRow("even limit") << 30 << 15 << 4 << 14 << 4 << true << true;
        QTest::addRow("near the start") << 30 << 1 << 5 << 0 << 5 << false << true;
        QTest::addRow("the oldest") << 30 << 0 << 5 << 0 << 5 << false << true;
        QTest::addRow("near the end") << 30 << 28 << 5 << 25 << 5 << true << false;
        QTest::addRow("the newest") << 30 << 29 << 5 << 25 << 5 << true << false;
        QTest::addRow("fewer than a page") << 3 << 1 << 50 << 0 << 3 << false << false;
        QTest::addRow("limit one") << 10 << 4 << 1 << 4 << 1 << true << true;
    }

    void historyAroundAMessage() {
        QFETCH(int, stored);
        QFETCH(int, target);
        QFETCH(int, limit);
        QFETCH(int, first);
        QFETCH(int, count);
        QFETCH(bool, hasPrevious);
        QFETCH(bool, hasNext);
        const auto alice = account(u"around"_s);
        const auto bob = account(u"around_partner"_s);
        QVERIFY(alice && bob);
        const QString chatId = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}})
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        QVERIFY(sendMessages(*alice, chatId, stored, u"m"_s));
        const QString base = u"/api/v1/chats/%1/messages"_s.arg(chatId);
        const QJsonArray all =
            get(base + u"?limit=200"_s, *alice).json().value("messages"_L1).toArray();
        QCOMPARE(all.size(), stored);
        const HttpResult page =
            get(base + u"?limit=%1&around_id=%2"_s.arg(limit).arg(all[target]["id"_L1].toString()),
                *alice);
        QCOMPARE(page.status, 200);
        QStringList expected;
        for (int i = first; i < first + count; ++i) {
            expected.append(u"m%1"_s.arg(i));
        }
        QCOMPARE(texts(page.json().value("messages"_L1).toArray()), expected);
        QCOMPARE(page.json().value("has_previous"_L1).toBool(), hasPrevious);
        QCOMPARE(page.json().value("has_next"_L1).toBool(), hasNext);
        // One cursor at a time; a message of another chat is no cursor.
        QCOMPARE(
            get(base + u"?around_id=%1&before_id=%1"_s.arg(all[target]["id"_L1].toString()), *alice)
                .status,
            400);
        QCOMPARE(get(base + u"?around_id=00000000-0000-4000-8000-0000000000aa"_s, *alice).status,
                 400);
    }

    void historyRefusesBadCursorsAndStrangers() {
        const auto alice = account(u"cursor_alice"_s);
        const auto bob = account(u"cursor_bob"_s);
        const auto mallory = account(u"cursor_mallory"_s);
        QVERIFY(alice && bob && mallory);
        const QString chatId = post(u"/api/v1/chats"_s, *alice, {{"partner_id"_L1, bob->id}})
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        QVERIFY(sendMessages(*alice, chatId, 3, u"secret "_s));
        const QString base = u"/api/v1/chats/%1/messages"_s.arg(chatId);
        const QJsonArray all = get(base, *alice).json().value("messages"_L1).toArray();
        QCOMPARE(all.size(), 3);
        const QString middle = all[1].toObject().value("id"_L1).toString();

        const HttpResult after = get(base + u"?after_id="_s + middle, *alice);
        QCOMPARE(texts(after.json().value("messages"_L1).toArray()), QStringList{u"secret 2"_s});
        QCOMPARE(after.json().value("has_previous"_L1).toBool(), true);
        QCOMPARE(after.json().value("has_next"_L1).toBool(), false);

        QCOMPARE(get(base + u"?before_id=nope"_s, *alice).status, 400);
        QCOMPARE(get(base + u"?before_id=00000000-0000-4000-8000-0000000000aa"_s, *alice).status,
                 400);
        QCOMPARE(get(base + u"?before_id=%1&after_id=%1"_s.arg(middle), *alice).status, 400);
        QCOMPARE(get(base + u"?limit=abc"_s, *alice).status, 400);

        // Guessing the id of someone else's chat reads nothing.
        const HttpResult stolen = get(base, *mallory);
        QCOMPARE(stolen.status, 403);
        QCOMPARE(stolen.errorCode(), u"forbidden"_s);
        QVERIFY(!stolen.body.contains("secret"));
        QCOMPARE(get(base + u"?after_id="_s + middle, *mallory).status, 403);
        QCOMPARE(
            get(u"/api/v1/chats/00000000-0000-4000-8000-00000000abcd/messages"_s, *mallory).status,
            404);
    }

    void loginIsRateLimitedPerAddress() {
        // Last: it spends this address's login attempts.
        int status = 0;
        HttpResult result;
        for (int attempt = 0; attempt < 12 && status != 429; ++attempt) {
            result = httpPostJson(m_server.httpUrl(u"/api/v1/auth/login"_s),
                                  credentials(u"alice"_s, u"guess %1"_s.arg(attempt)));
            status = result.status;
        }
        QCOMPARE(status, 429);
        QCOMPARE(result.errorCode(), u"rate_limited"_s);
        QVERIFY(result.header("Retry-After").toInt() >= 1);
    }
};

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
