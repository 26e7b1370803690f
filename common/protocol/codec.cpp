// SPDX-License-Identifier: MIT
#include "codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::protocol {

namespace {

DecodeError invalid(QString message, std::optional<QString> requestId = std::nullopt) {
    return DecodeError{DecodeError::Kind::Invalid, std::move(message), std::move(requestId)};
}

// Parses bytes into an object, or says why they are not one.
std::variant<QJsonObject, DecodeError> parseObject(QByteArrayView utf8Json) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(utf8Json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return DecodeError{DecodeError::Kind::NotAnObject,
                           u"frame is not valid JSON: "_s + parseError.errorString(), std::nullopt};
    }
    if (!doc.isObject()) {
        return DecodeError{DecodeError::Kind::NotAnObject, u"frame is not a JSON object"_s,
                           std::nullopt};
    }
    return doc.object();
}

// Reads optional and required fields of one object, collecting the first problem it meets.
class FieldReader {
public:
    explicit FieldReader(const QJsonObject &object)
        : m_object(object) {}

    std::optional<QString> optionalString(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        if (!value.isString()) {
            fail(u"field '%1' must be a string"_s.arg(key));
            return std::nullopt;
        }
        return value.toString();
    }

    QString string(QLatin1StringView key) {
        if (!m_object.contains(key)) {
            fail(u"field '%1' is required"_s.arg(key));
            return {};
        }
        return optionalString(key).value_or(QString());
    }

    QString uuid(QLatin1StringView key) {
        const QString value = string(key);
        if (m_problem.isEmpty() && !isUuid(value)) {
            fail(u"field '%1' must be a UUID"_s.arg(key));
        }
        return value;
    }

    std::optional<QString> optionalUuid(QLatin1StringView key) {
        std::optional<QString> value = optionalString(key);
        if (value && !isUuid(*value)) {
            fail(u"field '%1' must be a UUID"_s.arg(key));
        }
        return value;
    }

    bool boolean(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        if (!value.isBool()) {
            fail(u"field '%1' must be true or false"_s.arg(key));
            return false;
        }
        return value.toBool();
    }

    qint64 nonNegativeInteger(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        // JSON numbers are doubles; integers are exact up to 2^53.
        constexpr double maxExact = 9007199254740992.0;
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < 0 || number > maxExact ||
            number != static_cast<double>(static_cast<qint64>(number))) {
            fail(u"field '%1' must be a non-negative integer"_s.arg(key));
            return 0;
        }
        return static_cast<qint64>(number);
    }

    std::optional<qint64> optionalNonNegativeInteger(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        return nonNegativeInteger(key);
    }

    std::optional<QDateTime> optionalTimestamp(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        return timestamp(key);
    }

    // Absent counts as false: older servers did not send every field.
    bool optionalBoolean(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        return value.isUndefined() ? false : boolean(key);
    }

    // An array of objects, each read by readItem; absent is empty.
    template <typename ReadItem>
    auto objectArray(QLatin1StringView key, ReadItem readItem)
        -> QList<decltype(readItem(std::declval<FieldReader &>()))> {
        QList<decltype(readItem(std::declval<FieldReader &>()))> items;
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined()) {
            return items;
        }
        if (!value.isArray()) {
            fail(u"field '%1' must be an array"_s.arg(key));
            return items;
        }
        for (const QJsonValue &element : value.toArray()) {
            if (!element.isObject()) {
                fail(u"field '%1' must hold objects"_s.arg(key));
                return items;
            }
            const QJsonObject object = element.toObject();
            FieldReader read(object);
            items.append(readItem(read));
            if (!read.problem().isEmpty()) {
                fail(u"%1: %2"_s.arg(key, read.problem()));
                return items;
            }
        }
        return items;
    }

    QStringList uuidArray(QLatin1StringView key) {
        QStringList ids;
        const QJsonValue value = m_object.value(key);
        if (!value.isArray()) {
            fail(u"field '%1' must be an array of ids"_s.arg(key));
            return ids;
        }
        for (const QJsonValue &element : value.toArray()) {
            if (!isUuid(element.toString())) {
                fail(u"field '%1' must be an array of ids"_s.arg(key));
                return ids;
            }
            ids.append(element.toString());
        }
        return ids;
    }

    QDateTime timestamp(QLatin1StringView key) {
        const QString text = string(key);
        QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (m_problem.isEmpty() && !parsed.isValid()) {
            fail(u"field '%1' must be an RFC 3339 timestamp"_s.arg(key));
        }
        return parsed.toUTC();
    }

    QJsonObject object(QLatin1StringView key) {
        const QJsonValue value = m_object.value(key);
        if (!value.isObject()) {
            fail(u"field '%1' must be an object"_s.arg(key));
            return {};
        }
        return value.toObject();
    }

    void fail(const QString &problem) {
        if (m_problem.isEmpty()) {
            m_problem = problem;
        }
    }

    [[nodiscard]] const QString &problem() const { return m_problem; }

