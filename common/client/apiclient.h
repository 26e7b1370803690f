// SPDX-License-Identifier: MIT
// The REST side of a NeonChat server (CONTRACT §2) for both clients: JSON requests through one
// QNetworkAccessManager, awaited as QCoro tasks. Answers are values: the body of a success, or an
// ApiError that tells an unreachable server (status 0) from the server's own error codes.
#pragma once

#include "protocol/protocol.h"
#include "tls.h"

#include <QCoroTask>
#include <QDateTime>
#include <QIODevice>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>

#include <variant>

namespace neonchat::client {

struct ApiError {
    int status = 0; // HTTP status; 0: no answer (unreachable, TLS failure, timeout)
    QString code;   // the server's error code, e.g. "invalid_credentials"
    QString message;
};

template <typename T>
using ApiResult = std::variant<T, ApiError>;

struct LoginSession {
    QString token;
    QString userId;
    QString username;
    qint64 expiresInSeconds = 0;
};

using UserSummary = protocol::UserSummary;

// One entry of the chat list (GET /api/v1/chats); json is the server's object as it came.
struct ChatSummary {
    QString id;
    QString kind; // "lobby", "direct" or "room"
    QString name;
    std::optional<UserSummary> partner; // direct chats
    QString lastMessageText;            // empty when the chat has no message yet
    QString lastMessageSenderId;        // empty when the chat has no message yet
    qint64 unreadCount = 0;
    QDateTime updatedAt; // the last message, or the chat's creation
    qint64 lastSeq = 0;
    qint64 lastModSeq = 0;
    QString createdBy; // a room's creator (may delete any of its messages); empty otherwise
    QJsonObject json;
};

using SearchResult = protocol::SearchResult;
using SearchPage = protocol::SearchPage;

struct RoomSummary {
    QString id;
    QString name;
    qint64 members = 0;
    QJsonObject json;
};

using HistoryPage = protocol::HistoryPage;

// What a download brought: its size and the name the server gave it (Content-Disposition).
struct DownloadedFile {
    qint64 size = 0;
    QString filename;
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    explicit ApiClient(ServerAccess access, QObject *parent = nullptr);

    void setToken(const QString &token) { m_token = token; }

    // One request; a body is sent as JSON. Succeeds with the parsed body (empty for 204).
    QCoro::Task<ApiResult<QJsonObject>> request(QByteArray method, QString path,
                                                QJsonObject body = {});

    QCoro::Task<ApiResult<QJsonObject>> registerAccount(QString username, QString password);
    QCoro::Task<ApiResult<LoginSession>> logIn(QString username, QString password);
    // A page of a chat's messages: the newest, those just before or just after a message, or the
    // page with the message in its middle (a search result, a replied-to message).
    enum class PageFrom { Newest, Before, After, Around };
    QCoro::Task<ApiResult<HistoryPage>>
    history(QString chatId, int limit, PageFrom from = PageFrom::Newest, QString messageId = {});
    // Every chat of the user, newest activity first (all pages).
    QCoro::Task<ApiResult<QList<ChatSummary>>> chats();
    // Every room on the server (all pages).
    QCoro::Task<ApiResult<QList<RoomSummary>>> rooms();
    // Users whose name starts with prefix (at most 20).
    QCoro::Task<ApiResult<QList<UserSummary>>> searchUsers(QString prefix);
    // The direct chat with a user, opened if it does not exist yet.
    QCoro::Task<ApiResult<ChatSummary>> openDirectChat(QString partnerId);
    QCoro::Task<ApiResult<RoomSummary>> createRoom(QString name);
    QCoro::Task<ApiResult<QJsonObject>> joinRoom(QString roomId);
    // The members of a chat the user is in; the lobby's are its online accounts.
    QCoro::Task<ApiResult<QList<UserSummary>>> members(QString chatId);
    // Changes of a message (CONTRACT §9); each answers with the message as it is now.
    QCoro::Task<ApiResult<protocol::ChatMessage>> editMessage(QString messageId, QString text);
    QCoro::Task<ApiResult<QJsonObject>> deleteMessage(QString messageId);
    QCoro::Task<ApiResult<QJsonObject>> react(QString messageId, QString emoji, bool add = true);
    // Messages of the user's chats with every word of query (chatId: only that chat), newest
    // first; beforeId continues after a page's last result.
    QCoro::Task<ApiResult<SearchPage>> search(QString query, QString chatId = {},
                                              QString beforeId = {}, int limit = 20);

    // Stores file's bytes (open for reading, read as they are sent) as an upload (CONTRACT §9).
    QCoro::Task<ApiResult<protocol::Upload>> upload(QIODevice *file, QString filename,
                                                    QString contentType);
    // Writes an upload's bytes to destination as they arrive.
    QCoro::Task<ApiResult<DownloadedFile>> download(QString uploadId, QIODevice *destination);

    // The WebSocket URL of this server for an account session (ws or wss to match http/https).
    [[nodiscard]] QUrl webSocketUrl(const QString &token) const;

private:
    // A request of path (percent-encoded, with its query) with the token and TLS settings.
    [[nodiscard]] QNetworkRequest networkRequest(const QString &path) const;
    template <typename T>
    QCoro::Task<ApiResult<QList<T>>> everyPage(QString path, QString listKey,
                                               std::optional<T> (*fromJson)(const QJsonObject &));

    ServerAccess m_access;
    QString m_token;
    QNetworkAccessManager m_network;
};

// Where a web address of a NeonChat server points: http(s)://host:port, or why it is not one.
[[nodiscard]] std::variant<QUrl, QString> serverUrl(const QString &address);

} // namespace neonchat::client
