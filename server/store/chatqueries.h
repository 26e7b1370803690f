// SPDX-License-Identifier: MIT
// Accounts, chats, rooms, memberships and history (CONTRACT §2 and §3) as SQL on one Qt Sql
// connection. Synchronous: SqlStore runs them on its storage threads, never on an event loop
// thread. Every value is bound; no text from a client is ever part of a statement.
#pragma once

#include "chatstore.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace neonchat::server {

// Runs work in one transaction: committed when it succeeds, rolled back when it fails.
template <typename T, typename Work>
[[nodiscard]] Outcome<T> inTransaction(QSqlDatabase &db, Work &&work);

namespace queries {

[[nodiscard]] Outcome<UserRecord> createUser(QSqlDatabase &db, const QString &username,
                                             const QByteArray &passwordHash, qint64 nowMs);
[[nodiscard]] Outcome<LoginRecord> findLogin(QSqlDatabase &db, const QString &username);
[[nodiscard]] Outcome<UserRecord> findUser(QSqlDatabase &db, const QString &userId);
// Whether an account holds this name, ignoring case.
[[nodiscard]] Outcome<bool> isUsernameTaken(QSqlDatabase &db, const QString &name);
// Users whose name starts with prefix, ignoring case, by name.
[[nodiscard]] Outcome<QList<UserRecord>> searchUsers(QSqlDatabase &db, const QString &prefix,
                                                     int limit);
[[nodiscard]] Outcome<Done> touchLastSeen(QSqlDatabase &db, const QString &userId, qint64 nowMs);

[[nodiscard]] Outcome<DirectChat> openDirectChat(QSqlDatabase &db, const QString &userId,
                                                 const QString &partnerId, qint64 nowMs);
[[nodiscard]] Outcome<RoomRecord> createRoom(QSqlDatabase &db, const QString &userId,
                                             const QString &name, qint64 nowMs);
[[nodiscard]] Outcome<Done> joinRoom(QSqlDatabase &db, const QString &userId, const QString &roomId,
                                     qint64 nowMs);
[[nodiscard]] Outcome<Done> leaveRoom(QSqlDatabase &db, const QString &userId,
                                      const QString &roomId);
[[nodiscard]] Outcome<RoomPage> listRooms(QSqlDatabase &db, int limit, int offset);

// The user's chats, newest activity first.
[[nodiscard]] Outcome<ChatPage> listChats(QSqlDatabase &db, const QString &userId, int limit,
                                          int offset, bool unreadOnly);
[[nodiscard]] Outcome<HistoryPage> history(QSqlDatabase &db, const QString &userId,
                                           const HistoryQuery &query);

// A page of a sync replay, if userId may read the chat (anyone may read the lobby; Forbidden or
// NotFound otherwise).
[[nodiscard]] Outcome<ReplayPage> replay(QSqlDatabase &db, const ReplayQuery &query);
[[nodiscard]] Outcome<SearchPage> search(QSqlDatabase &db, const SearchQuery &query);
// The changes of ChatStore; each in the caller's transaction.
[[nodiscard]] Outcome<MessageChange> editMessage(QSqlDatabase &db, const QString &userId,
                                                 const QString &messageId, const QString &text,
                                                 qint64 nowMs);
[[nodiscard]] Outcome<MessageChange> deleteMessage(QSqlDatabase &db, const QString &userId,
                                                   const QString &messageId, qint64 nowMs);
[[nodiscard]] Outcome<MessageChange> changeReaction(QSqlDatabase &db, const QString &userId,
                                                    const QString &messageId, const QString &emoji,
                                                    ReactionChange change);

// The chat's members, if userId is one of them (Forbidden otherwise, NotFound for no such chat).
[[nodiscard]] Outcome<ChatAudience> audienceFor(QSqlDatabase &db, const QString &userId,
                                                const QString &chatId);
// Moves userId's read marker in chatId up to messageId.
[[nodiscard]] Outcome<ReadMark> markRead(QSqlDatabase &db, const QString &userId,
                                         const QString &chatId, const QString &messageId);
// The members of a chat userId is in, by name, at most limit. onlyIds narrows them to those
// users (for the lobby, where every account is a member: the ones online).
[[nodiscard]] Outcome<QList<UserRecord>> chatMembers(QSqlDatabase &db, const QString &userId,
                                                     const QString &chatId,
                                                     const std::optional<QStringList> &onlyIds,
                                                     int limit);
// Messages of chatId with afterSeq < seq <= upToSeq, oldest first, at most limit, and the chat's
// audience. No access check: the server reads it for its own sessions' fan-out.
[[nodiscard]] Outcome<RelayPage> relayPage(QSqlDatabase &db, const QString &chatId, qint64 afterSeq,
                                           qint64 upToSeq, int limit);
[[nodiscard]] Outcome<ChatSeqs> lastSeqs(QSqlDatabase &db);
// Files (CONTRACT §9); see ChatStore.
[[nodiscard]] Outcome<QString> beginUpload(QSqlDatabase &db, const NewUpload &upload);
[[nodiscard]] Outcome<Done> storeUploadChunk(QSqlDatabase &db, const QString &uploadId, int index,
                                             const QByteArray &bytes);
[[nodiscard]] Outcome<protocol::Upload> finishUpload(QSqlDatabase &db, const QString &uploadId,
                                                     qint64 size);
[[nodiscard]] Outcome<Done> discardUpload(QSqlDatabase &db, const QString &uploadId);
[[nodiscard]] Outcome<protocol::Upload> findDownload(QSqlDatabase &db, const QString &userId,
                                                     const QString &uploadId);
[[nodiscard]] Outcome<QByteArray> readUploadChunk(QSqlDatabase &db, const QString &uploadId,
                                                  int index);
[[nodiscard]] Outcome<qint64> removeStaleUploads(QSqlDatabase &db, qint64 createdBeforeMs);

// A statement that touches no table: whether the database answers.
[[nodiscard]] Outcome<Done> ping(QSqlDatabase &db);
// Everyone who shares a direct chat or a room with userId.
[[nodiscard]] Outcome<QStringList> contactsOf(QSqlDatabase &db, const QString &userId);

} // namespace queries