private:
    const QJsonObject &m_object;
    QString m_problem;
};

std::optional<QString> requestIdOf(const QJsonObject &object) {
    const QJsonValue value = object.value("request_id"_L1);
    if (value.isString()) {
        return value.toString().left(kRequestIdMaxChars);
    }
    return std::nullopt;
}

Decoded<ClientFrame> decodeClientObject(const QJsonObject &object) {
    const std::optional<QString> requestId = requestIdOf(object);
    const QJsonValue typeValue = object.value("type"_L1);
    if (!typeValue.isString()) {
        return invalid(u"field 'type' is required"_s, requestId);
    }
    const QString type = typeValue.toString();
    FieldReader read(object);

    if (type == "message"_L1) {
        SendMessage frame;
        frame.chatId = read.optionalUuid("chat_id"_L1);
        frame.text = read.string("text"_L1);
        frame.requestId = read.optionalString("request_id"_L1);
        frame.replyToId = read.optionalUuid("reply_to_id"_L1);
        if (object.contains("attachment_ids"_L1)) {
            frame.attachmentIds = read.uuidArray("attachment_ids"_L1);
        }
        if (read.problem().isEmpty()) {
            // A message of files alone has no text.
            const bool filesAlone = !frame.attachmentIds.isEmpty() && frame.text.isEmpty();
            if (frame.attachmentIds.size() > kMaxAttachmentsPerMessage) {
                read.fail(u"at most %1 attachments per message"_s.arg(kMaxAttachmentsPerMessage));
            } else if (frame.attachmentIds.removeDuplicates() > 0) {
                read.fail(u"field 'attachment_ids' names an upload twice"_s);
            } else if (const auto problem =
                           filesAlone ? std::nullopt : messageTextProblem(frame.text)) {
                read.fail(*problem);
            } else if (frame.requestId && (frame.requestId->isEmpty() ||
                                           characterCount(*frame.requestId) > kRequestIdMaxChars)) {
                read.fail(u"field 'request_id' must be 1-%1 characters"_s.arg(kRequestIdMaxChars));
            }
        }
        if (!read.problem().isEmpty()) {
            return invalid(read.problem(), requestId);
        }
        return ClientFrame{std::move(frame)};
    }
    if (type == "typing"_L1) {
        TypingUpdate frame{read.uuid("chat_id"_L1), read.boolean("is_typing"_L1)};
        if (!read.problem().isEmpty()) {
            return invalid(read.problem(), requestId);
        }
        return ClientFrame{std::move(frame)};
    }
    if (type == "read"_L1) {
        MarkRead frame{read.uuid("chat_id"_L1), read.uuid("message_id"_L1)};
        if (!read.problem().isEmpty()) {
            return invalid(read.problem(), requestId);
        }
        return ClientFrame{std::move(frame)};
    }
    if (type == "sync"_L1) {
        SyncRequest frame{read.uuid("chat_id"_L1), read.nonNegativeInteger("after_seq"_L1),
                          read.optionalNonNegativeInteger("after_mod_seq"_L1)};
        if (!read.problem().isEmpty()) {
            return invalid(read.problem(), requestId);
        }
        return ClientFrame{std::move(frame)};
    }
    return invalid(u"unknown frame type '%1'"_s.arg(type.left(64)), requestId);
}

ChatMessage readMessage(FieldReader &outer, QLatin1StringView key) {
    const QJsonObject object = outer.object(key);
    FieldReader read(object);
    ChatMessage message;
    message.id = read.uuid("id"_L1);
    message.chatId = read.uuid("chat_id"_L1);
    message.seq = read.nonNegativeInteger("seq"_L1);
    message.senderId = read.uuid("sender_id"_L1);
    message.sender = read.string("sender"_L1);
    message.text = read.string("text"_L1);
    message.createdAt = read.timestamp("created_at"_L1);
    message.editedAt = read.optionalTimestamp("edited_at"_L1);
    message.deleted = read.optionalBoolean("deleted"_L1);
    message.replyToId = read.optionalUuid("reply_to_id"_L1);
    message.reactions = read.objectArray("reactions"_L1, [](FieldReader &item) {
        return Reaction{item.string("emoji"_L1), item.uuidArray("user_ids"_L1)};
    });
    message.attachments = read.objectArray("attachments"_L1, [](FieldReader &item) {
        return Attachment{item.uuid("id"_L1), item.string("filename"_L1),
                          item.string("content_type"_L1), item.nonNegativeInteger("size"_L1)};
    });
    message.modSeq = read.optionalNonNegativeInteger("mod_seq"_L1).value_or(0);
    if (!read.problem().isEmpty()) {
        outer.fail(u"%1: %2"_s.arg(key, read.problem()));
    }
    return message;
}

