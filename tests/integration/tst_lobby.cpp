// SPDX-License-Identifier: MIT
// The lobby over real WebSockets against the real chat-server binary: welcome, messages, acks,
// fan-out, idempotency, sync and every row of the contract's bad-input table.
#include "serverprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {
const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;
}

class TestLobby : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(m_server.log()));
    }

    void welcomeDescribesSessionAndLimits() {
        TestClient client;
        const QJsonObject welcome = client.join(m_server.wsUrl(u"name=alice"_s));
        QCOMPARE(welcome.value("type"_L1).toString(), u"welcome"_s);
        QVERIFY(!QUuid::fromString(welcome.value("session_id"_L1).toString()).isNull());
        const QJsonObject user = welcome.value("user"_L1).toObject();
        QVERIFY(!QUuid::fromString(user.value("id"_L1).toString()).isNull());
        QCOMPARE(user.value("username"_L1).toString(), u"alice"_s);
        QCOMPARE(user.value("guest"_L1).toBool(), true);
        QCOMPARE(welcome.value("lobby_id"_L1).toString(), kLobby);
        const QJsonObject limits = welcome["server"_L1]["limits"_L1].toObject();
        QCOMPARE(limits.value("msg_max_bytes"_L1).toInt(), 32768);
        QCOMPARE(limits.value("text_max_chars"_L1).toInt(), 4096);
        QCOMPARE(limits.value("rate_limit"_L1).toInt(), 1000);
        QVERIFY(!welcome["server"_L1]["version"_L1].toString().isEmpty());
    }

    // Regression: handshakes that completed while earlier ones waited to be taken over were closed
    // by the WebSocket layer's pending-connection limit (30), so bursts of clients lost sockets.
    void burstOfConnectionsIsWelcomedWhole() {
        constexpr int kClients = 150;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            clients.back()->socket().open(m_server.wsUrl(u"name=burst%1"_s.arg(i)));
        }
        auto welcomed = [&] {
            return std::count_if(clients.cbegin(), clients.cend(), [](const auto &client) {
                return !client->framesOfType(u"welcome"_s).isEmpty();
            });
        };
        auto closed = [&] {
            return std::count_if(clients.cbegin(), clients.cend(),
                                 [](const auto &client) { return client->closeCode() != -1; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(welcomed() + closed() == kClients, 30000);
        QCOMPARE(closed(), 0);
        QCOMPARE(welcomed(), kClients);
    }

    // Regression: Qt's WebSocket server kept a "disconnected" connection on each upgraded TCP
    // socket that deleted it from the main thread; with sessions on worker threads that raced the
    // workers deleting the same sockets, and the server crashed or stopped taking connections.
    // The main thread is kept busy with the next crowd's handshakes while the last crowd leaves.
    void crowdsThatComeAndGoLeaveTheServerWhole() {
        constexpr int kRounds = 20;
        constexpr int kClients = 60;
        std::vector<std::unique_ptr<TestClient>> leaving;
        for (int round = 0; round < kRounds; ++round) {
            std::vector<std::unique_ptr<TestClient>> arriving;
            for (int i = 0; i < kClients; ++i) {
                arriving.push_back(std::make_unique<TestClient>());
                arriving.back()->socket().open(m_server.wsUrl(u"name=crowd%1"_s.arg(i)));
            }
            // Half close politely, half vanish: both paths end sessions on the workers.
            for (std::size_t i = 0; i < leaving.size(); ++i) {
                if (i % 2 == 0) {
                    leaving[i]->socket().close();
                } else {
                    leaving[i]->socket().abort();
                }
            }
            QTRY_VERIFY2_WITH_TIMEOUT(std::all_of(arriving.cbegin(), arriving.cend(),
                                                  [](const auto &client) {
                                                      return !client->frames().isEmpty() ||
                                                             client->closeCode() != -1;
                                                  }),
                                      qPrintable(m_server.log().right(4000)), 30000);
            QCOMPARE(std::count_if(arriving.cbegin(), arriving.cend(),
                                   [](const auto &client) { return client->closeCode() != -1; }),
                     0);
            leaving = std::move(arriving);
        }
        TestClient after;
        QVERIFY2(!after.join(m_server.wsUrl(u"name=after_crowds"_s)).isEmpty(),
                 qPrintable(m_server.log().right(4000)));
        QCOMPARE(m_server.process().state(), QProcess::Running);
    }

    void guestNameAliases_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("username");
        QTest::addRow("name") << u"name=bob"_s << u"bob"_s;
        QTest::addRow("sender") << u"sender=carol"_s << u"carol"_s;
        QTest::addRow("percent-encoded cyrillic") << u"name=%D0%90%D0%BD%D1%8F"_s << u"Аня"_s;
        QTest::addRow("spaces trimmed") << u"name=%20dan%20"_s << u"dan"_s;
    }

    void guestNameAliases() {
        QFETCH(QString, query);
        QFETCH(QString, username);
        TestClient client;
        const QJsonObject welcome = client.join(m_server.wsUrl(query));
        QCOMPARE(welcome["user"_L1]["username"_L1].toString(), username);
    }

    void refusedSessions_data() {
        QTest::addColumn<QString>("query");
        QTest::addRow("no name") << QString();
        QTest::addRow("empty name") << u"name="_s;
        QTest::addRow("name too long") << (u"name="_s + QString(51, u'x'));
        QTest::addRow("control character in name") << u"name=a%01b"_s;
        QTest::addRow("unknown token") << u"token=abc"_s;
    }

    void refusedSessions() {
        QFETCH(QString, query);
        TestClient client;
        QVERIFY(client.open(m_server.wsUrl(query)));
        QVERIFY(client.waitForDisconnect());
        QCOMPARE(client.closeCode(), 1008);
        QVERIFY(client.framesOfType(u"welcome"_s).isEmpty());
    }

    void messageIsAckedToSenderAndFannedOutToOthers() {
        TestClient alice;
        TestClient bob;
        TestClient carol;
        QVERIFY(!alice.join(m_server.wsUrl(u"name=alice"_s)).isEmpty());
        QVERIFY(!bob.join(m_server.wsUrl(u"name=bob"_s)).isEmpty());
        QVERIFY(!carol.join(m_server.wsUrl(u"name=carol"_s)).isEmpty());

        alice.sendJson({{"type"_L1, "message"_L1},
                        {"text"_L1, u"hello 👋 мир"_s},
                        {"request_id"_L1, "req-1"_L1}});
        const QJsonObject ack = alice.waitFor(u"message_sent"_s);
        QCOMPARE(ack.value("request_id"_L1).toString(), u"req-1"_s);
        QCOMPARE(ack.value("status"_L1).toString(), u"delivered"_s);
        const QJsonObject message = ack.value("message"_L1).toObject();
        QCOMPARE(message.value("text"_L1).toString(), u"hello 👋 мир"_s);
        QCOMPARE(message.value("chat_id"_L1).toString(), kLobby);
        QCOMPARE(message.value("sender"_L1).toString(), u"alice"_s);
        QVERIFY(message.value("seq"_L1).toInteger() >= 1);
        QVERIFY(QDateTime::fromString(message.value("created_at"_L1).toString(), Qt::ISODateWithMs)
                    .isValid());
        QVERIFY(message.value("created_at"_L1).toString().endsWith(u'Z'));

        for (TestClient *other : {&bob, &carol}) {
            const QJsonObject incoming = other->waitFor(u"new_message"_s);
            QCOMPARE(incoming.value("message"_L1).toObject(), message);
        }
        // The sender gets the ack, not a copy of its own message.
        QVERIFY(alice.framesOfType(u"new_message"_s).isEmpty());
    }

    void seqGrowsByOneWithoutGaps() {
        TestClient sender;
        TestClient reader;
        QVERIFY(!sender.join(m_server.wsUrl(u"name=counter"_s)).isEmpty());
        QVERIFY(!reader.join(m_server.wsUrl(u"name=reader"_s)).isEmpty());
        constexpr int count = 50;
        for (int i = 0; i < count; ++i) {
            sender.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, u"n%1"_s.arg(i)}});
        }
        QTRY_COMPARE_WITH_TIMEOUT(reader.framesOfType(u"new_message"_s).size(), count, 10000);
        const QList<QJsonObject> received = reader.framesOfType(u"new_message"_s);
        const qint64 first = received.first()["message"_L1]["seq"_L1].toInteger();
        for (int i = 0; i < count; ++i) {
            QCOMPARE(received[i]["message"_L1]["seq"_L1].toInteger(), first + i);
            QCOMPARE(received[i]["message"_L1]["text"_L1].toString(), u"n%1"_s.arg(i));
        }
    }

    void repeatedRequestIdIsNotStoredTwice() {
        TestClient sender;
        TestClient reader;
        QVERIFY(!sender.join(m_server.wsUrl(u"name=retry"_s)).isEmpty());
        QVERIFY(!reader.join(m_server.wsUrl(u"name=watch"_s)).isEmpty());
        const QJsonObject frame{
            {"type"_L1, "message"_L1}, {"text"_L1, "once"_L1}, {"request_id"_L1, "dup-1"_L1}};
        sender.sendJson(frame);
        const QJsonObject first = sender.waitFor(u"message_sent"_s);
        sender.sendJson(frame);
        const QJsonObject second = sender.waitFor(u"message_sent"_s);
        QCOMPARE(second.value("message"_L1), first.value("message"_L1));
        // A marker message proves the reader saw everything fanned out before it.
        sender.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "marker"_L1}});
        QTRY_COMPARE(reader.framesOfType(u"new_message"_s).size(), 2);
        QCOMPARE(reader.framesOfType(u"new_message"_s).last()["message"_L1]["text"_L1].toString(),
                 u"marker"_s);
    }

    void syncReplaysMissedMessages() {
        TestClient sender;
        QVERIFY(!sender.join(m_server.wsUrl(u"name=syncer"_s)).isEmpty());
        sender.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "a"_L1}});
        const qint64 seqA = sender.waitFor(u"message_sent"_s)["message"_L1]["seq"_L1].toInteger();
        sender.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "b"_L1}});
        sender.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "c"_L1}});
        QVERIFY(!sender.waitFor(u"message_sent"_s).isEmpty());
        QVERIFY(!sender.waitFor(u"message_sent"_s).isEmpty());

        TestClient late;
        QVERIFY(!late.join(m_server.wsUrl(u"name=late"_s)).isEmpty());
        late.sendJson({{"type"_L1, "sync"_L1}, {"chat_id"_L1, kLobby}, {"after_seq"_L1, seqA}});
        const QJsonObject done = late.waitFor(u"sync_done"_s);
        QCOMPARE(done.value("chat_id"_L1).toString(), kLobby);
        QCOMPARE(done.value("has_more"_L1).toBool(), false);
        const QList<QJsonObject> replayed = late.framesOfType(u"new_message"_s);
        QCOMPARE(replayed.size(), 2);
        QCOMPARE(replayed[0]["message"_L1]["text"_L1].toString(), u"b"_s);
        QCOMPARE(replayed[0]["message"_L1]["seq"_L1].toInteger(), seqA + 1);
        QCOMPARE(replayed[1]["message"_L1]["text"_L1].toString(), u"c"_s);
    }

    void badInput_data() {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<int>("closeCode");     // 0: the connection stays open
        QTest::addColumn<QString>("errorCode"); // expected error frame when it stays open
        QTest::addColumn<QString>("requestId");

        const QString forbiddenChat = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QTest::addRow("not JSON") << u"hello"_s << false << 1008 << QString() << QString();
        QTest::addRow("JSON array") << u"[1,2,3]"_s << false << 1008 << QString() << QString();
        QTest::addRow("JSON number") << u"42"_s << false << 1008 << QString() << QString();
        QTest::addRow("binary frame") << u"{}"_s << true << 1008 << QString() << QString();
        QTest::addRow("larger than msg-max-bytes")
            << (uR"({"type":"message","text":")"_s + QString(40000, u'x') + uR"("})"_s) << false
            << 1009 << QString() << QString();
        QTest::addRow("unknown type") << uR"({"type":"dance","request_id":"u1"})"_s << false << 0
                                      << u"invalid_message"_s << u"u1"_s;
        QTest::addRow("missing text") << uR"({"type":"message","request_id":"m1"})"_s << false << 0
                                      << u"invalid_message"_s << u"m1"_s;
        QTest::addRow("empty text") << uR"({"type":"message","text":"","request_id":"e1"})"_s
                                    << false << 0 << u"invalid_message"_s << u"e1"_s;
        QTest::addRow("too long text") << (uR"({"type":"message","request_id":"l1","text":")"_s +
                                           QString(4097, u'y') + uR"("})"_s)
                                       << false << 0 << u"invalid_message"_s << u"l1"_s;
        QTest::addRow("bad chat_id")
            << uR"({"type":"message","chat_id":"general","text":"x","request_id":"c1"})"_s << false
            << 0 << u"invalid_message"_s << u"c1"_s;
        QTest::addRow("chat the user is not a member of")
            << uR"({"type":"message","chat_id":"%1","text":"x","request_id":"f1"})"_s.arg(
                   forbiddenChat)
            << false << 0 << u"forbidden"_s << u"f1"_s;
        QTest::addRow("sync of a foreign chat")
            << uR"({"type":"sync","chat_id":"%1","after_seq":0})"_s.arg(forbiddenChat) << false << 0
            << u"forbidden"_s << QString();
    }

    void badInput() {
        QFETCH(QString, frame);
        QFETCH(bool, binary);
        QFETCH(int, closeCode);
        QFETCH(QString, errorCode);
        QFETCH(QString, requestId);

        TestClient client;
        TestClient witness;
        QVERIFY(!client.join(m_server.wsUrl(u"name=fuzzy"_s)).isEmpty());
        QVERIFY(!witness.join(m_server.wsUrl(u"name=witness"_s)).isEmpty());
        if (binary) {
            client.socket().sendBinaryMessage(frame.toUtf8());
        } else {
            client.sendText(frame);
        }
        if (closeCode != 0) {
            QVERIFY(client.waitForDisconnect());
            QCOMPARE(client.closeCode(), closeCode);
        } else {
            const QJsonObject error = client.waitFor(u"error"_s);
            QCOMPARE(error.value("code"_L1).toString(), errorCode);
            QVERIFY(!error.value("message"_L1).toString().isEmpty());
            QCOMPARE(error.value("request_id"_L1).toString(), requestId);
            // The connection stays usable.
            client.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "still here"_L1}});
            QCOMPARE(client.waitFor(u"message_sent"_s)["message"_L1]["text"_L1].toString(),
                     u"still here"_s);
        }
        // Nothing of the bad input reached anyone else.
        witness.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "marker"_L1}});
        QVERIFY(!witness.waitFor(u"message_sent"_s).isEmpty());
        for (const QJsonObject &seen : witness.framesOfType(u"new_message"_s)) {
            QCOMPARE(seen["message"_L1]["text"_L1].toString(), u"still here"_s);
        }
    }

private:
    ServerProcess m_server;
};

QTEST_GUILESS_MAIN(TestLobby)
#include "tst_lobby.moc"
