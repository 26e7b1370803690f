// SPDX-License-Identifier: MIT
#include "apiclient.h"

#include "protocol/codec.h"

#include <QCoroNetworkReply>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace neonchat::client {

namespace {

ApiError badAnswer(const QString &what, const QString &problem) {
    return ApiError{200, u"bad_answer"_s,
                    problem.isEmpty() ? u"the server sent a malformed %1"_s.arg(what)
                                      : u"the server sent a malformed %1: %2"_s.arg(what, problem)};
}

// The client's view of a chat: the protocol's, with the kind by name and the object as it came
// (chat-cli prints it with --json).
std::optional<ChatSummary> chatFromJson(const QJsonObject &object) {
    const auto decoded = protocol::chatSummaryFromJson(object);
    if (!decoded.ok()) {
        return std::nullopt;
    }
    const protocol::ChatSummary &chat = decoded.value();
    return ChatSummary{chat.id,
                       QString(protocol::chatKindName(chat.kind)),
                       chat.name,
                       chat.partner,
                       chat.lastMessage ? chat.lastMessage->text : QString(),
                       chat.lastMessage ? chat.lastMessage->senderId : QString(),
                       chat.unreadCount,
                       chat.updatedAt,
                       chat.lastSeq,
                       chat.lastModSeq,
                       chat.createdBy,
                       object};
}

std::optional<RoomSummary> roomFromJson(const QJsonObject &object) {
    const auto decoded = protocol::roomSummaryFromJson(object);
    if (!decoded.ok()) {
        return std::nullopt;
    }
    return RoomSummary{decoded.value().id, decoded.value().name, decoded.value().members, object};
}

std::optional<UserSummary> userFromJson(const QJsonObject &object) {
    const auto decoded = protocol::userSummaryFromJson(object);
    return decoded.ok() ? std::optional(decoded.value()) : std::nullopt;
}

// The list of users under key in an answer.
ApiResult<QList<UserSummary>> usersOf(const ApiResult<QJsonObject> &answer, QLatin1StringView key) {
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        return *error;
    }
    const QJsonValue list = std::get<QJsonObject>(answer).value(key);
    if (!list.isArray()) {
        return badAnswer(QString(key), u"no list"_s);
    }
    QList<UserSummary> users;
    for (const QJsonValue &value : list.toArray()) {
        const auto user = userFromJson(value.toObject());
        if (!user) {
            return badAnswer(u"user"_s, QString());
        }
        users.append(*user);
    }
    return users;
}

// An id or name as one percent-encoded path segment or query value.
QString encodedId(const QString &id) {
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

std::variant<QUrl, QString> serverUrl(const QString &address) {
    const QUrl url = QUrl::fromUserInput(address);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) ||
        url.host().isEmpty()) {
        return u"'%1' is not a server address like http://localhost:8080"_s.arg(address);
    }
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

ApiClient::ApiClient(ServerAccess access, QObject *parent)
    : QObject(parent)
    , m_access(std::move(access)) {}

QUrl ApiClient::webSocketUrl(const QString &token) const {
    QUrl url = m_access.server;
    url.setScheme(m_access.server.scheme() == "https"_L1 ? u"wss"_s : u"ws"_s);
    url.setPath(u"/ws"_s);
    QUrlQuery query;
    query.addQueryItem(u"token"_s, token);
    url.setQuery(query);
    return url;
}