Decoded<ServerFrame> decodeServerObject(const QJsonObject &object) {
    const QString type = object.value("type"_L1).toString();
    FieldReader read(object);
    auto done = [&read](auto frame) -> Decoded<ServerFrame> {
        if (!read.problem().isEmpty()) {
            return invalid(read.problem());
        }
        return ServerFrame{std::move(frame)};
    };

    if (type == "welcome"_L1) {
        Welcome frame;
        frame.sessionId = read.string("session_id"_L1);
        const QJsonObject user = read.object("user"_L1);
        frame.user = {user.value("id"_L1).toString(), user.value("username"_L1).toString(),
                      user.value("guest"_L1).toBool()};
        frame.lobbyId = read.uuid("lobby_id"_L1);
        const QJsonObject server = read.object("server"_L1);
        frame.serverVersion = server.value("version"_L1).toString();
        const QJsonObject limits = server.value("limits"_L1).toObject();
        frame.limits.msgMaxBytes = limits.value("msg_max_bytes"_L1).toInteger();
        frame.limits.textMaxChars = limits.value("text_max_chars"_L1).toInt();
        frame.limits.rateLimit = limits.value("rate_limit"_L1).toInt();
        frame.limits.idleTimeoutSeconds = limits.value("idle_timeout_s"_L1).toInteger();
        frame.resumeToken = read.optionalString("resume_token"_L1).value_or(QString());
        return done(std::move(frame));
    }
    if (type == "message_sent"_L1) {
        MessageSent frame;
        frame.requestId = read.optionalString("request_id"_L1);
        frame.message = readMessage(read, "message"_L1);
        return done(std::move(frame));
    }
    if (type == "new_message"_L1) {
        return done(NewMessage{readMessage(read, "message"_L1)});
    }
    if (type == "presence"_L1) {
        const QString event = read.string("event"_L1);
        if (event != "user_online"_L1 && event != "user_offline"_L1) {
            read.fail(u"field 'event' must be user_online or user_offline"_s);
        }
        Presence frame{event == "user_online"_L1, read.uuid("user_id"_L1),
                       read.timestamp("timestamp"_L1)};
        return done(std::move(frame));
    }
    if (type == "typing"_L1) {
        TypingNotice frame{read.uuid("chat_id"_L1), read.uuid("user_id"_L1),
                           read.boolean("is_typing"_L1)};
        return done(std::move(frame));
    }
    if (type == "read"_L1) {
        ReadReceipt frame{read.uuid("chat_id"_L1), read.uuid("user_id"_L1),
                          read.uuid("message_id"_L1)};
        return done(std::move(frame));
    }
    if (type == "error"_L1) {
        ErrorFrame frame{read.string("code"_L1), read.string("message"_L1),
                         read.optionalString("request_id"_L1)};
        return done(std::move(frame));
    }
    if (type == "sync_done"_L1) {
        SyncDone frame{read.uuid("chat_id"_L1), read.boolean("has_more"_L1),
                       read.optionalNonNegativeInteger("last_seq"_L1),
                       read.optionalNonNegativeInteger("last_mod_seq"_L1)};
        return done(std::move(frame));
    }
    if (type == "message_updated"_L1) {
        return done(MessageUpdated{readMessage(read, "message"_L1)});
    }
    return invalid(u"unknown frame type '%1'"_s.arg(type.left(64)));
}

