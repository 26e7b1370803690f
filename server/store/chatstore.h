// SPDX-License-Identifier: MIT
// What the hub, the REST API and the server ask of storage (CONTRACT §2 and §3), as typed
// asynchronous calls: each answers later, on the thread of its context object (not at all if
// that object is gone by then), with the result or a Failure. Nothing here knows SQL; SqlStore
// (sqlstore.h) is the implementation on SQLite and PostgreSQL.
#pragma once

#include "protocol/protocol.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>

namespace neonchat::server {

enum class FailureKind { Invalid, NotFound, Forbidden, Conflict, Internal };

struct Failure {
    FailureKind kind = FailureKind::Internal;
    QString message;
    // The error code a client gets when the kind's own (e.g. "conflict") says too little.
    QLatin1StringView code = {};
};

template <typename T>
using Outcome = std::variant<T, Failure>;

template <typename T>
[[nodiscard]] bool succeeded(const Outcome<T> &outcome) {
    return std::holds_alternative<T>(outcome);
}

struct UserRecord {
    QString id;
    QString username;
    qint64 createdAtMs = 0;
    std::optional<qint64> lastSeenAtMs; // none: never connected
};

struct LoginRecord {
    UserRecord user;
    QByteArray passwordHash;
};

struct LastMessage {
    QString id;
    QString text;
    QString senderId;
    qint64 createdAtMs = 0;
};

struct ChatSummary {
    QString id;
    protocol::ChatKind kind = protocol::ChatKind::Lobby;
    QString name; // the partner's username for a direct chat
    std::optional<UserRecord> partner;
    std::optional<LastMessage> lastMessage;
    qint64 unreadCount = 0;
    qint64 updatedAtMs = 0;
    qint64 lastSeq = 0;
    qint64 lastModSeq = 0;
    QString roomCreatorId; // rooms only: who created it (and may delete any of its messages)
};

struct ChatPage {
    QList<ChatSummary> chats;
    qint64 total = 0;
    bool hasMore = false;
};

struct DirectChat {
    ChatSummary chat;
    bool created = false; // false: the pair had a chat already
};

struct RoomRecord {
    QString id;
    QString name;
    qint64 createdAtMs = 0;
    qint64 members = 0;
};

struct RoomPage {
    QList<RoomRecord> rooms;
    qint64 total = 0;
    bool hasMore = false;
};

struct HistoryQuery {
    QString chatId;
    int limit = 50;
    std::optional<QString> beforeId;
    std::optional<QString> afterId;
    std::optional<QString> aroundId; // the page with this message in its middle
};

using HistoryPage = protocol::HistoryPage;

// Who a chat event goes to. For the lobby the list is empty: every session is in the lobby.
struct ChatAudience {
    protocol::ChatKind kind = protocol::ChatKind::Lobby;
    QStringList memberIds;
};

struct ReadMark {
    ChatAudience audience;
    bool moved = false; // false: the marker was at or past this message already
};

// Stored messages of one chat in a seq range, with whom they go to: what an instance of a
// cluster reads to fill a gap in what reached it from the others.
struct RelayPage {
    ChatAudience audience;
    QList<protocol::ChatMessage> messages;
};

// What a sync replays (CONTRACT §3 and §9): messages with seq > after, or, for changes, the
// messages changed after the mod_seq after, in that order, at most limit.
struct ReplayQuery {
    QString userId;
    QString chatId;
    bool changes = false;
    qint64 after = 0;
    int limit = 50;
};

struct ReplayPage {
    QList<protocol::ChatMessage> messages;
    // The chat's counters when the page was read: the page holds nothing beyond them.
    qint64 lastSeq = 0;
    qint64 lastModSeq = 0;
};

// A change of an existing message (CONTRACT §9) and who is told.
struct MessageChange {
    protocol::ChatMessage message; // its state after the change
    ChatAudience audience;
    bool changed = true; // false: nothing changed (a reaction added twice)
};

enum class ReactionChange { Add, Remove };

// CONTRACT §9 search: messages of userId's chats holding every word (the last also as a prefix),
// newest first.
struct SearchQuery {
    QString userId;
    QStringList words; // as search::words makes them; at least one
    std::optional<QString> chatId;
    std::optional<QString> beforeId; // only messages older than this one
    int limit = 20;
};

struct SearchPage {
    QList<protocol::ChatMessage> messages;
    bool hasMore = false;
};

// Every chat's last seq, by chat id.
using ChatSeqs = QList<std::pair<QString, qint64>>;

using Done = std::monostate;

struct NewMessageRecord {
    QString chatId;
    QString senderId;
    QString senderName;
    QString text;
    std::optional<QString> requestId;
    std::optional<QString> replyToId = std::nullopt; // a message of the same chat
    QStringList attachmentIds = {};                  // the sender's uploads not attached yet
};

struct AppendOutcome {
    protocol::ChatMessage message;
    bool duplicate = false; // the sender's request_id was stored before: this is that message
    ChatAudience audience;  // who receives it
};

// CONTRACT §9 files. An upload is stored as it arrives, in chunks of at most this many bytes, so
// neither storing nor serving one holds more than a chunk of it in memory.
inline constexpr qint64 kUploadChunkBytes = 256 * 1024;

struct NewUpload {
    QString uploaderId;
    QString filename;
    QString contentType;
    qint64 nowMs = 0;
};

template <typename T>
using Reply = std::function<void(const Outcome<T> &)>;

class ChatStore {
public:
    virtual ~ChatStore() = default;