QNetworkRequest ApiClient::networkRequest(const QString &path) const {
    QUrl url = m_access.server;
    const qsizetype queryStart = path.indexOf(u'?');
    // Paths come percent-encoded (encodedId): a name with "/" or "?" stays one segment.
    url.setPath(path.left(queryStart), QUrl::TolerantMode);
    if (queryStart >= 0) {
        url.setQuery(path.sliced(queryStart + 1));
    }
    QNetworkRequest request(url);
    // Without progress for this long a request fails; a large file may take longer as a whole.
    request.setTransferTimeout(30'000);
    if (url.scheme() == "https"_L1) {
        request.setSslConfiguration(m_access.tls);
    }
    if (!m_token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    }
    return request;
}

namespace {

// The failure a finished reply stands for, or nullopt for a success.
std::optional<ApiError> replyError(QNetworkReply &reply, const QJsonObject &answer) {
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        return ApiError{0, u"unreachable"_s, reply.errorString()};
    }
    if (status >= 400) {
        const QJsonObject error = answer.value("error"_L1).toObject();
        return ApiError{status, error.value("code"_L1).toString(),
                        error.value("message"_L1).toString(u"HTTP status %1"_s.arg(status))};
    }
    return std::nullopt;
}

} // namespace

QCoro::Task<ApiResult<QJsonObject>> ApiClient::request(QByteArray method, QString path,
                                                       QJsonObject body) {
    QNetworkRequest request = networkRequest(path);
    QByteArray payload;
    if (!body.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, payload));
    co_await reply.get();
    const QByteArray bytes = reply->readAll();
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    const QJsonObject answer = document.object();
    if (auto error = replyError(*reply, answer)) {
        co_return *error;
    }
    // Every answer with a body is a JSON object (CONTRACT §2): anything else is not our server
    // (a proxy's page, say), and must not pass for an empty success.
    if (!bytes.isEmpty() && !document.isObject()) {
        co_return badAnswer(u"answer"_s, u"not a JSON object"_s);
    }
    co_return answer;
}

QCoro::Task<ApiResult<protocol::Upload>> ApiClient::upload(QIODevice *file, QString filename,
                                                           QString contentType) {
    QNetworkRequest request = networkRequest(
        u"/api/v1/uploads?filename="_s + QString::fromLatin1(QUrl::toPercentEncoding(filename)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType.toLatin1());
    std::unique_ptr<QNetworkReply> reply(m_network.post(request, file));
    co_await reply.get();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    if (auto error = replyError(*reply, answer)) {
        co_return *error;
    }
    const auto upload = protocol::uploadFromJson(answer);
    if (!upload.ok()) {
        co_return ApiError{201, u"bad_answer"_s, u"the server sent a malformed upload"_s};
    }
    co_return upload.value();
}

namespace {

// The exact name of a Content-Disposition's filename*=UTF-8''..., else its plain filename.
QString dispositionFilename(const QByteArray &disposition) {
    for (const QByteArray &part : disposition.split(';')) {
        const QByteArray parameter = part.trimmed();
        if (parameter.startsWith("filename*=UTF-8''")) {
            return QUrl::fromPercentEncoding(parameter.sliced(17));
        }
    }
    for (const QByteArray &part : disposition.split(';')) {
        const QByteArray parameter = part.trimmed();
        if (parameter.startsWith("filename=")) {
            QByteArray name = parameter.sliced(9);
            if (name.size() >= 2 && name.startsWith('"') && name.endsWith('"')) {
                name = name.sliced(1, name.size() - 2);
            }
            return QString::fromUtf8(name);
        }
    }
    return {};
}

} // namespace

QCoro::Task<ApiResult<DownloadedFile>> ApiClient::download(QString uploadId,
                                                           QIODevice *destination) {
    std::unique_ptr<QNetworkReply> reply(
        m_network.get(networkRequest(u"/api/v1/uploads/"_s + encodedId(uploadId))));
    qint64 written = 0;
    bool writeFailed = false;
    // The file is passed on as it arrives, never held whole.
    const auto passOn = [&] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 || writeFailed) {
            return;
        }
        const QByteArray bytes = reply->readAll();
        if (destination->write(bytes) != bytes.size()) {
            writeFailed = true;
            reply->abort();
            return;
        }
        written += bytes.size();
    };
    QObject::connect(reply.get(), &QIODevice::readyRead, reply.get(), passOn);
    co_await reply.get();
    passOn();
    if (writeFailed) {
        co_return ApiError{200, u"write_failed"_s, destination->errorString()};
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    if (auto error = replyError(*reply, answer)) {
        co_return *error;
    }
    co_return DownloadedFile{written, dispositionFilename(reply->rawHeader("Content-Disposition"))};
}