QJsonValue optionalValue(const std::optional<QString> &value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject messageObject(const ChatMessage &message) {
    QJsonArray reactions;
    for (const Reaction &reaction : message.reactions) {
        reactions.append(
            QJsonObject{{"emoji"_L1, reaction.emoji},
                        {"count"_L1, reaction.userIds.size()},
                        {"user_ids"_L1, QJsonArray::fromStringList(reaction.userIds)}});
    }
    QJsonArray attachments;
    for (const Attachment &attachment : message.attachments) {
        attachments.append(QJsonObject{{"id"_L1, attachment.id},
                                       {"filename"_L1, attachment.filename},
                                       {"content_type"_L1, attachment.contentType},
                                       {"size"_L1, attachment.size}});
    }
    return QJsonObject{
        {"id"_L1, message.id},
        {"chat_id"_L1, message.chatId},
        {"seq"_L1, message.seq},
        {"sender_id"_L1, message.senderId},
        {"sender"_L1, message.sender},
        {"text"_L1, message.text},
        {"created_at"_L1, formatTimestamp(message.createdAt)},
        {"edited_at"_L1,
         message.editedAt ? QJsonValue(formatTimestamp(*message.editedAt)) : QJsonValue()},
        {"deleted"_L1, message.deleted},
        {"reply_to_id"_L1, optionalValue(message.replyToId)},
        {"reactions"_L1, reactions},
        {"attachments"_L1, attachments},
        {"mod_seq"_L1, message.modSeq},
    };
}

QJsonObject serverObject(const Welcome &frame) {
    QJsonObject object{
        {"type"_L1, "welcome"_L1},
        {"session_id"_L1, frame.sessionId},
        {"user"_L1, QJsonObject{{"id"_L1, frame.user.id},
                                {"username"_L1, frame.user.username},
                                {"guest"_L1, frame.user.guest}}},
        {"lobby_id"_L1, frame.lobbyId},
        {"server"_L1,
         QJsonObject{
             {"version"_L1, frame.serverVersion},
             {"limits"_L1, QJsonObject{{"msg_max_bytes"_L1, frame.limits.msgMaxBytes},
                                       {"text_max_chars"_L1, frame.limits.textMaxChars},
                                       {"rate_limit"_L1, frame.limits.rateLimit},
                                       {"idle_timeout_s"_L1, frame.limits.idleTimeoutSeconds}}}}},
    };
    if (!frame.resumeToken.isEmpty()) {
        object.insert("resume_token"_L1, frame.resumeToken);
    }
    return object;
}

QJsonObject serverObject(const MessageSent &frame) {
    return QJsonObject{{"type"_L1, "message_sent"_L1},
                       {"request_id"_L1, optionalValue(frame.requestId)},
                       {"status"_L1, "delivered"_L1},
                       {"message"_L1, messageObject(frame.message)}};
}

QJsonObject serverObject(const NewMessage &frame) {
    return QJsonObject{{"type"_L1, "new_message"_L1}, {"message"_L1, messageObject(frame.message)}};
}

QJsonObject serverObject(const Presence &frame) {
    return QJsonObject{{"type"_L1, "presence"_L1},
                       {"event"_L1, frame.online ? "user_online"_L1 : "user_offline"_L1},
                       {"user_id"_L1, frame.userId},
                       {"timestamp"_L1, formatTimestamp(frame.timestamp)}};
}

QJsonObject serverObject(const TypingNotice &frame) {
    return QJsonObject{{"type"_L1, "typing"_L1},
                       {"chat_id"_L1, frame.chatId},
                       {"user_id"_L1, frame.userId},
                       {"is_typing"_L1, frame.isTyping}};
}

QJsonObject serverObject(const ReadReceipt &frame) {
    return QJsonObject{{"type"_L1, "read"_L1},
                       {"chat_id"_L1, frame.chatId},
                       {"user_id"_L1, frame.userId},
                       {"message_id"_L1, frame.messageId}};
}

QJsonObject serverObject(const ErrorFrame &frame) {
    QJsonObject object{
        {"type"_L1, "error"_L1}, {"code"_L1, frame.code}, {"message"_L1, frame.message}};
    if (frame.requestId) {
        object.insert("request_id"_L1, *frame.requestId);
    }
    return object;
}

QJsonObject serverObject(const SyncDone &frame) {
    QJsonObject object{
        {"type"_L1, "sync_done"_L1}, {"chat_id"_L1, frame.chatId}, {"has_more"_L1, frame.hasMore}};
    if (frame.lastSeq) {
        object.insert("last_seq"_L1, *frame.lastSeq);
    }
    if (frame.lastModSeq) {
        object.insert("last_mod_seq"_L1, *frame.lastModSeq);
    }
    return object;
}

QJsonObject serverObject(const MessageUpdated &frame) {
    return QJsonObject{{"type"_L1, "message_updated"_L1},
                       {"message"_L1, messageObject(frame.message)}};
}

QJsonObject clientObject(const SendMessage &frame) {
    QJsonObject object{{"type"_L1, "message"_L1}, {"text"_L1, frame.text}};
    if (frame.chatId) {
        object.insert("chat_id"_L1, *frame.chatId);
    }
    if (frame.requestId) {
        object.insert("request_id"_L1, *frame.requestId);
    }
    if (frame.replyToId) {
        object.insert("reply_to_id"_L1, *frame.replyToId);
    }
    if (!frame.attachmentIds.isEmpty()) {
        object.insert("attachment_ids"_L1, QJsonArray::fromStringList(frame.attachmentIds));
    }
    return object;
}

QJsonObject clientObject(const TypingUpdate &frame) {
    return QJsonObject{
        {"type"_L1, "typing"_L1}, {"chat_id"_L1, frame.chatId}, {"is_typing"_L1, frame.isTyping}};
}

QJsonObject clientObject(const MarkRead &frame) {
    return QJsonObject{
        {"type"_L1, "read"_L1}, {"chat_id"_L1, frame.chatId}, {"message_id"_L1, frame.messageId}};
}

QJsonObject clientObject(const SyncRequest &frame) {
    QJsonObject object{
        {"type"_L1, "sync"_L1}, {"chat_id"_L1, frame.chatId}, {"after_seq"_L1, frame.afterSeq}};
    if (frame.afterModSeq) {
        object.insert("after_mod_seq"_L1, *frame.afterModSeq);
    }
    return object;
}

QByteArray compact(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The two frames every message costs (message_sent to its sender, new_message to everyone else)
// are written directly, byte for byte what QJsonDocument writes (keys in order, the same
// escapes): building a QJsonObject per frame was most of the hub's time per message.
void appendJsonString(QByteArray &out, QStringView text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (byte) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default:
            if (byte < 0x20) {
                const char escaped[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
                out.append(escaped, sizeof escaped);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

// {"message":{...} of a frame whose other keys sort after "message"; the caller closes it.
QByteArray openMessageFrame(const ChatMessage &message) {
    QByteArray out;
    out.reserve(300 + message.text.size() * 3);
    out.append(R"({"message":{"attachments":[)");
    for (qsizetype i = 0; i < message.attachments.size(); ++i) {
        const Attachment &attachment = message.attachments[i];
        out.append(i == 0 ? R"({"content_type":)" : R"(,{"content_type":)");
        appendJsonString(out, attachment.contentType);
        out.append(R"(,"filename":)");
        appendJsonString(out, attachment.filename);
        out.append(R"(,"id":)");
        appendJsonString(out, attachment.id);
        out.append(R"(,"size":)");
        out.append(QByteArray::number(attachment.size));
        out.append('}');
    }
    out.append(R"(],"chat_id":)");
    appendJsonString(out, message.chatId);
    out.append(R"(,"created_at":)");
    appendJsonString(out, formatTimestamp(message.createdAt));
    out.append(message.deleted ? R"(,"deleted":true,"edited_at":)"
                               : R"(,"deleted":false,"edited_at":)");
    if (message.editedAt) {
        appendJsonString(out, formatTimestamp(*message.editedAt));
    } else {
        out.append("null");
    }
    out.append(R"(,"id":)");
    appendJsonString(out, message.id);
    out.append(R"(,"mod_seq":)");
    out.append(QByteArray::number(message.modSeq));
    out.append(R"(,"reactions":[)");
    for (qsizetype i = 0; i < message.reactions.size(); ++i) {
        const Reaction &reaction = message.reactions[i];
        out.append(i == 0 ? R"({"count":)" : R"(,{"count":)");
        out.append(QByteArray::number(reaction.userIds.size()));
        out.append(R"(,"emoji":)");
        appendJsonString(out, reaction.emoji);
        out.append(R"(,"user_ids":[)");
        for (qsizetype j = 0; j < reaction.userIds.size(); ++j) {
            if (j > 0) {
                out.append(',');
            }
            appendJsonString(out, reaction.userIds[j]);
        }
        out.append("]}");
    }
    out.append(R"(],"reply_to_id":)");
    if (message.replyToId) {
        appendJsonString(out, *message.replyToId);
    } else {
        out.append("null");
    }
    out.append(R"(,"sender":)");
    appendJsonString(out, message.sender);
    out.append(R"(,"sender_id":)");
    appendJsonString(out, message.senderId);
    out.append(R"(,"seq":)");
    out.append(QByteArray::number(message.seq));
    out.append(R"(,"text":)");
    appendJsonString(out, message.text);
    out.append('}');
    return out;
}

// QJsonDocument writes an unpaired surrogate as an escape; such text goes its way.
bool writesDirectly(const ChatMessage &message, const std::optional<QString> &requestId = {}) {
    const auto valid = [](const QString &text) { return text.isValidUtf16(); };
    return valid(message.text) && valid(message.sender) && valid(message.senderId) &&
           valid(message.chatId) && valid(message.id) && (!requestId || valid(*requestId)) &&
           (!message.replyToId || valid(*message.replyToId)) &&
           std::all_of(message.reactions.cbegin(), message.reactions.cend(),
                       [&valid](const Reaction &reaction) {
                           return valid(reaction.emoji) &&
                                  std::all_of(reaction.userIds.cbegin(), reaction.userIds.cend(),
                                              valid);
                       }) &&
           std::all_of(message.attachments.cbegin(), message.attachments.cend(),
                       [&valid](const Attachment &attachment) {
                           return valid(attachment.id) && valid(attachment.filename) &&
                                  valid(attachment.contentType);
                       });
}

QByteArray compactFrame(const NewMessage &frame) {
    if (!writesDirectly(frame.message)) {
        return compact(serverObject(frame));
    }
    return openMessageFrame(frame.message) + R"(,"type":"new_message"})";
}

QByteArray compactFrame(const MessageSent &frame) {
    if (!writesDirectly(frame.message, frame.requestId)) {
        return compact(serverObject(frame));
    }
    QByteArray out = openMessageFrame(frame.message);
    out.append(R"(,"request_id":)");
    if (frame.requestId) {
        appendJsonString(out, *frame.requestId);
    } else {
        out.append("null");
    }
    out.append(R"(,"status":"delivered","type":"message_sent"})");
    return out;
}

QByteArray compactFrame(const MessageUpdated &frame) {
    if (!writesDirectly(frame.message)) {
        return compact(serverObject(frame));
    }
    return openMessageFrame(frame.message) + R"(,"type":"message_updated"})";
}

template <typename Frame>
QByteArray compactFrame(const Frame &frame) {
    return compact(serverObject(frame));
}

} // namespace

Decoded<ClientFrame> decodeClientFrame(QByteArrayView utf8Json) {
    auto parsed = parseObject(utf8Json);
    if (auto *error = std::get_if<DecodeError>(&parsed)) {
        return *error;
    }
    return decodeClientObject(std::get<QJsonObject>(parsed));
}

Decoded<ServerFrame> decodeServerFrame(QByteArrayView utf8Json) {
    auto parsed = parseObject(utf8Json);
    if (auto *error = std::get_if<DecodeError>(&parsed)) {
        return *error;
    }
    return decodeServerObject(std::get<QJsonObject>(parsed));
}

QByteArray encode(const ClientFrame &frame) {
    return std::visit([](const auto &f) { return compact(clientObject(f)); }, frame);
}

QByteArray encode(const ServerFrame &frame) {
    return std::visit([](const auto &f) { return compactFrame(f); }, frame);
}

QByteArray encodeGeneric(const ServerFrame &frame) {
    return std::visit([](const auto &f) { return compact(serverObject(f)); }, frame);
}

bool isUuid(const QString &text) {
    // Canonical lower- or upper-case 8-4-4-4-12 form only: QUuid alone also accepts braces.
    return text.size() == 36 && !QUuid::fromString(text).isNull() && text.front() != u'{';
}

qsizetype characterCount(QStringView text) {
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text[i].isLowSurrogate() && i > 0 && text[i - 1].isHighSurrogate())) {
            ++count;
        }
    }
    return count;
}

std::optional<QString> messageTextProblem(const QString &text) {
    if (text.trimmed().isEmpty()) {
        return u"field 'text' must not be empty"_s;
    }
    if (characterCount(text) > kTextMaxChars) {
        return u"field 'text' is longer than %1 characters"_s.arg(kTextMaxChars);
    }
    if (!text.isValidUtf16()) {
        return u"field 'text' holds an unpaired surrogate"_s;
    }
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != u'\n' && c != u'\t' && c != u'\r') {
            return u"field 'text' holds a control character"_s;
        }
    }
    return std::nullopt;
}

