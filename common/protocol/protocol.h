// SPDX-License-Identifier: MIT
// The NeonChat wire protocol (CONTRACT §3) as C++ types. Append-only: add new frame types and
// fields at the end; never rename or remove one, clients in the field rely on them.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace neonchat::protocol {

inline constexpr int kTextMaxChars = 4096;
inline constexpr int kRequestIdMaxChars = 128;
inline constexpr int kDisplayNameMaxChars = 50;
// CONTRACT §9: distinct emoji one message may carry, the bytes of one, attachments per message.
inline constexpr int kMaxReactionsPerMessage = 20;
inline constexpr int kEmojiMaxBytes = 32;
inline constexpr int kMaxAttachmentsPerMessage = 10;
inline constexpr int kUploadFilenameMaxBytes = 255;

// The lobby exists on every server and every instance of a cluster, so its id is fixed.
inline constexpr auto kLobbyId = QLatin1StringView("00000000-0000-4000-8000-000000000001");

// What a chat is: the "kind" of CONTRACT §2.
enum class ChatKind { Lobby, Direct, Room };

[[nodiscard]] constexpr QLatin1StringView chatKindName(ChatKind kind) {
    switch (kind) {
    case ChatKind::Lobby:
        return QLatin1StringView("lobby");
    case ChatKind::Direct:
        return QLatin1StringView("direct");
    case ChatKind::Room:
        return QLatin1StringView("room");
    }
    return QLatin1StringView("room"); // not reached: every kind is named above
}