QCoro::Task<ApiResult<QJsonObject>> ApiClient::registerAccount(QString username, QString password) {
    // Built before the co_await: g++ 12 cannot keep an initializer list across a suspension.
    QJsonObject credentials;
    credentials.insert("username"_L1, username);
    credentials.insert("password"_L1, password);
    co_return co_await request("POST"_ba, u"/api/v1/auth/register"_s, credentials);
}

QCoro::Task<ApiResult<LoginSession>> ApiClient::logIn(QString username, QString password) {
    QJsonObject credentials;
    credentials.insert("username"_L1, username);
    credentials.insert("password"_L1, password);
    const auto answer = co_await request("POST"_ba, u"/api/v1/auth/login"_s, credentials);
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    const QJsonObject &body = std::get<QJsonObject>(answer);
    const QJsonObject user = body.value("user"_L1).toObject();
    if (!body.value("token"_L1).isString() || !protocol::isUuid(user.value("id"_L1).toString())) {
        co_return badAnswer(u"login answer"_s, u"no token or user"_s);
    }
    co_return LoginSession{body.value("token"_L1).toString(), user.value("id"_L1).toString(),
                           user.value("username"_L1).toString(),
                           body.value("expires_in"_L1).toInteger()};
}

QCoro::Task<ApiResult<HistoryPage>> ApiClient::history(QString chatId, int limit, PageFrom from,
                                                       QString messageId) {
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(limit));
    if (from != PageFrom::Newest) {
        const QString cursor = from == PageFrom::Before  ? u"before_id"_s
                               : from == PageFrom::After ? u"after_id"_s
                                                         : u"around_id"_s;
        query.addQueryItem(cursor, messageId);
    }
    const auto answer =
        co_await request("GET"_ba, u"/api/v1/chats/%1/messages?%2"_s.arg(
                                       encodedId(chatId), query.toString(QUrl::FullyEncoded)));
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    auto page = protocol::historyPageFromJson(std::get<QJsonObject>(answer));
    if (!page.ok()) {
        co_return badAnswer(u"history page"_s, page.error().message);
    }
    co_return page.value();
}

template <typename T>
QCoro::Task<ApiResult<QList<T>>>
ApiClient::everyPage(QString path, QString listKey,
                     std::optional<T> (*fromJson)(const QJsonObject &)) {
    QList<T> items;
    // The server caps a page at 100; the offset walks on until it says there is no more.
    for (qsizetype offset = 0;;) {
        const auto answer = co_await request(
            "GET"_ba, u"%1?limit=100&offset=%2"_s.arg(path, QString::number(offset)));
        if (const auto *error = std::get_if<ApiError>(&answer)) {
            co_return *error;
        }
        const QJsonObject &body = std::get<QJsonObject>(answer);
        if (!body.value(listKey).isArray()) {
            co_return badAnswer(listKey, u"no list"_s);
        }
        const QJsonArray page = body.value(listKey).toArray();
        for (const QJsonValue &value : page) {
            std::optional<T> item = fromJson(value.toObject());
            if (!item) {
                co_return badAnswer(listKey, u"an entry the client cannot read"_s);
            }
            items.append(std::move(*item));
        }
        if (!body.value("has_more"_L1).toBool() || page.isEmpty()) {
            co_return items;
        }
        offset += page.size();
    }
}

QCoro::Task<ApiResult<QList<ChatSummary>>> ApiClient::chats() {
    co_return co_await everyPage<ChatSummary>(u"/api/v1/chats"_s, u"chats"_s, &chatFromJson);
}

QCoro::Task<ApiResult<QList<RoomSummary>>> ApiClient::rooms() {
    co_return co_await everyPage<RoomSummary>(u"/api/v1/rooms"_s, u"rooms"_s, &roomFromJson);
}