    // Messages. append answers once the message is durable (Forbidden: not a member), so the
    // hub acknowledges only stored messages and never waits on storage.
    virtual void append(NewMessageRecord record, QObject *context, Reply<AppendOutcome> done) = 0;
    // A page of a sync replay, if the user may read the chat (anyone may read the lobby;
    // Forbidden otherwise, NotFound for a chat that does not exist).
    virtual void replay(const ReplayQuery &query, QObject *context, Reply<ReplayPage> done) = 0;
    // Changes of a message by userId. Each takes the chat's next mod_seq with the change. NotFound
    // for a message of a chat userId is not in; Forbidden for someone else's message (a room's
    // creator may delete any of the room's); Conflict (message_deleted) for a deleted one.
    virtual void editMessage(const QString &userId, const QString &messageId, const QString &text,
                             qint64 nowMs, QObject *context, Reply<MessageChange> done) = 0;
    // Empties the message for good: its text, reactions and files leave storage.
    virtual void deleteMessage(const QString &userId, const QString &messageId, qint64 nowMs,
                               QObject *context, Reply<MessageChange> done) = 0;
    // Forbidden (NotFound: no such chat) for a chatId the user is not in.
    virtual void search(const SearchQuery &query, QObject *context, Reply<SearchPage> done) = 0;
    // Conflict (too_many_reactions) for a new emoji beyond kMaxReactionsPerMessage.
    virtual void changeReaction(const QString &userId, const QString &messageId,
                                const QString &emoji, ReactionChange change, QObject *context,
                                Reply<MessageChange> done) = 0;
    // Messages of chatId with afterSeq < seq <= upToSeq, oldest first, at most limit, and the
    // chat's audience. No access check: the server reads it for its own sessions' fan-out.
    virtual void relayPage(const QString &chatId, qint64 afterSeq, qint64 upToSeq, int limit,
                           QObject *context, Reply<RelayPage> done) = 0;
    // Every chat's last seq.
    virtual void lastSeqs(QObject *context, Reply<ChatSeqs> done) = 0;
    virtual void history(const QString &userId, const HistoryQuery &query, QObject *context,
                         Reply<HistoryPage> done) = 0;