namespace {

// Letters and marks that render as nothing: a name made with them looks like another name.
bool isBlankLetter(char32_t c) {
    return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800 || c == 0x034F ||
           c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F);
}

bool isInvisible(char32_t c) {
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return isBlankLetter(c);
    }
}

// Marks and spaces alone show nothing either: a name needs a letter, digit, punctuation or symbol.
bool isVisibleBase(char32_t c) {
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Separator_Space:
        return false;
    default:
        return !isInvisible(c);
    }
}

} // namespace

std::variant<QString, DisplayNameProblem> checkDisplayName(const QString &requested) {
    if (!requested.isValidUtf16()) {
        return DisplayNameProblem::Invisible;
    }
    const QString name = requested.simplified();
    if (name.isEmpty()) {
        return DisplayNameProblem::Empty;
    }
    const QList<uint> codePoints = name.toUcs4();
    if (std::any_of(codePoints.begin(), codePoints.end(),
                    [](uint c) { return isInvisible(static_cast<char32_t>(c)); })) {
        return DisplayNameProblem::Invisible;
    }
    if (std::none_of(codePoints.begin(), codePoints.end(),
                     [](uint c) { return isVisibleBase(static_cast<char32_t>(c)); })) {
        return DisplayNameProblem::Empty;
    }
    if (codePoints.size() > kDisplayNameMaxChars) {
        return DisplayNameProblem::TooLong;
    }
    return name;
}

