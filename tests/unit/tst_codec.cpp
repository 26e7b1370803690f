// SPDX-License-Identifier: MIT
#include "protocol/codec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace neonchat::protocol;

Q_DECLARE_METATYPE(neonchat::protocol::ClientFrame)
Q_DECLARE_METATYPE(neonchat::protocol::ServerFrame)
Q_DECLARE_METATYPE(std::optional<QString>)

namespace {
const QString kChat = u"6f1c1a52-4a4b-4c38-9d0e-1a2b3c4d5e6f"_s;
const QString kMsg = u"0b7f4d2e-9a61-4b0c-8f3e-2c1d0e9f8a7b"_s;
} // namespace

class TestCodec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chatKindNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<std::optional<ChatKind>>("kind");
        QTest::addRow("lobby") << u"lobby"_s << std::optional(ChatKind::Lobby);
        QTest::addRow("direct") << u"direct"_s << std::optional(ChatKind::Direct);
        QTest::addRow("room") << u"room"_s << std::optional(ChatKind::Room);
        QTest::addRow("other case") << u"Room"_s << std::optional<ChatKind>();
        QTest::addRow("empty") << QString() << std::optional<ChatKind>();
    }

    // The names of CONTRACT §2's "kind", both ways.
    void chatKindNames() {
        QFETCH(QString, name);
        QFETCH(std::optional<ChatKind>, kind);
        QCOMPARE(chatKindFromName(name), kind);
        if (kind) {
            QCOMPARE(QString(chatKindName(*kind)), name);
        }
    }

    void decodesValidClientFrames_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ClientFrame>("expected");

        QTest::addRow("message to the lobby")
            << R"({"type":"message","text":"hi"})"_ba
            << ClientFrame{SendMessage{std::nullopt, u"hi"_s, std::nullopt}};
        QTest::addRow("message with chat and request id")
            << (R"({"type":"message","chat_id":")" + kChat.toUtf8() +
                R"(","text":"hello","request_id":"r-1"})")
            << ClientFrame{SendMessage{kChat, u"hello"_s, u"r-1"_s}};
        QTest::addRow("null request id is absent")
            << R"({"type":"message","text":"x","request_id":null})"_ba
            << ClientFrame{SendMessage{std::nullopt, u"x"_s, std::nullopt}};
        QTest::addRow("unknown fields are ignored")
            << R"({"type":"message","text":"x","future":1})"_ba
            << ClientFrame{SendMessage{std::nullopt, u"x"_s, std::nullopt}};
        QTest::addRow("4096 emoji are 4096 characters")
            << (R"({"type":"message","text":")" +
                QString(kTextMaxChars, QChar(0)).toUtf8().replace('\0', "\xF0\x9F\x98\x80") +
                R"("})")
            << ClientFrame{SendMessage{
                   std::nullopt,
                   QString::fromUtf8(
                       QByteArray(kTextMaxChars, '\0').replace('\0', "\xF0\x9F\x98\x80")),
                   std::nullopt}};
        QTest::addRow("newlines and tabs are text")
            << R"({"type":"message","text":"a\n\tb"})"_ba
            << ClientFrame{SendMessage{std::nullopt, u"a\n\tb"_s, std::nullopt}};
        QTest::addRow("typing") << (R"({"type":"typing","chat_id":")" + kChat.toUtf8() +
                                    R"(","is_typing":true})")
                                << ClientFrame{TypingUpdate{kChat, true}};
        QTest::addRow("read") << (R"({"type":"read","chat_id":")" + kChat.toUtf8() +
                                  R"(","message_id":")" + kMsg.toUtf8() + R"("})")
                              << ClientFrame{MarkRead{kChat, kMsg}};
        QTest::addRow("sync") << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() +
                                  R"(","after_seq":42})")
                              << ClientFrame{SyncRequest{kChat, 42}};
        QTest::addRow("sync with changes") << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() +
                                               R"(","after_seq":42,"after_mod_seq":7})")
                                           << ClientFrame{SyncRequest{kChat, 42, 7}};
        QTest::addRow("reply")
            << (R"({"type":"message","text":"yes","reply_to_id":")" + kMsg.toUtf8() + R"("})")
            << ClientFrame{SendMessage{std::nullopt, u"yes"_s, std::nullopt, kMsg}};
        QTest::addRow("files alone have no text")
            << (R"({"type":"message","text":"","attachment_ids":[")" + kMsg.toUtf8() + R"("]})")
            << ClientFrame{
                   SendMessage{std::nullopt, QString(), std::nullopt, std::nullopt, {kMsg}}};
        QTest::addRow("files with text")
            << (R"({"type":"message","text":"see","attachment_ids":[")" + kMsg.toUtf8() + R"(",")" +
                kChat.toUtf8() + R"("]})")
            << ClientFrame{
                   SendMessage{std::nullopt, u"see"_s, std::nullopt, std::nullopt, {kMsg, kChat}}};
    }

    void decodesValidClientFrames() {
        QFETCH(QByteArray, json);
        QFETCH(ClientFrame, expected);
        const auto decoded = decodeClientFrame(json);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(decoded.value(), expected);
        // What we encode decodes to the same frame.
        const auto again = decodeClientFrame(encode(decoded.value()));
        QVERIFY(again.ok());
        QCOMPARE(again.value(), expected);
    }

    void rejectsInvalidClientFrames_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("notAnObject");
        QTest::addColumn<QString>("requestId");

        QTest::addRow("not JSON") << "hello"_ba << true << QString();
        // An ordinary literal: moc 6.4 mis-reads a raw string that ends in a quote-less ")".
        QTest::addRow("truncated JSON") << "{\"type\":\"mess"_ba << true << QString();
        QTest::addRow("JSON array") << "[1,2]"_ba << true << QString();
        QTest::addRow("JSON string") << R"("message")"_ba << true << QString();
        QTest::addRow("invalid UTF-8")
            << "{\"type\":\"message\",\"text\":\"\xC3\x28\"}"_ba << true << QString();
        QTest::addRow("missing type") << R"({"text":"x"})"_ba << false << QString();
        QTest::addRow("type not a string") << R"({"type":5,"text":"x"})"_ba << false << QString();
        QTest::addRow("unknown type")
            << R"({"type":"shout","request_id":"q"})"_ba << false << u"q"_s;
        QTest::addRow("missing text")
            << R"({"type":"message","request_id":"a"})"_ba << false << u"a"_s;
        QTest::addRow("empty text") << R"({"type":"message","text":""})"_ba << false << QString();
        QTest::addRow("blank text")
            << R"({"type":"message","text":" \n "})"_ba << false << QString();
        QTest::addRow("text not a string")
            << R"({"type":"message","text":7})"_ba << false << QString();
        QTest::addRow("text 4097 characters")
            << (R"({"type":"message","request_id":"long","text":")" + QByteArray(4097, 'a') +
                R"("})")
            << false << u"long"_s;
        QTest::addRow("control character")
            << R"({"type":"message","text":"a\u0007b"})"_ba << false << QString();
        QTest::addRow("NUL character")
            << R"({"type":"message","text":"a\u0000b"})"_ba << false << QString();
        QTest::addRow("lone surrogate")
            << R"({"type":"message","text":"a\ud800b"})"_ba << false << QString();
        QTest::addRow("bad chat id")
            << R"({"type":"message","chat_id":"lobby","text":"x"})"_ba << false << QString();
        QTest::addRow("braced chat id")
            << (R"({"type":"message","chat_id":"{)" + kChat.toUtf8() + R"(}","text":"x"})") << false
            << QString();
        QTest::addRow("chat id not a string")
            << R"({"type":"message","chat_id":1,"text":"x"})"_ba << false << QString();
        QTest::addRow("empty request id")
            << R"({"type":"message","text":"x","request_id":""})"_ba << false << QString();
        QTest::addRow("request id too long")
            << (R"({"type":"message","text":"x","request_id":")" + QByteArray(129, 'r') + R"("})")
            << false << QString(128, u'r');
        QTest::addRow("request id not a string")
            << R"({"type":"message","text":"x","request_id":5})"_ba << false << QString();
        QTest::addRow("reply to no id")
            << R"({"type":"message","text":"x","reply_to_id":"m-1","request_id":"r"})"_ba << false
            << u"r"_s;
        QTest::addRow("negative after_mod_seq")
            << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() +
                R"(","after_seq":1,"after_mod_seq":-1})")
            << false << QString();
        QTest::addRow("typing without flag")
            << (R"({"type":"typing","chat_id":")" + kChat.toUtf8() + R"("})") << false << QString();
        QTest::addRow("read without message")
            << (R"({"type":"read","chat_id":")" + kChat.toUtf8() + R"("})") << false << QString();
        QTest::addRow("sync negative seq")
            << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() + R"(","after_seq":-1})") << false
            << QString();
        QTest::addRow("sync fractional seq")
            << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() + R"(","after_seq":1.5})") << false
            << QString();
        QTest::addRow("no text and no files")
            << R"({"type":"message","text":"","attachment_ids":[]})"_ba << false << QString();
        QTest::addRow("an attachment id twice")
            << (R"({"type":"message","text":"x","attachment_ids":[")" + kMsg.toUtf8() + R"(",")" +
                kMsg.toUtf8() + R"("]})")
            << false << QString();
        QTest::addRow("attachment ids not an array")
            << R"({"type":"message","text":"x","attachment_ids":"a"})"_ba << false << QString();
        QTest::addRow("sync seq as string")
            << (R"({"type":"sync","chat_id":")" + kChat.toUtf8() + R"(","after_seq":"3"})") << false
            << QString();
    }

    void rejectsInvalidClientFrames() {
        QFETCH(QByteArray, json);
        QFETCH(bool, notAnObject);
        QFETCH(QString, requestId);
        const auto decoded = decodeClientFrame(json);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().kind == DecodeError::Kind::NotAnObject, notAnObject);
        QVERIFY(!decoded.error().message.isEmpty());
        QCOMPARE(decoded.error().requestId.value_or(QString()), requestId);
    }

    void serverFramesRoundTrip_data() {
        QTest::addColumn<ServerFrame>("frame");
        const QDateTime at =
            QDateTime::fromString(u"2026-11-22T12:03:04.123Z"_s, Qt::ISODateWithMs);
        const ChatMessage message{kMsg, kChat, 7, kChat, u"alice"_s, u"hi \"there\""_s, at};
        QTest::addRow("welcome") << ServerFrame{Welcome{kMsg,
                                                        UserInfo{kChat, u"alice"_s, false},
                                                        QString(kLobbyId),
                                                        u"0.1.0"_s,
                                                        ServerLimits{32768, 4096, 20, 600},
                                                        {}}};
        QTest::addRow("guest welcome with resume token")
            << ServerFrame{Welcome{kMsg, UserInfo{kChat, u"alice"_s, true}, QString(kLobbyId),
                                   u"0.1.0"_s, ServerLimits{32768, 4096, 20, 600}, u"a.b.c"_s}};
        QTest::addRow("message_sent") << ServerFrame{MessageSent{u"r1"_s, message}};
        QTest::addRow("message_sent without request id")
            << ServerFrame{MessageSent{std::nullopt, message}};
        QTest::addRow("new_message") << ServerFrame{NewMessage{message}};
        QTest::addRow("presence") << ServerFrame{Presence{true, kChat, at}};
        QTest::addRow("typing") << ServerFrame{TypingNotice{kChat, kMsg, false}};
        QTest::addRow("read") << ServerFrame{ReadReceipt{kChat, kMsg, kMsg}};
        QTest::addRow("error") << ServerFrame{ErrorFrame{u"forbidden"_s, u"no"_s, u"r"_s}};
        QTest::addRow("sync_done") << ServerFrame{SyncDone{kChat, true}};
        QTest::addRow("sync_done with counters") << ServerFrame{SyncDone{kChat, false, 12, 3}};
        ChatMessage changed = message;
        changed.editedAt = at.addSecs(60);
        changed.replyToId = kMsg;
        changed.reactions = {Reaction{u"🎉"_s, {kChat, kMsg}}};
        changed.attachments = {Attachment{kMsg, u"plan.pdf"_s, u"application/pdf"_s, 1234}};
        changed.modSeq = 5;
        QTest::addRow("message_updated") << ServerFrame{MessageUpdated{changed}};
        changed.deleted = true;
        QTest::addRow("new_message, deleted") << ServerFrame{NewMessage{changed}};
    }

    void serverFramesRoundTrip() {
        QFETCH(ServerFrame, frame);
        const auto decoded = decodeServerFrame(encode(frame));
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(decoded.value(), frame);
    }

    void messageFramesAreWrittenAsQtWritesThem_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QDateTime>("createdAt");
        QTest::addColumn<std::optional<QString>>("requestId");
        const QDateTime now = QDateTime(QDate(2026, 12, 2), QTime(4, 5, 6, 78), Qt::UTC);
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c) {
            controls.append(QChar(c));
        }
        QTest::addRow("plain") << u"hello"_s << u"alice"_s << now << std::optional(u"r-1"_s);
        QTest::addRow("no request id") << u"hi"_s << u"bob"_s << now << std::optional<QString>();
        QTest::addRow("quotes and backslashes")
            << u"say \"hi\" \\ \\\" / done"_s << u"a\"b"_s << now << std::optional(u"\"q\\"_s);
        QTest::addRow("every control character")
            << controls << u"c"_s << now << std::optional(u"\t\n"_s);
        QTest::addRow("delete and latin")
            << u"\u007f caf\u00e9"_s << u"z"_s << now << std::optional<QString>();
        QTest::addRow("cyrillic and emoji")
            << u"Привет 👋🏽 世界"_s << u"Жора"_s << now << std::optional(u"🎉"_s);
        QTest::addRow("line and paragraph separators")
            << u"a\u2028b\u2029c"_s << u"s"_s << now << std::optional<QString>();
        QTest::addRow("unpaired surrogate")
            << QString(QChar(0xd800)) + u"x"_s << u"s"_s << now << std::optional<QString>();
        QTest::addRow("midnight, first millisecond")
            << u"t"_s << u"s"_s << QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC)
            << std::optional<QString>();
        QTest::addRow("local time given")
            << u"t"_s << u"s"_s
            << QDateTime(QDate(2026, 6, 1), QTime(23, 59, 59, 999), QTimeZone(3600 * 5))
            << std::optional<QString>();
        QTest::addRow("year 1") << u"t"_s << u"s"_s
                                << QDateTime(QDate(1, 2, 3), QTime(4, 5, 6, 7), Qt::UTC)
                                << std::optional<QString>();
        QTest::addRow("year 10000")
            << u"t"_s << u"s"_s << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC)
            << std::optional<QString>();
    }

    void messageFramesAreWrittenAsQtWritesThem() {
        // new_message and message_sent are written without QJsonDocument (they are most of the
        // hub's work per message); the bytes must be the same.
        QFETCH(QString, text);
        QFETCH(QString, sender);
        QFETCH(QDateTime, createdAt);
        QFETCH(std::optional<QString>, requestId);
        const ChatMessage message{u"6f1c1c0e-8d1b-4c37-9a39-8d3bfb4f5e01"_s,
                                  u"00000000-0000-4000-8000-000000000001"_s,
                                  9007199254740993LL,
                                  u"0b5c4f4e-2f64-4b49-8d0e-5b7a2f0a9c11"_s,
                                  sender,
                                  text,
                                  createdAt};
        // The same message after every kind of change (CONTRACT §9), with the text in the other
        // fields too.
        ChatMessage changed = message;
        changed.editedAt = createdAt.addSecs(90);
        changed.deleted = true;
        changed.replyToId = u"0f0f0f0f-0000-4000-8000-000000000000"_s;
        changed.reactions = {Reaction{text, {message.senderId, message.chatId}},
                             Reaction{u"👍"_s, {message.senderId}}};
        changed.attachments = {Attachment{message.id, text, u"image/png"_s, 25 * 1024 * 1024},
                               Attachment{message.chatId, u"notes \"q\".txt"_s, sender, 0}};
        changed.modSeq = 42;
        for (const ChatMessage &m : {message, changed}) {
            for (const ServerFrame &frame :
                 {ServerFrame{NewMessage{m}}, ServerFrame{MessageSent{requestId, m}},
                  ServerFrame{MessageUpdated{m}}}) {
                QCOMPARE(encode(frame), encodeGeneric(frame));
            }
        }
    }

    void timestampsAreWrittenAsQtWritesThem_data() {
        QTest::addColumn<QDateTime>("time");
        QTest::addRow("now-ish") << QDateTime(QDate(2026, 12, 2), QTime(4, 5, 6, 78), Qt::UTC);
        QTest::addRow("midnight") << QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::addRow("last millisecond")
            << QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
        QTest::addRow("offset") << QDateTime(QDate(2026, 6, 1), QTime(1, 2, 3, 4),
                                             QTimeZone(-3600 * 7));
        QTest::addRow("epoch") << QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
        QTest::addRow("year 1") << QDateTime(QDate(1, 2, 3), QTime(4, 5, 6, 7), Qt::UTC);
        QTest::addRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59), Qt::UTC);
        QTest::addRow("year 10000") << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::addRow("before year 1") << QDateTime(QDate(-5, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::addRow("invalid") << QDateTime();
    }

    void timestampsAreWrittenAsQtWritesThem() {
        QFETCH(QDateTime, time);
        QCOMPARE(formatTimestamp(time), time.toUTC().toString(Qt::ISODateWithMs));
    }

    void messageSentCarriesTheContractFields() {
        const ChatMessage message{
            kMsg, kChat, 3, kChat, u"bob"_s, u"x"_s, QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)};
        const QByteArray json = encode(ServerFrame{MessageSent{u"abc"_s, message}});
        QCOMPARE(
            json,
            R"({"message":{"attachments":[],"chat_id":")" + kChat.toUtf8() +
                R"(","created_at":"1970-01-01T00:00:00.000Z","deleted":false,"edited_at":null,"id":")" +
                kMsg.toUtf8() +
                R"(","mod_seq":0,"reactions":[],"reply_to_id":null,"sender":"bob","sender_id":")" +
                kChat.toUtf8() +
                R"(","seq":3,"text":"x"},"request_id":"abc","status":"delivered","type":"message_sent"})");
    }

    // What the server encodes, a client decodes to the same value (CONTRACT §2 and §9 resources).
    void restResourcesRoundTrip() {
        const QDateTime at =
            QDateTime::fromString(u"2026-12-02T10:00:00.123Z"_s, Qt::ISODateWithMs);
        const UserSummary bob{kMsg, u"bob"_s, true};
        ChatMessage message{kMsg, kChat, 3, kMsg, u"bob"_s, u"hi"_s, at};
        message.attachments = {Attachment{kChat, u"plan.pdf"_s, u"application/pdf"_s, 1234}};
        const ChatSummary direct{kChat,
                                 ChatKind::Direct,
                                 u"bob"_s,
                                 bob,
                                 LastMessage{kMsg, u"hi"_s, kMsg, at},
                                 2,
                                 at,
                                 3,
                                 1,
                                 {}};
        const ChatSummary lobby{
            kChat, ChatKind::Lobby, u"Lobby"_s, std::nullopt, std::nullopt, 0, at, 0, 0, {}};
        const ChatSummary ownedRoom{
            kChat, ChatKind::Room, u"design"_s, std::nullopt, std::nullopt, 0, at, 0, 0, kMsg};
        QCOMPARE(toJson(lobby)["created_by"_L1].type(), QJsonValue::Null);
        QCOMPARE(toJson(ownedRoom)["created_by"_L1].toString(), kMsg);
        for (const ChatSummary &chat : {direct, lobby, ownedRoom}) {
            const auto decoded = chatSummaryFromJson(toJson(chat));
            QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
            QCOMPARE(decoded.value(), chat);
        }
        QCOMPARE(userSummaryFromJson(toJson(bob)).value(), bob);
        const RoomSummary room{kChat, u"design"_s, 4};
        QCOMPARE(roomSummaryFromJson(toJson(room)).value(), room);
        const HistoryPage page{{message, message}, true, false};
        QCOMPARE(historyPageFromJson(toJson(page)).value(), page);
        const SearchPage found{{SearchResult{message, u"…hi…"_s}}, true};
        QCOMPARE(searchPageFromJson(toJson(found)).value(), found);
        QCOMPARE(toJson(found)["results"_L1][0]["chat_id"_L1].toString(), kChat);
        const Upload upload{kMsg, u"plan.pdf"_s, u"application/pdf"_s, 1234, at};
        QCOMPARE(uploadFromJson(uploadToJson(upload)).value(), upload);

        QJsonObject badKind = toJson(direct);
        badKind.insert("kind"_L1, u"group"_s);
        QVERIFY(!chatSummaryFromJson(badKind).ok());
        QJsonObject badPartner = toJson(direct);
        badPartner.insert("partner"_L1, QJsonObject{{"id"_L1, u"x"_s}});
        QVERIFY(!chatSummaryFromJson(badPartner).ok());
        QVERIFY(!historyPageFromJson(QJsonObject{{"messages"_L1, QJsonArray{QJsonObject{}}},
                                                 {"has_previous"_L1, false},
                                                 {"has_next"_L1, false}})
                     .ok());
    }

    void displayNames_data() {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::addRow("plain") << u"alice"_s << u"alice"_s;
        QTest::addRow("trimmed and folded") << u"  Ann   Lee "_s << u"Ann Lee"_s;
        QTest::addRow("cyrillic") << u"Аня"_s << u"Аня"_s;
        QTest::addRow("empty") << QString() << QString();
        QTest::addRow("only spaces") << u"   "_s << QString();
        QTest::addRow("50 characters") << QString(50, u'a') << QString(50, u'a');
        QTest::addRow("51 characters") << QString(51, u'a') << QString();
        QTest::addRow("control character") << u"a\u0001b"_s << QString();
        QTest::addRow("bidi override") << u"a\u202Eb"_s << QString();
        // Findings of the attack run: names that pass for another name.
        QTest::addRow("Hangul filler") << u"alice\u3164"_s << QString();
        QTest::addRow("only a Hangul filler") << u"\u3164"_s << QString();
        QTest::addRow("tag characters") << u"alice\U000E0041\U000E0042"_s << QString();
        QTest::addRow("zero-width space") << u"ali\u200Bce"_s << QString();
        QTest::addRow("soft hyphen") << u"ali\u00ADce"_s << QString();
        QTest::addRow("Braille blank") << u"\u2800"_s << QString();
        QTest::addRow("private use") << u"a\uE000"_s << QString();
        QTest::addRow("combining marks only") << u"\u0301\u0302"_s << QString();
        QTest::addRow("unicode spaces folded") << u"Zoe\u2003\u2003Smith"_s << u"Zoe Smith"_s;
        QTest::addRow("emoji with selector")
            << u"\U0001F44D\uFE0F fan"_s << u"\U0001F44D\uFE0F fan"_s;
        QTest::addRow("50 emoji") << u"\U0001F600"_s.repeated(50) << u"\U0001F600"_s.repeated(50);
        QTest::addRow("51 emoji") << u"\U0001F600"_s.repeated(51) << QString();
    }

    void displayNames() {
        QFETCH(QString, requested);
        QFETCH(QString, expected);
        QCOMPARE(normalizedDisplayName(requested).value_or(QString()), expected);
    }
};

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