    // Accounts.
    virtual void createUser(const QString &username, const QByteArray &passwordHash, qint64 nowMs,
                            QObject *context, Reply<UserRecord> done) = 0;
    virtual void findLogin(const QString &username, QObject *context, Reply<LoginRecord> done) = 0;
    virtual void findUser(const QString &userId, QObject *context, Reply<UserRecord> done) = 0;
    // Whether an account holds this name, ignoring case.
    virtual void isUsernameTaken(const QString &name, QObject *context, Reply<bool> done) = 0;
    // Users whose name starts with prefix, ignoring case, by name.
    virtual void searchUsers(const QString &prefix, int limit, QObject *context,
                             Reply<QList<UserRecord>> done) = 0;
    virtual void touchLastSeen(const QString &userId, qint64 nowMs, QObject *context,
                               Reply<Done> done) = 0;
    // Everyone who shares a direct chat or a room with userId.
    virtual void contactsOf(const QString &userId, QObject *context, Reply<QStringList> done) = 0;

    // Chats and rooms.
    virtual void openDirectChat(const QString &userId, const QString &partnerId, qint64 nowMs,
                                QObject *context, Reply<DirectChat> done) = 0;
    virtual void createRoom(const QString &userId, const QString &name, qint64 nowMs,
                            QObject *context, Reply<RoomRecord> done) = 0;
    virtual void joinRoom(const QString &userId, const QString &roomId, qint64 nowMs,
                          QObject *context, Reply<Done> done) = 0;
    virtual void leaveRoom(const QString &userId, const QString &roomId, QObject *context,
                           Reply<Done> done) = 0;
    virtual void listRooms(int limit, int offset, QObject *context, Reply<RoomPage> done) = 0;
    // The user's chats, newest activity first.
    virtual void listChats(const QString &userId, int limit, int offset, bool unreadOnly,
                           QObject *context, Reply<ChatPage> done) = 0;
    // The chat's members, if userId is one of them (Forbidden otherwise, NotFound for no such
    // chat).
    virtual void audienceFor(const QString &userId, const QString &chatId, QObject *context,
                             Reply<ChatAudience> done) = 0;
    // The members of a chat userId is in, by name, at most limit. onlyIds narrows them to those
    // users (for the lobby, where every account is a member: the ones online).
    virtual void chatMembers(const QString &userId, const QString &chatId,
                             const std::optional<QStringList> &onlyIds, int limit, QObject *context,
                             Reply<QList<UserRecord>> done) = 0;
    // Moves userId's read marker in chatId up to messageId.
    virtual void markRead(const QString &userId, const QString &chatId, const QString &messageId,
                          QObject *context, Reply<ReadMark> done) = 0;

    // Files (CONTRACT §9). An upload is begun, given its bytes chunk by chunk (index from 0), and
    // finished with its size; only a finished upload can be attached or downloaded. A discarded
    // one (the client left) is removed with its chunks.
    virtual void beginUpload(const NewUpload &upload, QObject *context, Reply<QString> done) = 0;
    virtual void storeUploadChunk(const QString &uploadId, int index, const QByteArray &bytes,
                                  QObject *context, Reply<Done> done) = 0;
    virtual void finishUpload(const QString &uploadId, qint64 size, QObject *context,
                              Reply<protocol::Upload> done) = 0;
    virtual void discardUpload(const QString &uploadId, QObject *context, Reply<Done> done) = 0;
    // The upload, for its uploader or a member of the chat of the message it is attached to;
    // NotFound for anyone else, as for an upload that does not exist.
    virtual void findDownload(const QString &userId, const QString &uploadId, QObject *context,
                              Reply<protocol::Upload> done) = 0;
    virtual void readUploadChunk(const QString &uploadId, int index, QObject *context,
                                 Reply<QByteArray> done) = 0;
    // Removes the uploads never attached that were begun before createdBeforeMs: how many.
    virtual void removeStaleUploads(qint64 createdBeforeMs, QObject *context,
                                    Reply<qint64> done) = 0;

    // Whether the database answers.
    virtual void ping(QObject *context, Reply<Done> done) = 0;
};

} // namespace neonchat::server
