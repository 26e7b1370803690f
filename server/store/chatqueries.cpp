// SPDX-License-Identifier: MIT
#include "chatqueries.h"

#include "auth/access.h"
#include "obs/log.h"
#include "searchtext.h"

#include <QSqlQuery>
#include <QUuid>

#include <limits>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

QString newId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A prepared statement with its values bound, run; the failure names the statement's purpose.
class Statement {
public:
    Statement(QSqlDatabase &db, const QString &sql, QString purpose)
        : m_query(db)
        , m_purpose(std::move(purpose)) {
        m_query.setForwardOnly(true);
        m_prepared = m_query.prepare(sql);
    }

    Statement &bind(const QString &name, const QVariant &value) {
        m_query.bindValue(name, value);
        return *this;
    }

    [[nodiscard]] std::optional<Failure> run() {
        if (!m_prepared || !m_query.exec()) {
            return internalFailure(m_purpose, m_query.lastError().text());
        }
        return std::nullopt;
    }

    [[nodiscard]] QSqlQuery &query() { return m_query; }

private:
    QSqlQuery m_query;
    QString m_purpose;
    bool m_prepared = false;
};

std::optional<qint64> optionalMs(const QVariant &value) {
    if (value.isNull()) {
        return std::nullopt;
    }
    return value.toLongLong();
}

UserRecord userFromRow(const QSqlQuery &query, int first) {
    return UserRecord{query.value(first).toString(), query.value(first + 1).toString(),
                      query.value(first + 2).toLongLong(), optionalMs(query.value(first + 3))};
}

constexpr auto kUserColumns = "id, username, created_at, last_seen_at"_L1;

// Membership of userId in chatId: the chat's kind, or why the user may not see it.
Outcome<protocol::ChatKind> memberChatKind(QSqlDatabase &db, const QString &userId,
                                           const QString &chatId) {
    Statement check(db,
                    u"SELECT c.kind, (SELECT COUNT(*) FROM memberships m"
                    "  WHERE m.chat_id = c.id AND m.user_id = :user)"
                    " FROM chats c WHERE c.id = :chat"_s,
                    u"checking membership"_s);
    check.bind(u":user"_s, userId).bind(u":chat"_s, chatId);
    if (auto failure = check.run()) {
        return *failure;
    }
    if (!check.query().next()) {
        return Failure{FailureKind::NotFound, u"no such chat"_s};
    }
    if (check.query().value(1).toLongLong() == 0) {
        return Failure{FailureKind::Forbidden, u"you are not a member of this chat"_s};
    }
    return chatKindFromColumn(check.query().value(0));
}

// Runs a statement that selects one text column; its values.
Outcome<QStringList> textColumn(Statement &statement) {
    if (auto failure = statement.run()) {
        return *failure;
    }
    QStringList values;
    while (statement.query().next()) {
        values.append(statement.query().value(0).toString());
    }
    return values;
}

// Runs a statement that selects kUserColumns first; its users.
Outcome<QList<UserRecord>> userRows(Statement &statement) {
    if (auto failure = statement.run()) {
        return *failure;
    }
    QList<UserRecord> users;
    while (statement.query().next()) {
        users.append(userFromRow(statement.query(), 0));
    }
    return users;
}

Outcome<QStringList> memberIds(QSqlDatabase &db, const QString &chatId) {
    Statement members(db, u"SELECT user_id FROM memberships WHERE chat_id = :chat"_s,
                      u"reading members"_s);
    members.bind(u":chat"_s, chatId);
    return textColumn(members);
}

// The chat list's rows for one user; `filter` is a fixed condition on the row (never client text).
QString chatRowsSql(QLatin1StringView filter) {
    return u"SELECT * FROM ("
           " SELECT c.id AS chat_id, c.kind AS kind, c.name AS chat_name,"
           "  c.updated_at AS updated_at,"
           "  p.id AS partner_id, p.username AS partner_name, p.created_at AS partner_created,"
           "  p.last_seen_at AS partner_seen,"
           "  lm.id AS last_id, lm.text AS last_text, lm.sender_id AS last_sender,"
           "  lm.created_at AS last_created,"
           "  (SELECT COUNT(*) FROM messages u WHERE u.chat_id = c.id"
           "   AND u.seq > m.last_read_seq AND u.sender_id <> m.user_id) AS unread,"
           "  c.last_seq AS last_seq, c.last_mod_seq AS last_mod_seq,"
           "  CASE WHEN c.kind = 'room' THEN c.created_by END AS room_creator"
           " FROM memberships m"
           " JOIN chats c ON c.id = m.chat_id"
           " LEFT JOIN users p ON c.kind = 'direct' AND p.id = (CASE WHEN c.direct_low = m.user_id"
           "  THEN c.direct_high ELSE c.direct_low END)"
           " LEFT JOIN messages lm ON lm.chat_id = c.id AND lm.seq = c.last_seq"
           " WHERE m.user_id = :user) AS t %1"_s.arg(filter);
}

ChatSummary chatFromRow(const QSqlQuery &row) {
    ChatSummary chat;
    chat.id = row.value(0).toString();
    chat.kind = chatKindFromColumn(row.value(1));
    chat.name = row.value(2).toString();
    chat.updatedAtMs = row.value(3).toLongLong();
    if (!row.value(4).isNull()) {
        chat.partner = userFromRow(row, 4);
        chat.name = chat.partner->username;
    }
    if (!row.value(8).isNull()) {
        chat.lastMessage = LastMessage{row.value(8).toString(), row.value(9).toString(),
                                       row.value(10).toString(), row.value(11).toLongLong()};
    }
    chat.unreadCount = row.value(12).toLongLong();
    chat.lastSeq = row.value(13).toLongLong();
    chat.lastModSeq = row.value(14).toLongLong();
    chat.roomCreatorId = row.value(15).toString();
    return chat;
}

Outcome<ChatSummary> chatForUser(QSqlDatabase &db, const QString &userId, const QString &chatId) {
    Statement row(db, chatRowsSql("WHERE t.chat_id = :chat"_L1), u"reading a chat"_s);
    row.bind(u":user"_s, userId).bind(u":chat"_s, chatId);
    if (auto failure = row.run()) {
        return *failure;
    }
    if (!row.query().next()) {
        return Failure{FailureKind::NotFound, u"no such chat"_s};
    }
    return chatFromRow(row.query());
}

// seq of a message of this chat, for a history cursor.
Outcome<qint64> cursorSeq(QSqlDatabase &db, const QString &chatId, const QString &messageId,
                          QLatin1StringView parameter) {
    Statement cursor(db, u"SELECT seq FROM messages WHERE id = :id AND chat_id = :chat"_s,
                     u"reading a history cursor"_s);
    cursor.bind(u":id"_s, messageId).bind(u":chat"_s, chatId);
    if (auto failure = cursor.run()) {
        return *failure;
    }
    if (!cursor.query().next()) {
        return Failure{FailureKind::Invalid, u"%1 is not a message of this chat"_s.arg(parameter)};
    }
    return cursor.query().value(0).toLongLong();
}

} // namespace