QString displayNameProblemText(DisplayNameProblem problem) {
    switch (problem) {
    case DisplayNameProblem::Empty:
        return u"the name is empty or shows nothing"_s;
    case DisplayNameProblem::TooLong:
        return u"the name is longer than %1 characters"_s.arg(kDisplayNameMaxChars);
    case DisplayNameProblem::Invisible:
        break;
    }
    return u"the name holds control, format or invisible characters"_s;
}

std::optional<QString> normalizedDisplayName(const QString &requested) {
    auto checked = checkDisplayName(requested);
    if (auto *name = std::get_if<QString>(&checked)) {
        return std::move(*name);
    }
    return std::nullopt;
}

QJsonObject messageToJson(const ChatMessage &message) {
    return messageObject(message);
}

Decoded<ChatMessage> messageFromJson(const QJsonObject &object) {
    const QJsonObject holder{{"message"_L1, object}};
    FieldReader read(holder);
    ChatMessage message = readMessage(read, "message"_L1);
    if (!read.problem().isEmpty()) {
        return invalid(read.problem());
    }
    return message;
}

namespace {

QJsonValue nullOr(const std::optional<QJsonObject> &object) {
    return object ? QJsonValue(*object) : QJsonValue(QJsonValue::Null);
}

// Decodes what read makes of object, or the first problem it found.
template <typename T, typename Read>
Decoded<T> decodeWith(const QJsonObject &object, Read read) {
    FieldReader reader(object);
    T value = read(reader);
    if (!reader.problem().isEmpty()) {
        return invalid(reader.problem());
    }
    return value;
}

UserSummary readUserSummary(FieldReader &read) {
    return UserSummary{read.uuid("id"_L1), read.string("username"_L1),
                       read.optionalBoolean("online"_L1)};
}

std::optional<ChatKind> chatKindFromName(const QString &name) {
    for (const ChatKind kind : {ChatKind::Lobby, ChatKind::Direct, ChatKind::Room}) {
        if (name == chatKindName(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

} // namespace

QJsonObject toJson(const UserSummary &user) {
    return QJsonObject{
        {"id"_L1, user.id}, {"username"_L1, user.username}, {"online"_L1, user.online}};
}

QJsonObject toJson(const ChatSummary &chat) {
    std::optional<QJsonObject> lastMessage;
    if (chat.lastMessage) {
        lastMessage = QJsonObject{{"id"_L1, chat.lastMessage->id},
                                  {"text"_L1, chat.lastMessage->text},
                                  {"sender_id"_L1, chat.lastMessage->senderId},
                                  {"created_at"_L1, formatTimestamp(chat.lastMessage->createdAt)}};
    }
    return QJsonObject{
        {"id"_L1, chat.id},
        {"kind"_L1, chatKindName(chat.kind)},
        {"name"_L1, chat.name},
        {"partner"_L1, nullOr(chat.partner ? std::optional(toJson(*chat.partner)) : std::nullopt)},
        {"last_message"_L1, nullOr(lastMessage)},
        {"unread_count"_L1, chat.unreadCount},
        {"updated_at"_L1, formatTimestamp(chat.updatedAt)},
        {"last_seq"_L1, chat.lastSeq},
        {"last_mod_seq"_L1, chat.lastModSeq},
        {"created_by"_L1, chat.createdBy.isEmpty() ? QJsonValue() : QJsonValue(chat.createdBy)}};
}

QJsonObject toJson(const RoomSummary &room) {
    return QJsonObject{{"id"_L1, room.id}, {"name"_L1, room.name}, {"members"_L1, room.members}};
}

QJsonObject toJson(const HistoryPage &page) {
    QJsonArray messages;
    for (const ChatMessage &message : page.messages) {
        messages.append(messageToJson(message));
    }
    return QJsonObject{{"messages"_L1, messages},
                       {"has_previous"_L1, page.hasPrevious},
                       {"has_next"_L1, page.hasNext}};
}

QJsonObject toJson(const SearchPage &page) {
    QJsonArray results;
    for (const SearchResult &result : page.results) {
        results.append(QJsonObject{{"message"_L1, messageToJson(result.message)},
                                   {"chat_id"_L1, result.message.chatId},
                                   {"snippet"_L1, result.snippet}});
    }
    return QJsonObject{{"results"_L1, results}, {"has_more"_L1, page.hasMore}};
}

Decoded<UserSummary> userSummaryFromJson(const QJsonObject &object) {
    return decodeWith<UserSummary>(object, readUserSummary);
}

Decoded<ChatSummary> chatSummaryFromJson(const QJsonObject &object) {
    return decodeWith<ChatSummary>(object, [&object](FieldReader &read) {
        ChatSummary chat;
        chat.id = read.uuid("id"_L1);
        const QString kind = read.string("kind"_L1);
        if (const auto known = chatKindFromName(kind)) {
            chat.kind = *known;
        } else if (read.problem().isEmpty()) {
            read.fail(u"field 'kind' must be lobby, direct or room"_s);
        }
        chat.name = read.string("name"_L1);
        if (const QJsonValue partner = object.value("partner"_L1); partner.isObject()) {
            FieldReader item(partner.toObject());
            chat.partner = readUserSummary(item);
            if (!item.problem().isEmpty()) {
                read.fail(u"partner: %1"_s.arg(item.problem()));
            }
        }
        if (const QJsonValue last = object.value("last_message"_L1); last.isObject()) {
            FieldReader item(last.toObject());
            chat.lastMessage =
                LastMessage{item.uuid("id"_L1), item.string("text"_L1), item.uuid("sender_id"_L1),
                            item.timestamp("created_at"_L1)};
            if (!item.problem().isEmpty()) {
                read.fail(u"last_message: %1"_s.arg(item.problem()));
            }
        }
        chat.unreadCount = read.nonNegativeInteger("unread_count"_L1);
        chat.updatedAt = read.timestamp("updated_at"_L1);
        chat.lastSeq = read.optionalNonNegativeInteger("last_seq"_L1).value_or(0);
        chat.lastModSeq = read.optionalNonNegativeInteger("last_mod_seq"_L1).value_or(0);
        chat.createdBy = read.optionalUuid("created_by"_L1).value_or(QString());
        return chat;
    });
}

Decoded<RoomSummary> roomSummaryFromJson(const QJsonObject &object) {
    return decodeWith<RoomSummary>(object, [](FieldReader &read) {
        return RoomSummary{read.uuid("id"_L1), read.string("name"_L1),
                           read.optionalNonNegativeInteger("members"_L1).value_or(0)};
    });
}

Decoded<HistoryPage> historyPageFromJson(const QJsonObject &object) {
    return decodeWith<HistoryPage>(object, [&object](FieldReader &read) {
        HistoryPage page;
        for (const QJsonValue &value : object.value("messages"_L1).toArray()) {
            const QJsonObject holder{{"message"_L1, value}};
            FieldReader item(holder);
            page.messages.append(readMessage(item, "message"_L1));
            if (!item.problem().isEmpty()) {
                read.fail(item.problem());
                break;
            }
        }
        page.hasPrevious = read.boolean("has_previous"_L1);
        page.hasNext = read.boolean("has_next"_L1);
        return page;
    });
}

Decoded<SearchPage> searchPageFromJson(const QJsonObject &object) {
    return decodeWith<SearchPage>(object, [&object](FieldReader &read) {
        SearchPage page;
        for (const QJsonValue &value : object.value("results"_L1).toArray()) {
            FieldReader item(value.toObject());
            SearchResult result{readMessage(item, "message"_L1), item.string("snippet"_L1)};
            if (!item.problem().isEmpty()) {
                read.fail(u"results: %1"_s.arg(item.problem()));
                break;
            }
            page.results.append(std::move(result));
        }
        page.hasMore = read.boolean("has_more"_L1);
        return page;
    });
}

std::optional<QString> uploadFilenameProblem(const QString &filename) {
    const qsizetype bytes = filename.toUtf8().size();
    if (bytes == 0 || bytes > kUploadFilenameMaxBytes || !filename.isValidUtf16()) {
        return u"a file name is 1-%1 bytes of UTF-8"_s.arg(kUploadFilenameMaxBytes);
    }
    if (filename == "."_L1 || filename == ".."_L1 || filename.contains(u'/') ||
        filename.contains(u'\\')) {
        return u"a file name is a name, not a path"_s;
    }
    for (const uint c : filename.toUcs4()) {
        if (QChar::category(static_cast<char32_t>(c)) == QChar::Other_Control) {
            return u"a file name holds no control characters"_s;
        }
    }
    return std::nullopt;
}

QJsonObject uploadToJson(const Upload &upload) {
    return QJsonObject{{"id"_L1, upload.id},
                       {"filename"_L1, upload.filename},
                       {"content_type"_L1, upload.contentType},
                       {"size"_L1, upload.size},
                       {"created_at"_L1, formatTimestamp(upload.createdAt)}};
}

Decoded<Upload> uploadFromJson(const QJsonObject &object) {
    FieldReader read(object);
    Upload upload{read.uuid("id"_L1), read.string("filename"_L1), read.string("content_type"_L1),
                  read.nonNegativeInteger("size"_L1), read.timestamp("created_at"_L1)};
    if (!read.problem().isEmpty()) {
        return invalid(read.problem());
    }
    return upload;
}

QString formatTimestamp(const QDateTime &utc) {
    const QDateTime inUtc = utc.toUTC();
    const QDate date = inUtc.date();
    const QTime time = inUtc.time();
    if (!inUtc.isValid() || date.year() < 1 || date.year() > 9999) {
        return inUtc.toString(Qt::ISODateWithMs); // Qt's forms for what the fast one cannot
    }
    // What Qt::ISODateWithMs gives for a UTC time in years 1-9999, without its formatter's cost.
    char text[] = "0000-00-00T00:00:00.000Z";
    auto put = [&text](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10) {
            text[at + i] = static_cast<char>('0' + value % 10);
        }
    };
    put(0, date.year(), 4);
    put(5, date.month(), 2);
    put(8, date.day(), 2);
    put(11, time.hour(), 2);
    put(14, time.minute(), 2);
    put(17, time.second(), 2);
    put(20, time.msec(), 3);
    return QString::fromLatin1(text, sizeof text - 1);
}

} // namespace neonchat::protocol