QCoro::Task<ApiResult<QList<UserSummary>>> ApiClient::searchUsers(QString prefix) {
    co_return usersOf(
        co_await request("GET"_ba, u"/api/v1/users?query=%1"_s.arg(encodedId(prefix))), "users"_L1);
}

QCoro::Task<ApiResult<protocol::ChatMessage>> ApiClient::editMessage(QString messageId,
                                                                     QString text) {
    QJsonObject body;
    body.insert("text"_L1, text);
    const auto answer =
        co_await request("PATCH"_ba, u"/api/v1/messages/"_s + encodedId(messageId), body);
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    const auto message = protocol::messageFromJson(std::get<QJsonObject>(answer));
    if (!message.ok()) {
        co_return ApiError{200, u"bad_answer"_s, u"the server sent a malformed message"_s};
    }
    co_return message.value();
}

QCoro::Task<ApiResult<QJsonObject>> ApiClient::deleteMessage(QString messageId) {
    co_return co_await request("DELETE"_ba, u"/api/v1/messages/"_s + encodedId(messageId));
}

QCoro::Task<ApiResult<QJsonObject>> ApiClient::react(QString messageId, QString emoji, bool add) {
    co_return co_await request(
        add ? "PUT"_ba : "DELETE"_ba,
        u"/api/v1/messages/%1/reactions/%2"_s.arg(encodedId(messageId), encodedId(emoji)));
}

QCoro::Task<ApiResult<SearchPage>> ApiClient::search(QString query, QString chatId,
                                                     QString beforeId, int limit) {
    QUrlQuery parameters;
    parameters.addQueryItem(u"q"_s, QString::fromLatin1(QUrl::toPercentEncoding(query)));
    parameters.addQueryItem(u"limit"_s, QString::number(limit));
    if (!chatId.isEmpty()) {
        parameters.addQueryItem(u"chat_id"_s, encodedId(chatId));
    }
    if (!beforeId.isEmpty()) {
        parameters.addQueryItem(u"before_id"_s, encodedId(beforeId));
    }
    const auto answer =
        co_await request("GET"_ba, u"/api/v1/search?"_s + parameters.toString(QUrl::FullyEncoded));
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    auto page = protocol::searchPageFromJson(std::get<QJsonObject>(answer));
    if (!page.ok()) {
        co_return badAnswer(u"search page"_s, page.error().message);
    }
    co_return page.value();
}

QCoro::Task<ApiResult<ChatSummary>> ApiClient::openDirectChat(QString partnerId) {
    QJsonObject body;
    body.insert("partner_id"_L1, partnerId);
    const auto answer = co_await request("POST"_ba, u"/api/v1/chats"_s, body);
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    std::optional<ChatSummary> chat = chatFromJson(std::get<QJsonObject>(answer));
    if (!chat) {
        co_return badAnswer(u"chat"_s, QString());
    }
    co_return *chat;
}

QCoro::Task<ApiResult<RoomSummary>> ApiClient::createRoom(QString name) {
    QJsonObject body;
    body.insert("name"_L1, name);
    const auto answer = co_await request("POST"_ba, u"/api/v1/rooms"_s, body);
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return *error;
    }
    std::optional<RoomSummary> room = roomFromJson(std::get<QJsonObject>(answer));
    if (!room) {
        co_return badAnswer(u"room"_s, QString());
    }
    co_return *room;
}

QCoro::Task<ApiResult<QJsonObject>> ApiClient::joinRoom(QString roomId) {
    co_return co_await request("POST"_ba, u"/api/v1/rooms/%1/join"_s.arg(encodedId(roomId)));
}

QCoro::Task<ApiResult<QList<UserSummary>>> ApiClient::members(QString chatId) {
    co_return usersOf(
        co_await request("GET"_ba, u"/api/v1/chats/%1/members"_s.arg(encodedId(chatId))),
        "members"_L1);
}

} // namespace neonchat::client