protocol::ChatKind chatKindFromColumn(const QVariant &value) {
    // The schema's CHECK allows no other value.
    return protocol::chatKindFromName(value.toString()).value_or(protocol::ChatKind::Room);
}

Failure internalFailure(const QString &what, const QString &detail) {
    qCWarning(lcDb).noquote() << u"%1 failed: %2"_s.arg(what, detail);
    return Failure{FailureKind::Internal, u"%1 failed"_s.arg(what)};
}

protocol::ChatMessage messageFromRow(const QSqlQuery &query) {
    protocol::ChatMessage message{
        query.value(0).toString(),
        query.value(1).toString(),
        query.value(2).toLongLong(),
        query.value(3).toString(),
        query.value(4).toString(),
        query.value(5).toString(),
        QDateTime::fromMSecsSinceEpoch(query.value(6).toLongLong(), Qt::UTC),
    };
    if (const QVariant edited = query.value(7); !edited.isNull()) {
        message.editedAt = QDateTime::fromMSecsSinceEpoch(edited.toLongLong(), Qt::UTC);
    }
    message.deleted = !query.value(8).isNull();
    if (const QVariant replyTo = query.value(9); !replyTo.isNull()) {
        message.replyToId = replyTo.toString();
    }
    message.modSeq = query.value(10).toLongLong();
    return message;
}

namespace {

// "?, ?, ?" for count placeholders.
QString placeholderList(qsizetype count) {
    QString text = u"?"_s;
    for (qsizetype i = 1; i < count; ++i) {
        text += u", ?"_s;
    }
    return text;
}

protocol::Upload uploadFromRow(const QSqlQuery &query) {
    return protocol::Upload{query.value(0).toString(), query.value(1).toString(),
                            query.value(2).toString(), query.value(3).toLongLong(),
                            QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong(), Qt::UTC)};
}

constexpr auto kUploadColumns = "id, filename, content_type, size, created_at"_L1;

// Runs a statement about some of messages (those wanted picks) whose %1 is the list of their
// ids, with each row and the message its first column names.
template <typename Wanted, typename Row>
Outcome<Done> forEachMessageRow(QSqlDatabase &db, QList<protocol::ChatMessage> &messages,
                                Wanted wanted, const QString &statement, const QString &purpose,
                                Row row) {
    QStringList ids;
    QHash<QString, qsizetype> indexById;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (wanted(messages[i])) {
            ids.append(messages[i].id);
            indexById.insert(messages[i].id, i);
        }
    }
    if (ids.isEmpty()) {
        return Done{};
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(statement.arg(placeholderList(ids.size())))) {
        return internalFailure(purpose, query.lastError().text());
    }
    for (const QString &id : std::as_const(ids)) {
        query.addBindValue(id);
    }
    if (!query.exec()) {
        return internalFailure(purpose, query.lastError().text());
    }
    while (query.next()) {
        row(query, messages[indexById.value(query.value(0).toString())]);
    }
    return Done{};
}

Outcome<Done> addAttachments(QSqlDatabase &db, QList<protocol::ChatMessage> &messages) {
    return forEachMessageRow(
        db, messages, [](const protocol::ChatMessage &message) { return !message.deleted; },
        u"SELECT message_id, id, filename, content_type, size FROM uploads"
        " WHERE message_id IN (%1) ORDER BY position"_s,
        u"reading attachments"_s,
        [](const QSqlQuery &row, protocol::ChatMessage &message) {
            message.attachments.append(
                protocol::Attachment{row.value(1).toString(), row.value(2).toString(),
                                     row.value(3).toString(), row.value(4).toLongLong()});
        });
}

Outcome<Done> addReactions(QSqlDatabase &db, QList<protocol::ChatMessage> &messages) {
    return forEachMessageRow(
        db, messages,
        // Only a message changed since it was sent can carry reactions.
        [](const protocol::ChatMessage &message) { return message.modSeq > 0 && !message.deleted; },
        u"SELECT message_id, emoji, user_id FROM reactions"
        " WHERE message_id IN (%1) ORDER BY position"_s,
        u"reading reactions"_s,
        [](const QSqlQuery &row, protocol::ChatMessage &message) {
            const QString emoji = row.value(1).toString();
            auto reaction = std::find_if(message.reactions.begin(), message.reactions.end(),
                                         [&emoji](const auto &r) { return r.emoji == emoji; });
            if (reaction == message.reactions.end()) {
                message.reactions.append(protocol::Reaction{emoji, {}});
                reaction = message.reactions.end() - 1;
            }
            reaction->userIds.append(row.value(2).toString());
        });
}

} // namespace

Outcome<Done> addDetails(QSqlDatabase &db, QList<protocol::ChatMessage> &messages) {
    if (auto reactions = addReactions(db, messages); !succeeded(reactions)) {
        return reactions;
    }
    return addAttachments(db, messages);
}