[[nodiscard]] inline std::optional<ChatKind> chatKindFromName(QStringView name) {
    for (const ChatKind kind : {ChatKind::Lobby, ChatKind::Direct, ChatKind::Room}) {
        if (name == chatKindName(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

namespace ErrorCode {
inline constexpr auto InvalidMessage = QLatin1StringView("invalid_message");
inline constexpr auto Forbidden = QLatin1StringView("forbidden");
inline constexpr auto RateLimited = QLatin1StringView("rate_limited");
inline constexpr auto Internal = QLatin1StringView("internal");
} // namespace ErrorCode

// WebSocket close codes of CONTRACT §3.
enum class CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    PolicyViolation = 1008,
    TooBig = 1009,
    TryAgainLater = 1013,
};

// One emoji on a message and who put it there, in the order they did.
struct Reaction {
    QString emoji;
    QStringList userIds;

    friend bool operator==(const Reaction &, const Reaction &) = default;
};

struct Attachment {
    QString id;
    QString filename;
    QString contentType;
    qint64 size = 0;

    friend bool operator==(const Attachment &, const Attachment &) = default;
};

// CONTRACT §9: a file as POST /api/v1/uploads answers it.
struct Upload {
    QString id;
    QString filename;
    QString contentType;
    qint64 size = 0;
    QDateTime createdAt;

    friend bool operator==(const Upload &, const Upload &) = default;
};

struct ChatMessage {
    QString id;
    QString chatId;
    qint64 seq = 0;
    QString senderId;
    QString sender;
    QString text;
    QDateTime createdAt;
    // CONTRACT §9: the state later changes gave it.
    // Initialised so that frames built field by field may leave them out.
    std::optional<QDateTime> editedAt = std::nullopt;
    bool deleted = false;
    std::optional<QString> replyToId = std::nullopt;
    QList<Reaction> reactions = {}; // in order of first use
    QList<Attachment> attachments = {};
    qint64 modSeq = 0; // the chat's modification counter at its last change; 0: never changed

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

// ---- REST resources (CONTRACT §2 and §9), shared by the server's encoding and the clients' ----

// A user as lists and chats name one.
struct UserSummary {
    QString id;
    QString username;
    bool online = false;

    friend bool operator==(const UserSummary &, const UserSummary &) = default;
};

struct LastMessage {
    QString id;
    QString text;
    QString senderId;
    QDateTime createdAt;

    friend bool operator==(const LastMessage &, const LastMessage &) = default;
};

// One entry of GET /api/v1/chats, and the answer to POST /api/v1/chats.
struct ChatSummary {
    QString id;
    ChatKind kind = ChatKind::Lobby;
    QString name;
    std::optional<UserSummary> partner; // direct chats
    std::optional<LastMessage> lastMessage;
    qint64 unreadCount = 0;
    QDateTime updatedAt;
    qint64 lastSeq = 0;
    qint64 lastModSeq = 0;
    // "created_by": a room's creator, who may delete any of its messages; empty (null) for the
    // lobby and direct chats. A NeonChat addition to the chat object of CONTRACT §2.
    QString createdBy;

    friend bool operator==(const ChatSummary &, const ChatSummary &) = default;
};

// One entry of GET /api/v1/rooms.
struct RoomSummary {
    QString id;
    QString name;
    qint64 members = 0;

    friend bool operator==(const RoomSummary &, const RoomSummary &) = default;
};

struct HistoryPage {
    QList<ChatMessage> messages; // oldest first
    bool hasPrevious = false;
    bool hasNext = false;

    friend bool operator==(const HistoryPage &, const HistoryPage &) = default;
};

// One message found by search; its chat_id is the message's.
struct SearchResult {
    ChatMessage message;
    QString snippet;

    friend bool operator==(const SearchResult &, const SearchResult &) = default;
};

struct SearchPage {
    QList<SearchResult> results; // newest first
    bool hasMore = false;

    friend bool operator==(const SearchPage &, const SearchPage &) = default;
};

struct UserInfo {
    QString id;
    QString username;
    bool guest = false;

    friend bool operator==(const UserInfo &, const UserInfo &) = default;
};

struct ServerLimits {
    qint64 msgMaxBytes = 0;
    int textMaxChars = kTextMaxChars;
    int rateLimit = 0;
    // The session closes after this long without a frame from the client (0: not said). A
    // NeonChat addition to CONTRACT §3's welcome, so clients can keep an idle session open.
    qint64 idleTimeoutSeconds = 0;

    friend bool operator==(const ServerLimits &, const ServerLimits &) = default;
};

// ---- server → client ----

struct Welcome {
    QString sessionId;
    UserInfo user;
    QString lobbyId;
    QString serverVersion;
    ServerLimits limits;
    // Guests only: shown again as ?resume= when reconnecting, it keeps the guest's identity, so a
    // message sent again under its request id is still stored once.
    QString resumeToken;

    friend bool operator==(const Welcome &, const Welcome &) = default;
};

struct MessageSent {
    std::optional<QString> requestId;
    ChatMessage message;

    friend bool operator==(const MessageSent &, const MessageSent &) = default;
};

struct NewMessage {
    ChatMessage message;

    friend bool operator==(const NewMessage &, const NewMessage &) = default;
};

struct Presence {
    bool online = false;
    QString userId;
    QDateTime timestamp;

    friend bool operator==(const Presence &, const Presence &) = default;
};

struct TypingNotice {
    QString chatId;
    QString userId;
    bool isTyping = false;

    friend bool operator==(const TypingNotice &, const TypingNotice &) = default;
};

struct ReadReceipt {
    QString chatId;
    QString userId;
    QString messageId;

    friend bool operator==(const ReadReceipt &, const ReadReceipt &) = default;
};

struct ErrorFrame {
    QString code;
    QString message;
    std::optional<QString> requestId;

    friend bool operator==(const ErrorFrame &, const ErrorFrame &) = default;
};

struct SyncDone {
    QString chatId;
    bool hasMore = false;
    // The chat's counters when the replay was read (CONTRACT §9); absent from older servers.
    std::optional<qint64> lastSeq = std::nullopt;
    std::optional<qint64> lastModSeq = std::nullopt;

    friend bool operator==(const SyncDone &, const SyncDone &) = default;
};

// An existing message changed (edit, delete, reaction): its whole current state.
struct MessageUpdated {
    ChatMessage message;

    friend bool operator==(const MessageUpdated &, const MessageUpdated &) = default;
};

using ServerFrame = std::variant<Welcome, MessageSent, NewMessage, Presence, TypingNotice,
                                 ReadReceipt, ErrorFrame, SyncDone, MessageUpdated>;

// ---- client → server ----

struct SendMessage {
    std::optional<QString> chatId; // absent: the lobby
    QString text;
    std::optional<QString> requestId;
    std::optional<QString> replyToId = std::nullopt;
    QStringList attachmentIds = {}; // uploads of the sender not attached yet (CONTRACT §9)

    friend bool operator==(const SendMessage &, const SendMessage &) = default;
};

struct TypingUpdate {
    QString chatId;
    bool isTyping = false;

    friend bool operator==(const TypingUpdate &, const TypingUpdate &) = default;
};

struct MarkRead {
    QString chatId;
    QString messageId;

    friend bool operator==(const MarkRead &, const MarkRead &) = default;
};

struct SyncRequest {
    QString chatId;
    qint64 afterSeq = 0;
    // Also replay the changes made after this mod_seq (CONTRACT §9).
    std::optional<qint64> afterModSeq = std::nullopt;

    friend bool operator==(const SyncRequest &, const SyncRequest &) = default;
};

using ClientFrame = std::variant<SendMessage, TypingUpdate, MarkRead, SyncRequest>;

} // namespace neonchat::protocol