// A chats.kind value as the protocol's kind.
[[nodiscard]] protocol::ChatKind chatKindFromColumn(const QVariant &value);

[[nodiscard]] Failure internalFailure(const QString &what, const QString &detail);

// The columns of a message row, in the order messageFromRow reads them.
inline constexpr auto kMessageColumns =
    QLatin1StringView("id, chat_id, seq, sender_id, sender_name, text, created_at, edited_at,"
                      " deleted_at, reply_to_id, mod_seq");
inline constexpr int kMessageColumnCount = 11;
[[nodiscard]] protocol::ChatMessage messageFromRow(const QSqlQuery &query);
// Fills in the reactions and attachments of messages read by messageFromRow.
[[nodiscard]] Outcome<Done> addDetails(QSqlDatabase &db, QList<protocol::ChatMessage> &messages);

template <typename T, typename Work>
Outcome<T> inTransaction(QSqlDatabase &db, Work &&work) {
    if (!db.transaction()) {
        return internalFailure(QStringLiteral("begin"), db.lastError().text());
    }
    Outcome<T> result = std::forward<Work>(work)(db);
    if (!succeeded(result)) {
        const bool rolledBack = db.rollback();
        Q_UNUSED(rolledBack) // a failed rollback leaves nothing committed either
        return result;
    }
    if (!db.commit()) {
        const QString detail = db.lastError().text();
        const bool rolledBack = db.rollback();
        Q_UNUSED(rolledBack)
        return internalFailure(QStringLiteral("commit"), detail);
    }
    return result;
}

} // namespace neonchat::server