namespace queries {

Outcome<UserRecord> createUser(QSqlDatabase &db, const QString &username,
                               const QByteArray &passwordHash, qint64 nowMs) {
    UserRecord user{newId(), username, nowMs, std::nullopt};
    // ON CONFLICT: a name taken by a concurrent registration (on any instance) is a conflict, not
    // an error of the transaction.
    Statement insert(db,
                     u"INSERT INTO users (id, username, username_key, password_hash, created_at)"
                     " VALUES (:id, :username, :key, :hash, :now) ON CONFLICT DO NOTHING"_s,
                     u"creating a user"_s);
    insert.bind(u":id"_s, user.id)
        .bind(u":username"_s, username)
        .bind(u":key"_s, username.toLower())
        .bind(u":hash"_s, QString::fromLatin1(passwordHash))
        .bind(u":now"_s, nowMs);
    if (auto failure = insert.run()) {
        return *failure;
    }
    if (insert.query().numRowsAffected() != 1) {
        return Failure{FailureKind::Conflict, u"the username is taken"_s};
    }
    // Every account is in the lobby; what was said there before it joined is not unread.
    Statement lobby(db,
                    u"INSERT INTO memberships (chat_id, user_id, joined_at, last_read_seq)"
                    " SELECT id, :user, :now, last_seq FROM chats WHERE id = :lobby"_s,
                    u"joining the lobby"_s);
    lobby.bind(u":user"_s, user.id)
        .bind(u":now"_s, nowMs)
        .bind(u":lobby"_s, QString(protocol::kLobbyId));
    if (auto failure = lobby.run()) {
        return *failure;
    }
    return user;
}

Outcome<LoginRecord> findLogin(QSqlDatabase &db, const QString &username) {
    Statement find(
        db, u"SELECT %1, password_hash FROM users WHERE username_key = :key"_s.arg(kUserColumns),
        u"reading a user"_s);
    find.bind(u":key"_s, username.toLower());
    if (auto failure = find.run()) {
        return *failure;
    }
    if (!find.query().next()) {
        return Failure{FailureKind::NotFound, u"no such user"_s};
    }
    return LoginRecord{userFromRow(find.query(), 0), find.query().value(4).toString().toLatin1()};
}

Outcome<bool> isUsernameTaken(QSqlDatabase &db, const QString &name) {
    Statement find(db, u"SELECT 1 FROM users WHERE username_key = :key"_s, u"looking a name up"_s);
    find.bind(u":key"_s, name.toLower());
    if (auto failure = find.run()) {
        return *failure;
    }
    return find.query().next();
}

Outcome<UserRecord> findUser(QSqlDatabase &db, const QString &userId) {
    Statement find(db, u"SELECT %1 FROM users WHERE id = :id"_s.arg(kUserColumns),
                   u"reading a user"_s);
    find.bind(u":id"_s, userId);
    if (auto failure = find.run()) {
        return *failure;
    }
    if (!find.query().next()) {
        return Failure{FailureKind::NotFound, u"no such user"_s};
    }
    return userFromRow(find.query(), 0);
}

Outcome<QList<UserRecord>> searchUsers(QSqlDatabase &db, const QString &prefix, int limit) {
    QString pattern = prefix.toLower();
    pattern.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    Statement search(db,
                     u"SELECT %1 FROM users WHERE username_key LIKE :pattern ESCAPE '\\'"
                     " ORDER BY username_key LIMIT :limit"_s.arg(kUserColumns),
                     u"searching users"_s);
    search.bind(u":pattern"_s, QString(pattern + u'%')).bind(u":limit"_s, limit);
    return userRows(search);
}

Outcome<Done> touchLastSeen(QSqlDatabase &db, const QString &userId, qint64 nowMs) {
    Statement touch(db, u"UPDATE users SET last_seen_at = :now WHERE id = :id"_s,
                    u"recording when a user was last seen"_s);
    touch.bind(u":now"_s, nowMs).bind(u":id"_s, userId);
    if (auto failure = touch.run()) {
        return *failure;
    }
    return Done{};
}

Outcome<DirectChat> openDirectChat(QSqlDatabase &db, const QString &userId,
                                   const QString &partnerId, qint64 nowMs) {
    if (userId == partnerId) {
        return Failure{FailureKind::Invalid, u"a direct chat needs someone other than you"_s};
    }
    const Outcome<UserRecord> partner = findUser(db, partnerId);
    if (!succeeded(partner)) {
        return std::get<Failure>(partner);
    }
    // The pair is stored ordered, so both users find the same row whoever opened it.
    const QString low = std::min(userId, partnerId);
    const QString high = std::max(userId, partnerId);
    const QString chatId = newId();
    Statement insert(db,
                     u"INSERT INTO chats (id, kind, direct_low, direct_high, created_by,"
                     " created_at, updated_at)"
                     " VALUES (:id, 'direct', :low, :high, :user, :now, :now)"
                     " ON CONFLICT DO NOTHING"_s,
                     u"creating a direct chat"_s);
    insert.bind(u":id"_s, chatId)
        .bind(u":low"_s, low)
        .bind(u":high"_s, high)
        .bind(u":user"_s, userId)
        .bind(u":now"_s, nowMs);
    if (auto failure = insert.run()) {
        return *failure;
    }
    DirectChat result;
    result.created = insert.query().numRowsAffected() == 1;
    QString id = chatId;
    if (result.created) {
        for (const QString &member : {low, high}) {
            Statement join(db,
                           u"INSERT INTO memberships (chat_id, user_id, joined_at)"
                           " VALUES (:chat, :user, :now)"_s,
                           u"adding a direct chat member"_s);
            join.bind(u":chat"_s, chatId).bind(u":user"_s, member).bind(u":now"_s, nowMs);
            if (auto failure = join.run()) {
                return *failure;
            }
        }
    } else {
        Statement existing(db,
                           u"SELECT id FROM chats WHERE kind = 'direct'"
                           " AND direct_low = :low AND direct_high = :high"_s,
                           u"reading a direct chat"_s);
        existing.bind(u":low"_s, low).bind(u":high"_s, high);
        if (auto failure = existing.run()) {
            return *failure;
        }
        if (!existing.query().next()) {
            return internalFailure(u"reading a direct chat"_s, u"the pair's chat vanished"_s);
        }
        id = existing.query().value(0).toString();
    }
    Outcome<ChatSummary> chat = chatForUser(db, userId, id);
    if (!succeeded(chat)) {
        return std::get<Failure>(chat);
    }
    result.chat = std::get<ChatSummary>(std::move(chat));
    return result;
}

Outcome<RoomRecord> createRoom(QSqlDatabase &db, const QString &userId, const QString &name,
                               qint64 nowMs) {
    RoomRecord room{newId(), name, nowMs, 1};
    Statement insert(db,
                     u"INSERT INTO chats (id, kind, name, created_by, created_at, updated_at)"
                     " VALUES (:id, 'room', :name, :user, :now, :now)"_s,
                     u"creating a room"_s);
    insert.bind(u":id"_s, room.id)
        .bind(u":name"_s, name)
        .bind(u":user"_s, userId)
        .bind(u":now"_s, nowMs);
    if (auto failure = insert.run()) {
        return *failure;
    }
    Statement join(db,
                   u"INSERT INTO memberships (chat_id, user_id, joined_at)"
                   " VALUES (:chat, :user, :now)"_s,
                   u"adding the room's creator"_s);
    join.bind(u":chat"_s, room.id).bind(u":user"_s, userId).bind(u":now"_s, nowMs);
    if (auto failure = join.run()) {
        return *failure;
    }
    return room;
}

namespace {

Outcome<Done> requireRoom(QSqlDatabase &db, const QString &roomId) {
    Statement room(db, u"SELECT 1 FROM chats WHERE id = :id AND kind = 'room'"_s,
                   u"reading a room"_s);
    room.bind(u":id"_s, roomId);
    if (auto failure = room.run()) {
        return *failure;
    }
    if (!room.query().next()) {
        return Failure{FailureKind::NotFound, u"no such room"_s};
    }
    return Done{};
}

} // namespace

Outcome<Done> joinRoom(QSqlDatabase &db, const QString &userId, const QString &roomId,
                       qint64 nowMs) {
    if (Outcome<Done> room = requireRoom(db, roomId); !succeeded(room)) {
        return room;
    }
    // Joining twice changes nothing; history from before the join is readable but not unread.
    Statement join(db,
                   u"INSERT INTO memberships (chat_id, user_id, joined_at, last_read_seq)"
                   " SELECT id, :user, :now, last_seq FROM chats WHERE id = :room"
                   " ON CONFLICT DO NOTHING"_s,
                   u"joining a room"_s);
    join.bind(u":user"_s, userId).bind(u":now"_s, nowMs).bind(u":room"_s, roomId);
    if (auto failure = join.run()) {
        return *failure;
    }
    return Done{};
}

Outcome<Done> leaveRoom(QSqlDatabase &db, const QString &userId, const QString &roomId) {
    if (Outcome<Done> room = requireRoom(db, roomId); !succeeded(room)) {
        return room;
    }
    Statement leave(db, u"DELETE FROM memberships WHERE chat_id = :room AND user_id = :user"_s,
                    u"leaving a room"_s);
    leave.bind(u":room"_s, roomId).bind(u":user"_s, userId);
    if (auto failure = leave.run()) {
        return *failure;
    }
    return Done{};
}

Outcome<RoomPage> listRooms(QSqlDatabase &db, int limit, int offset) {
    Statement rooms(db,
                    u"SELECT c.id, c.name, c.created_at,"
                    " (SELECT COUNT(*) FROM memberships m WHERE m.chat_id = c.id)"
                    " FROM chats c WHERE c.kind = 'room'"
                    " ORDER BY c.updated_at DESC, c.id LIMIT :limit OFFSET :offset"_s,
                    u"listing rooms"_s);
    rooms.bind(u":limit"_s, limit).bind(u":offset"_s, offset);
    if (auto failure = rooms.run()) {
        return *failure;
    }
    RoomPage page;
    while (rooms.query().next()) {
        const QSqlQuery &row = rooms.query();
        page.rooms.append(RoomRecord{row.value(0).toString(), row.value(1).toString(),
                                     row.value(2).toLongLong(), row.value(3).toLongLong()});
    }
    Statement total(db, u"SELECT COUNT(*) FROM chats WHERE kind = 'room'"_s, u"counting rooms"_s);
    if (auto failure = total.run()) {
        return *failure;
    }
    page.total = total.query().next() ? total.query().value(0).toLongLong() : 0;
    page.hasMore = offset + page.rooms.size() < page.total;
    return page;
}

Outcome<ChatPage> listChats(QSqlDatabase &db, const QString &userId, int limit, int offset,
                            bool unreadOnly) {
    const QLatin1StringView filter = unreadOnly ? "WHERE t.unread > 0"_L1 : ""_L1;
    Statement rows(db,
                   chatRowsSql(filter) +
                       u" ORDER BY t.updated_at DESC, t.chat_id LIMIT :limit OFFSET :offset"_s,
                   u"listing chats"_s);
    rows.bind(u":user"_s, userId).bind(u":limit"_s, limit).bind(u":offset"_s, offset);
    if (auto failure = rows.run()) {
        return *failure;
    }
    ChatPage page;
    while (rows.query().next()) {
        page.chats.append(chatFromRow(rows.query()));
    }
    Statement total(db, u"SELECT COUNT(*) FROM (%1) AS counted"_s.arg(chatRowsSql(filter)),
                    u"counting chats"_s);
    total.bind(u":user"_s, userId);
    if (auto failure = total.run()) {
        return *failure;
    }
    page.total = total.query().next() ? total.query().value(0).toLongLong() : 0;
    page.hasMore = offset + page.chats.size() < page.total;
    return page;
}

namespace {

// Up to limit messages of chatId on one side of a seq (all of them when side is empty), nearest
// first: " AND seq < :cursor" newest first, " AND seq > :cursor" or " AND seq >= :cursor"
// oldest first.
Outcome<QList<protocol::ChatMessage>> historyRows(QSqlDatabase &db, const QString &chatId,
                                                  QLatin1StringView side, qint64 cursor,
                                                  bool newestFirst, int limit) {
    Statement page(
        db,
        u"SELECT %1 FROM messages WHERE chat_id = :chat%2 ORDER BY seq %3 LIMIT :limit"_s.arg(
            kMessageColumns, side, newestFirst ? "DESC"_L1 : "ASC"_L1),
        u"reading history"_s);
    page.bind(u":chat"_s, chatId).bind(u":limit"_s, limit);
    if (!side.isEmpty()) {
        page.bind(u":cursor"_s, cursor);
    }
    if (auto failure = page.run()) {
        return *failure;
    }
    QList<protocol::ChatMessage> messages;
    while (page.query().next()) {
        messages.append(messageFromRow(page.query()));
    }
    return messages;
}

} // namespace

Outcome<HistoryPage> history(QSqlDatabase &db, const QString &userId, const HistoryQuery &query) {
    if (Outcome<protocol::ChatKind> kind = memberChatKind(db, userId, query.chatId);
        !succeeded(kind)) {
        return std::get<Failure>(kind);
    }
    // Keyset pagination on seq: one extra row tells whether more lie beyond the page.
    const std::optional<QString> &cursorId =
        query.beforeId ? query.beforeId : (query.afterId ? query.afterId : query.aroundId);
    qint64 cursor = 0;
    if (cursorId) {
        const auto parameter =
            query.beforeId ? "before_id"_L1 : (query.afterId ? "after_id"_L1 : "around_id"_L1);
        Outcome<qint64> seq = cursorSeq(db, query.chatId, *cursorId, parameter);
        if (!succeeded(seq)) {
            return std::get<Failure>(seq);
        }
        cursor = std::get<qint64>(seq);
    }
    const bool newestFirst = !query.afterId;
    const auto side =
        query.beforeId
            ? " AND seq < :cursor"_L1
            : (query.afterId ? " AND seq > :cursor"_L1
                             : (query.aroundId ? " AND seq < :cursor"_L1 : QLatin1StringView()));
    Outcome<QList<protocol::ChatMessage>> read =
        historyRows(db, query.chatId, side, cursor, newestFirst, query.limit + 1);
    if (!succeeded(read)) {
        return std::get<Failure>(read);
    }
    QList<protocol::ChatMessage> nearest = std::get<QList<protocol::ChatMessage>>(std::move(read));
    HistoryPage result;
    if (query.aroundId) {
        // The message and what follows it, then as many older ones as make it the middle (more
        // on either side when the other runs out).
        Outcome<QList<protocol::ChatMessage>> readNewer =
            historyRows(db, query.chatId, " AND seq >= :cursor"_L1, cursor, false, query.limit + 1);
        if (!succeeded(readNewer)) {
            return std::get<Failure>(readNewer);
        }
        const auto &newer = std::get<QList<protocol::ChatMessage>>(readNewer);
        const qsizetype older = nearest.size();
        const qsizetype wantOlder = (query.limit - 1) / 2;
        const qsizetype takeNewer =
            std::min<qsizetype>(newer.size(), query.limit - std::min(older, wantOlder));
        const qsizetype takeOlder = std::min<qsizetype>(older, query.limit - takeNewer);
        result.hasPrevious = older > takeOlder;
        result.hasNext = newer.size() > takeNewer;
        for (qsizetype i = takeOlder - 1; i >= 0; --i) {
            result.messages.append(nearest[i]);
        }
        result.messages.append(newer.mid(0, takeNewer));
    } else {
        const bool beyond = nearest.size() > query.limit;
        if (beyond) {
            nearest.removeLast();
        }
        result.messages = std::move(nearest);
        if (newestFirst) {
            std::reverse(result.messages.begin(), result.messages.end());
            result.hasPrevious = beyond;
            result.hasNext = query.beforeId.has_value(); // the cursor message itself is newer
        } else {
            result.hasNext = beyond;
            result.hasPrevious = true; // the cursor message itself is older
        }
    }
    if (auto reactions = addDetails(db, result.messages); !succeeded(reactions)) {
        return std::get<Failure>(reactions);
    }
    return result;
}

namespace {

// Messages of chatId with afterSeq < seq <= upToSeq, oldest first, at most limit.
Outcome<QList<protocol::ChatMessage>> messagesInRange(QSqlDatabase &db, const QString &chatId,
                                                      qint64 afterSeq, qint64 upToSeq, int limit) {
    Statement range(db,
                    u"SELECT %1 FROM messages WHERE chat_id = :chat AND seq > :after"
                    " AND seq <= :upto ORDER BY seq LIMIT :limit"_s.arg(kMessageColumns),
                    u"reading messages"_s);
    range.bind(u":chat"_s, chatId)
        .bind(u":after"_s, afterSeq)
        .bind(u":upto"_s, upToSeq)
        .bind(u":limit"_s, limit);
    if (auto failure = range.run()) {
        return *failure;
    }
    QList<protocol::ChatMessage> messages;
    while (range.query().next()) {
        messages.append(messageFromRow(range.query()));
    }
    if (auto reactions = addDetails(db, messages); !succeeded(reactions)) {
        return std::get<Failure>(reactions);
    }
    return messages;
}

} // namespace

Outcome<ReplayPage> replay(QSqlDatabase &db, const ReplayQuery &query) {
    if (access::needsMembership(query.chatId)) {
        if (Outcome<protocol::ChatKind> kind = memberChatKind(db, query.userId, query.chatId);
            !succeeded(kind)) {
            return std::get<Failure>(kind);
        }
    }
    // The counters first: every change up to them is committed (each took its value in the
    // transaction that made it, in the chat row's lock), so the page can end at them.
    Statement counters(db, u"SELECT last_seq, last_mod_seq FROM chats WHERE id = :chat"_s,
                       u"reading a chat's counters"_s);
    counters.bind(u":chat"_s, query.chatId);
    if (auto failure = counters.run()) {
        return *failure;
    }
    if (!counters.query().next()) {
        return Failure{FailureKind::NotFound, u"no such chat"_s};
    }
    ReplayPage page;
    page.lastSeq = counters.query().value(0).toLongLong();
    page.lastModSeq = counters.query().value(1).toLongLong();
    if (!query.changes) {
        Outcome<QList<protocol::ChatMessage>> messages =
            messagesInRange(db, query.chatId, query.after, page.lastSeq, query.limit);
        if (!succeeded(messages)) {
            return std::get<Failure>(messages);
        }
        page.messages = std::get<QList<protocol::ChatMessage>>(std::move(messages));
        return page;
    }
    Statement changed(db,
                      u"SELECT %1 FROM messages WHERE chat_id = :chat AND mod_seq > :after"
                      " AND mod_seq <= :upto ORDER BY mod_seq LIMIT :limit"_s.arg(kMessageColumns),
                      u"reading changed messages"_s);
    changed.bind(u":chat"_s, query.chatId)
        .bind(u":after"_s, query.after)
        .bind(u":upto"_s, page.lastModSeq)
        .bind(u":limit"_s, query.limit);
    if (auto failure = changed.run()) {
        return *failure;
    }
    while (changed.query().next()) {
        page.messages.append(messageFromRow(changed.query()));
    }
    if (auto reactions = addDetails(db, page.messages); !succeeded(reactions)) {
        return std::get<Failure>(reactions);
    }
    return page;
}

namespace {

// Fewer messages than this with the words: PostgreSQL takes them all from the index and sorts.
constexpr int kRareMatches = 1000;

} // namespace

Outcome<SearchPage> search(QSqlDatabase &db, const SearchQuery &query) {
    if (query.chatId) {
        if (Outcome<protocol::ChatKind> kind = memberChatKind(db, query.userId, *query.chatId);
            !succeeded(kind)) {
            return std::get<Failure>(kind);
        }
    }
    QString columns;
    for (const QString &column : QString(kMessageColumns).split(u',')) {
        columns += (columns.isEmpty() ? u"m."_s : u", m."_s) + column.trimmed();
    }
    // The words are letters, digits and marks only (searchtext.h): nothing in them is syntax.
    const bool sqlite = db.driverName() == "QSQLITE"_L1;
    QStringList terms;
    for (qsizetype i = 0; i < query.words.size(); ++i) {
        const bool last = i == query.words.size() - 1;
        terms.append(sqlite ? u"\"%1\"%2"_s.arg(query.words[i], last ? u"*"_s : QString())
                            : query.words[i] + (last ? u":*"_s : QString()));
    }
    const QString joined = terms.join(sqlite ? u" "_s : u" & "_s);
    QString match;
    if (sqlite) {
        match = u"SELECT %1 FROM messages_search JOIN messages m ON m.rowid = messages_search.rowid"
                " %2 WHERE messages_search MATCH :terms"_s;
    } else {
        // PostgreSQL plans "newest first, at most a page" as a walk back through the primary key
        // checking each message, which is quick for common words and reads the whole table for
        // one that few or no messages have, whatever its statistics say. So first ask the index
        // whether the words are rare; if they are, take all their messages from it and sort.
        Statement probe(
            db,
            u"SELECT COUNT(*) FROM (SELECT 1 FROM messages"
            " WHERE search_vector @@ to_tsquery('simple', :terms) LIMIT %1) AS probe"_s.arg(
                kRareMatches),
            u"searching messages"_s);
        probe.bind(u":terms"_s, joined);
        if (auto failure = probe.run()) {
            return *failure;
        }
        const bool rare = probe.query().next() && probe.query().value(0).toInt() < kRareMatches;
        match = rare ? u"WITH m AS MATERIALIZED (SELECT "_s + QString(kMessageColumns) +
                           u" FROM messages WHERE search_vector @@ to_tsquery('simple', :terms))"
                           " SELECT %1 FROM m %2 WHERE TRUE"_s
                     : u"SELECT %1 FROM messages m %2"
                       " WHERE m.search_vector @@ to_tsquery('simple', :terms)"_s;
    }
    QString sql =
        match.arg(columns,
                  u"JOIN memberships ms ON ms.chat_id = m.chat_id AND ms.user_id = :user"_s) +
        u" AND m.deleted_at IS NULL"_s;
    if (query.chatId) {
        sql += u" AND m.chat_id = :chat"_s;
    }
    // Newest first across chats. On SQLite by the index's rowid, the order messages were stored
    // in: FTS5 then walks its matches from the newest and stops at the page, where ordering by
    // id would read and sort every match of a common word. On PostgreSQL by id, which sorts by
    // creation time (messageid.h).
    if (query.beforeId) {
        sql +=
            sqlite
                ? u" AND messages_search.rowid < (SELECT rowid FROM messages WHERE id = :before)"_s
                : u" AND m.id < :before"_s;
    }
    sql += sqlite ? u" ORDER BY messages_search.rowid DESC LIMIT :limit"_s
                  : u" ORDER BY m.id DESC LIMIT :limit"_s;
    Statement found(db, sql, u"searching messages"_s);
    found.bind(u":terms"_s, joined)
        .bind(u":user"_s, query.userId)
        .bind(u":limit"_s, query.limit + 1);
    if (query.chatId) {
        found.bind(u":chat"_s, *query.chatId);
    }
    if (query.beforeId) {
        found.bind(u":before"_s, *query.beforeId);
    }
    if (auto failure = found.run()) {
        return *failure;
    }
    SearchPage page;
    while (found.query().next()) {
        page.messages.append(messageFromRow(found.query()));
    }
    page.hasMore = page.messages.size() > query.limit;
    if (page.hasMore) {
        page.messages.removeLast();
    }
    if (auto reactions = addDetails(db, page.messages); !succeeded(reactions)) {
        return std::get<Failure>(reactions);
    }
    return page;
}

namespace {

// A message someone wants to change, and what decides whether they may.
struct ChangeTarget {
    QString chatId;
    QString senderId;
    QString roomCreator;
    bool deleted = false;
    ChatAudience audience;
};

// The message if userId may see it (NotFound otherwise: a stranger learns nothing of it), with
// the chat's members.
Outcome<ChangeTarget> changeTarget(QSqlDatabase &db, const QString &userId,
                                   const QString &messageId) {
    Statement find(db,
                   u"SELECT m.chat_id, m.sender_id, m.deleted_at, c.kind, c.created_by"
                   " FROM messages m JOIN chats c ON c.id = m.chat_id WHERE m.id = :id"_s,
                   u"finding a message"_s);
    find.bind(u":id"_s, messageId);
    if (auto failure = find.run()) {
        return *failure;
    }
    const Failure unknown{FailureKind::NotFound, u"no such message"_s};
    if (!find.query().next()) {
        return unknown;
    }
    ChangeTarget target;
    target.chatId = find.query().value(0).toString();
    target.senderId = find.query().value(1).toString();
    target.deleted = !find.query().value(2).isNull();
    target.audience.kind = chatKindFromColumn(find.query().value(3));
    target.roomCreator = find.query().value(4).toString();
    if (access::needsMembership(target.chatId)) {
        Outcome<QStringList> members = memberIds(db, target.chatId);
        if (!succeeded(members)) {
            return std::get<Failure>(members);
        }
        target.audience.memberIds = std::get<QStringList>(std::move(members));
        if (!target.audience.memberIds.contains(userId)) {
            return unknown;
        }
    }
    return target;
}

Failure deletedFailure() {
    return Failure{FailureKind::Conflict, u"the message was deleted"_s, "message_deleted"_L1};
}

// Takes the chat's next mod_seq for a change of messageId and records it on the message.
Outcome<qint64> takeModSeq(QSqlDatabase &db, const QString &chatId, const QString &messageId) {
    Statement next(db,
                   u"UPDATE chats SET last_mod_seq = last_mod_seq + 1 WHERE id = :chat"
                   " RETURNING last_mod_seq"_s,
                   u"counting a change"_s);
    next.bind(u":chat"_s, chatId);
    if (auto failure = next.run()) {
        return *failure;
    }
    if (!next.query().next()) {
        return internalFailure(u"counting a change"_s, u"the chat is gone"_s);
    }
    const qint64 modSeq = next.query().value(0).toLongLong();
    next.query().finish();
    Statement mark(db, u"UPDATE messages SET mod_seq = :mod WHERE id = :id"_s,
                   u"counting a change"_s);
    mark.bind(u":mod"_s, modSeq).bind(u":id"_s, messageId);
    if (auto failure = mark.run()) {
        return *failure;
    }
    return modSeq;
}

// The message as it is now, with whom to tell.
Outcome<MessageChange> changed(QSqlDatabase &db, const QString &messageId, ChatAudience audience) {
    Statement read(db, u"SELECT %1 FROM messages WHERE id = :id"_s.arg(kMessageColumns),
                   u"reading a changed message"_s);
    read.bind(u":id"_s, messageId);
    if (auto failure = read.run()) {
        return *failure;
    }
    if (!read.query().next()) {
        return internalFailure(u"reading a changed message"_s, u"the message is gone"_s);
    }
    QList<protocol::ChatMessage> messages{messageFromRow(read.query())};
    if (auto reactions = addDetails(db, messages); !succeeded(reactions)) {
        return std::get<Failure>(reactions);
    }
    return MessageChange{messages.takeFirst(), std::move(audience)};
}

} // namespace

Outcome<MessageChange> editMessage(QSqlDatabase &db, const QString &userId,
                                   const QString &messageId, const QString &text, qint64 nowMs) {
    Outcome<ChangeTarget> found = changeTarget(db, userId, messageId);
    if (!succeeded(found)) {
        return std::get<Failure>(found);
    }
    auto &target = std::get<ChangeTarget>(found);
    if (target.senderId != userId) {
        return Failure{FailureKind::Forbidden, u"only its author may edit a message"_s};
    }
    if (target.deleted) {
        return deletedFailure();
    }
    if (auto modSeq = takeModSeq(db, target.chatId, messageId); !succeeded(modSeq)) {
        return std::get<Failure>(modSeq);
    }
    Statement edit(db,
                   u"UPDATE messages SET text = :text, edited_at = :now, search_text = :words"
                   " WHERE id = :id"_s,
                   u"editing a message"_s);
    edit.bind(u":text"_s, text)
        .bind(u":now"_s, nowMs)
        .bind(u":words"_s, search::indexedText(text))
        .bind(u":id"_s, messageId);
    if (auto failure = edit.run()) {
        return *failure;
    }
    return changed(db, messageId, std::move(target.audience));
}

Outcome<MessageChange> deleteMessage(QSqlDatabase &db, const QString &userId,
                                     const QString &messageId, qint64 nowMs) {
    Outcome<ChangeTarget> found = changeTarget(db, userId, messageId);
    if (!succeeded(found)) {
        return std::get<Failure>(found);
    }
    auto &target = std::get<ChangeTarget>(found);
    const bool roomCreator =
        target.audience.kind == protocol::ChatKind::Room && target.roomCreator == userId;
    if (target.senderId != userId && !roomCreator) {
        return Failure{FailureKind::Forbidden,
                       u"only its author or the room's creator may delete a message"_s};
    }
    if (target.deleted) {
        // Deleting twice changes nothing: the message is gone either way.
        Outcome<MessageChange> current = changed(db, messageId, std::move(target.audience));
        if (auto *change = std::get_if<MessageChange>(&current)) {
            change->changed = false;
        }
        return current;
    }
    if (auto modSeq = takeModSeq(db, target.chatId, messageId); !succeeded(modSeq)) {
        return std::get<Failure>(modSeq);
    }
    Statement reactions(db, u"DELETE FROM reactions WHERE message_id = :id"_s,
                        u"deleting a message's reactions"_s);
    reactions.bind(u":id"_s, messageId);
    if (auto failure = reactions.run()) {
        return *failure;
    }
    for (const QString &statement : {u"DELETE FROM upload_chunks WHERE upload_id IN"
                                     " (SELECT id FROM uploads WHERE message_id = :id)"_s,
                                     u"DELETE FROM uploads WHERE message_id = :id"_s}) {
        Statement files(db, statement, u"deleting a message's files"_s);
        files.bind(u":id"_s, messageId);
        if (auto failure = files.run()) {
            return *failure;
        }
    }
    Statement empty(db,
                    u"UPDATE messages SET text = '', search_text = '', deleted_at = :now"
                    " WHERE id = :id"_s,
                    u"deleting a message"_s);
    empty.bind(u":now"_s, nowMs).bind(u":id"_s, messageId);
    if (auto failure = empty.run()) {
        return *failure;
    }
    return changed(db, messageId, std::move(target.audience));
}

Outcome<MessageChange> changeReaction(QSqlDatabase &db, const QString &userId,
                                      const QString &messageId, const QString &emoji,
                                      ReactionChange change) {
    Outcome<ChangeTarget> found = changeTarget(db, userId, messageId);
    if (!succeeded(found)) {
        return std::get<Failure>(found);
    }
    auto &target = std::get<ChangeTarget>(found);
    if (target.deleted) {
        return deletedFailure();
    }
    Statement present(
        db,
        u"SELECT (SELECT COUNT(*) FROM reactions WHERE message_id = :id"
        "  AND emoji = :emoji AND user_id = :user),"
        " (SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = :id2),"
        " (SELECT COUNT(*) FROM reactions WHERE message_id = :id3 AND emoji = :emoji2)"_s,
        u"reading reactions"_s);
    present.bind(u":id"_s, messageId)
        .bind(u":emoji"_s, emoji)
        .bind(u":user"_s, userId)
        .bind(u":id2"_s, messageId)
        .bind(u":id3"_s, messageId)
        .bind(u":emoji2"_s, emoji);
    if (auto failure = present.run()) {
        return *failure;
    }
    if (!present.query().next()) {
        return internalFailure(u"reading reactions"_s, u"no row"_s);
    }
    const bool mine = present.query().value(0).toLongLong() > 0;
    const qint64 distinct = present.query().value(1).toLongLong();
    const bool emojiUsed = present.query().value(2).toLongLong() > 0;
    present.query().finish();
    if ((change == ReactionChange::Add) == mine) {
        Outcome<MessageChange> current = changed(db, messageId, std::move(target.audience));
        if (auto *unchanged = std::get_if<MessageChange>(&current)) {
            unchanged->changed = false;
        }
        return current;
    }
    if (change == ReactionChange::Add && !emojiUsed &&
        distinct >= protocol::kMaxReactionsPerMessage) {
        return Failure{FailureKind::Conflict,
                       u"a message carries at most %1 different emoji"_s.arg(
                           protocol::kMaxReactionsPerMessage),
                       "too_many_reactions"_L1};
    }
    Outcome<qint64> modSeq = takeModSeq(db, target.chatId, messageId);
    if (!succeeded(modSeq)) {
        return std::get<Failure>(modSeq);
    }
    Statement write(db,
                    change == ReactionChange::Add
                        ? u"INSERT INTO reactions (message_id, emoji, user_id, position)"
                          " VALUES (:id, :emoji, :user, :position)"_s
                        : u"DELETE FROM reactions WHERE message_id = :id AND emoji = :emoji"
                          " AND user_id = :user"_s,
                    u"changing a reaction"_s);
    write.bind(u":id"_s, messageId).bind(u":emoji"_s, emoji).bind(u":user"_s, userId);
    if (change == ReactionChange::Add) {
        write.bind(u":position"_s, std::get<qint64>(modSeq));
    }
    if (auto failure = write.run()) {
        return *failure;
    }
    return changed(db, messageId, std::move(target.audience));
}

Outcome<RelayPage> relayPage(QSqlDatabase &db, const QString &chatId, qint64 afterSeq,
                             qint64 upToSeq, int limit) {
    Statement chat(db, u"SELECT kind FROM chats WHERE id = :chat"_s, u"reading a chat"_s);
    chat.bind(u":chat"_s, chatId);
    if (auto failure = chat.run()) {
        return *failure;
    }
    if (!chat.query().next()) {
        return Failure{FailureKind::NotFound, u"no such chat"_s};
    }
    RelayPage page;
    page.audience.kind = chatKindFromColumn(chat.query().value(0));
    if (page.audience.kind != protocol::ChatKind::Lobby) {
        Outcome<QStringList> members = memberIds(db, chatId);
        if (!succeeded(members)) {
            return std::get<Failure>(members);
        }
        page.audience.memberIds = std::get<QStringList>(std::move(members));
    }
    Outcome<QList<protocol::ChatMessage>> messages =
        messagesInRange(db, chatId, afterSeq, upToSeq, limit);
    if (!succeeded(messages)) {
        return std::get<Failure>(messages);
    }
    page.messages = std::get<QList<protocol::ChatMessage>>(std::move(messages));
    return page;
}

Outcome<ChatSeqs> lastSeqs(QSqlDatabase &db) {
    Statement chats(db, u"SELECT id, last_seq FROM chats"_s, u"reading the chats' last seq"_s);
    if (auto failure = chats.run()) {
        return *failure;
    }
    ChatSeqs seqs;
    while (chats.query().next()) {
        seqs.append({chats.query().value(0).toString(), chats.query().value(1).toLongLong()});
    }
    return seqs;
}

Outcome<QString> beginUpload(QSqlDatabase &db, const NewUpload &upload) {
    const QString id = newId();
    Statement insert(db,
                     u"INSERT INTO uploads (id, uploader_id, filename, content_type, created_at)"
                     " VALUES (:id, :uploader, :filename, :type, :now)"_s,
                     u"beginning an upload"_s);
    insert.bind(u":id"_s, id)
        .bind(u":uploader"_s, upload.uploaderId)
        .bind(u":filename"_s, upload.filename)
        .bind(u":type"_s, upload.contentType)
        .bind(u":now"_s, upload.nowMs);
    if (auto failure = insert.run()) {
        return *failure;
    }
    return id;
}

Outcome<Done> storeUploadChunk(QSqlDatabase &db, const QString &uploadId, int index,
                               const QByteArray &bytes) {
    Statement insert(db,
                     u"INSERT INTO upload_chunks (upload_id, idx, bytes)"
                     " VALUES (:upload, :idx, :bytes)"_s,
                     u"storing part of an upload"_s);
    insert.bind(u":upload"_s, uploadId).bind(u":idx"_s, index).bind(u":bytes"_s, bytes);
    if (auto failure = insert.run()) {
        return *failure;
    }
    return Done{};
}

Outcome<protocol::Upload> finishUpload(QSqlDatabase &db, const QString &uploadId, qint64 size) {
    Statement finish(db,
                     u"UPDATE uploads SET size = :size WHERE id = :id AND size IS NULL"
                     " RETURNING %1"_s.arg(kUploadColumns),
                     u"finishing an upload"_s);
    finish.bind(u":size"_s, size).bind(u":id"_s, uploadId);
    if (auto failure = finish.run()) {
        return *failure;
    }
    if (!finish.query().next()) {
        return Failure{FailureKind::NotFound, u"no such upload in progress"_s};
    }
    return uploadFromRow(finish.query());
}

namespace {

// Removes the uploads a statement selects (its only bound value :value) with their chunks.
Outcome<qint64> removeUploads(QSqlDatabase &db, const QString &selectIds, const QVariant &value) {
    Statement chunks(db, u"DELETE FROM upload_chunks WHERE upload_id IN (%1)"_s.arg(selectIds),
                     u"removing uploads"_s);
    chunks.bind(u":value"_s, value);
    if (auto failure = chunks.run()) {
        return *failure;
    }
    Statement uploads(db, u"DELETE FROM uploads WHERE id IN (%1)"_s.arg(selectIds),
                      u"removing uploads"_s);
    uploads.bind(u":value"_s, value);
    if (auto failure = uploads.run()) {
        return *failure;
    }
    return static_cast<qint64>(uploads.query().numRowsAffected());
}

} // namespace

Outcome<Done> discardUpload(QSqlDatabase &db, const QString &uploadId) {
    Outcome<qint64> removed = removeUploads(
        db, u"SELECT id FROM uploads WHERE id = :value AND message_id IS NULL"_s, uploadId);
    if (!succeeded(removed)) {
        return std::get<Failure>(removed);
    }
    return Done{};
}

Outcome<qint64> removeStaleUploads(QSqlDatabase &db, qint64 createdBeforeMs) {
    return removeUploads(
        db, u"SELECT id FROM uploads WHERE message_id IS NULL AND created_at < :value"_s,
        createdBeforeMs);
}

Outcome<protocol::Upload> findDownload(QSqlDatabase &db, const QString &userId,
                                       const QString &uploadId) {
    // The uploader, or a member of the chat the upload is attached in (every account is in the
    // lobby); a deleted message has no files left to find.
    Statement find(db,
                   u"SELECT u.id, u.filename, u.content_type, u.size, u.created_at FROM uploads u"
                   " LEFT JOIN messages m ON m.id = u.message_id"
                   " WHERE u.id = :id AND u.size IS NOT NULL AND (u.uploader_id = :user"
                   "  OR (m.deleted_at IS NULL AND (m.chat_id = :lobby OR EXISTS (SELECT 1"
                   "   FROM memberships ms WHERE ms.chat_id = m.chat_id"
                   "   AND ms.user_id = :user))))"_s,
                   u"finding an upload"_s);
    find.bind(u":id"_s, uploadId)
        .bind(u":user"_s, userId)
        .bind(u":lobby"_s, QString(protocol::kLobbyId));
    if (auto failure = find.run()) {
        return *failure;
    }
    if (!find.query().next()) {
        return Failure{FailureKind::NotFound, u"no such file"_s};
    }
    return uploadFromRow(find.query());
}

Outcome<QByteArray> readUploadChunk(QSqlDatabase &db, const QString &uploadId, int index) {
    Statement read(db, u"SELECT bytes FROM upload_chunks WHERE upload_id = :id AND idx = :idx"_s,
                   u"reading an upload"_s);
    read.bind(u":id"_s, uploadId).bind(u":idx"_s, index);
    if (auto failure = read.run()) {
        return *failure;
    }
    if (!read.query().next()) {
        return Failure{FailureKind::NotFound, u"the file is gone"_s};
    }
    return read.query().value(0).toByteArray();
}

Outcome<Done> ping(QSqlDatabase &db) {
    Statement probe(db, u"SELECT 1"_s, u"checking the database"_s);
    if (auto failure = probe.run()) {
        return *failure;
    }
    return Done{};
}

Outcome<ChatAudience> audienceFor(QSqlDatabase &db, const QString &userId, const QString &chatId) {
    if (!access::needsMembership(chatId)) {
        return ChatAudience{protocol::ChatKind::Lobby, {}};
    }
    Outcome<protocol::ChatKind> kind = memberChatKind(db, userId, chatId);
    if (!succeeded(kind)) {
        return std::get<Failure>(kind);
    }
    Outcome<QStringList> members = memberIds(db, chatId);
    if (!succeeded(members)) {
        return std::get<Failure>(members);
    }
    return ChatAudience{std::get<protocol::ChatKind>(kind),
                        std::get<QStringList>(std::move(members))};
}

Outcome<QList<UserRecord>> chatMembers(QSqlDatabase &db, const QString &userId,
                                       const QString &chatId,
                                       const std::optional<QStringList> &onlyIds, int limit) {
    if (Outcome<protocol::ChatKind> kind = memberChatKind(db, userId, chatId); !succeeded(kind)) {
        return std::get<Failure>(kind);
    }
    if (onlyIds && onlyIds->isEmpty()) {
        return QList<UserRecord>{};
    }
    // One placeholder per id: the ids are bound, never spliced into the statement.
    QStringList placeholders;
    for (qsizetype i = 0; onlyIds && i < onlyIds->size(); ++i) {
        placeholders.append(u":only%1"_s.arg(i));
    }
    const QString narrowed =
        onlyIds ? u" AND u.id IN (%1)"_s.arg(placeholders.join(u", "_s)) : QString();
    Statement members(db,
                      u"SELECT u.id, u.username, u.created_at, u.last_seen_at FROM memberships m"
                      " JOIN users u ON u.id = m.user_id WHERE m.chat_id = :chat%1"
                      " ORDER BY u.username_key LIMIT :limit"_s.arg(narrowed),
                      u"reading the members of a chat"_s);
    members.bind(u":chat"_s, chatId).bind(u":limit"_s, limit);
    for (qsizetype i = 0; i < placeholders.size(); ++i) {
        members.bind(placeholders[i], onlyIds->at(i));
    }
    return userRows(members);
}

Outcome<ReadMark> markRead(QSqlDatabase &db, const QString &userId, const QString &chatId,
                           const QString &messageId) {
    Outcome<protocol::ChatKind> kind = memberChatKind(db, userId, chatId);
    if (!succeeded(kind)) {
        return std::get<Failure>(kind);
    }
    Outcome<qint64> seq = cursorSeq(db, chatId, messageId, "message_id"_L1);
    if (!succeeded(seq)) {
        return std::get<Failure>(seq);
    }
    // The marker only moves forward: reading an old message again marks nothing unread.
    Statement mark(db,
                   u"UPDATE memberships SET last_read_seq = :seq"
                   " WHERE chat_id = :chat AND user_id = :user AND last_read_seq < :seq"_s,
                   u"moving a read marker"_s);
    mark.bind(u":seq"_s, std::get<qint64>(seq)).bind(u":chat"_s, chatId).bind(u":user"_s, userId);
    if (auto failure = mark.run()) {
        return *failure;
    }
    ReadMark result;
    result.moved = mark.query().numRowsAffected() > 0;
    result.audience.kind = std::get<protocol::ChatKind>(kind);
    if (result.moved && result.audience.kind != protocol::ChatKind::Lobby) {
        Outcome<QStringList> members = memberIds(db, chatId);
        if (!succeeded(members)) {
            return std::get<Failure>(members);
        }
        result.audience.memberIds = std::get<QStringList>(std::move(members));
    }
    return result;
}

Outcome<QStringList> contactsOf(QSqlDatabase &db, const QString &userId) {
    Statement contacts(db,
                       u"SELECT DISTINCT other.user_id FROM memberships mine"
                       " JOIN chats c ON c.id = mine.chat_id AND c.kind <> 'lobby'"
                       " JOIN memberships other ON other.chat_id = mine.chat_id"
                       "  AND other.user_id <> mine.user_id"
                       " WHERE mine.user_id = :user"_s,
                       u"reading contacts"_s);
    contacts.bind(u":user"_s, userId);
    return textColumn(contacts);
}

} // namespace queries

} // namespace neonchat::server
