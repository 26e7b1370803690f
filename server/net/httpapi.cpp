// SPDX-License-Identifier: MIT
#include "httpapi.h"

#include "httpparameters.h"

#include "auth/passwords.h"
#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kUserSearchLimit = 20;
constexpr int kMembersLimit = 200;
constexpr int kRoomNameMaxChars = 80;

QJsonValue timestampOrNull(const std::optional<qint64> &ms) {
    if (!ms) {
        return QJsonValue::Null;
    }
    return protocol::formatTimestamp(QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC));
}

QString timestamp(qint64 ms) {
    return protocol::formatTimestamp(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

bool isValidUsername(const QString &username) {
    static const QRegularExpression pattern(u"^[A-Za-z0-9_.-]{3,50}$"_s);
    return pattern.match(username).hasMatch();
}

struct PageParameters {
    int limit = 20;
    int offset = 0;
};

// limit (default 20, at most 100) and offset of a list route; nullopt once a 400 is answered.
std::optional<PageParameters> pageParameters(const ExchangePtr &exchange) {
    const std::optional<int> limit = intParameter(exchange, u"limit"_s, 20, 1, 100);
    if (!limit) {
        return std::nullopt;
    }
    const std::optional<int> offset = intParameter(exchange, u"offset"_s, 0, 0, 1'000'000);
    if (!offset) {
        return std::nullopt;
    }
    return PageParameters{*limit, *offset};
}

std::optional<bool> boolParameter(const ExchangePtr &exchange, const QString &name) {
    const QString value = exchange->query().queryItemValue(name).toLower();
    if (value.isEmpty() || value == "false"_L1 || value == "0"_L1) {
        return false;
    }
    if (value == "true"_L1 || value == "1"_L1) {
        return true;
    }
    exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                   u"%1 must be true or false"_s.arg(name));
    return std::nullopt;
}

// The route label of a path pattern: /api/v1/users/<arg> -> /api/v1/users/{id}.
QString routeLabel(QString path) {
    return path.replace(u"<arg>"_s, u"{id}"_s);
}

QJsonObject accountJson(const UserRecord &user) {
    return {{"id"_L1, user.id},
            {"username"_L1, user.username},
            {"created_at"_L1, timestamp(user.createdAtMs)}};
}

} // namespace

HttpApi::HttpApi(QHttpServer &http, const Config &config, ChatStore &store,
                 const TokenSigner &tokens, OnlineUsers &online, LoginAttempts &loginAttempts,
                 Metrics &metrics, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_config(config)
    , m_store(store)
    , m_tokens(tokens)
    , m_online(online)
    , m_metrics(metrics)
    , m_loginAttempts(loginAttempts) {
    m_hashPool.setMaxThreadCount(2);
    setUpRoutes();
}

HttpApi::~HttpApi() {
    m_hashPool.waitForDone();
}

std::variant<TokenClaims, TokenProblem> HttpApi::verifyToken(QByteArrayView token) const {
    return m_tokens.verify(token, QDateTime::currentSecsSinceEpoch());
}

void HttpApi::setUpRoutes() {
    on(Method::Post, u"/api/v1/auth/register"_s, Access::Open,
       [this](const ExchangePtr &exchange) { registerAccount(exchange); });
    on(Method::Post, u"/api/v1/auth/login"_s, Access::Open,
       [this](const ExchangePtr &exchange) { logIn(exchange); });
    on(Method::Get, u"/api/v1/me"_s, Access::Account,
       [this](const ExchangePtr &exchange) { me(exchange); });
    on(Method::Get, u"/api/v1/users"_s, Access::Account,
       [this](const ExchangePtr &exchange) { searchUsers(exchange); });
    onWithId(Method::Get, u"/api/v1/users/<arg>"_s, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) { user(exchange, id); });
    on(Method::Post, u"/api/v1/chats"_s, Access::Account,
       [this](const ExchangePtr &exchange) { openDirectChat(exchange); });
    on(Method::Get, u"/api/v1/chats"_s, Access::Account,
       [this](const ExchangePtr &exchange) { listChats(exchange); });
    onWithId(Method::Get, u"/api/v1/chats/<arg>/messages"_s, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) { history(exchange, id); });
    onWithId(Method::Get, u"/api/v1/chats/<arg>/members"_s, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) { members(exchange, id); });
    on(Method::Post, u"/api/v1/rooms"_s, Access::Account,
       [this](const ExchangePtr &exchange) { createRoom(exchange); });
    on(Method::Get, u"/api/v1/rooms"_s, Access::Account,
       [this](const ExchangePtr &exchange) { listRooms(exchange); });
    onWithId(Method::Post, u"/api/v1/rooms/<arg>/join"_s, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) {
                 joinOrLeaveRoom(exchange, id, true);
             });
    onWithId(Method::Post, u"/api/v1/rooms/<arg>/leave"_s, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) {
                 joinOrLeaveRoom(exchange, id, false);
             });
    setUpMessageRoutes();
    on(Method::Get, u"/api/v1/search"_s, Access::Account,
       [this](const ExchangePtr &exchange) { search(exchange); });
    allowPreflight(u"/api/v1/search"_s, false);
    // The uploads' own requests are the front's (uploads.h); their preflights are answered here.
    allowPreflight(u"/api/v1/uploads"_s, false);
    allowPreflight(u"/api/v1/uploads/<arg>"_s, true);
    for (const QString &path :
         {u"/api/v1/auth/register"_s, u"/api/v1/auth/login"_s, u"/api/v1/me"_s, u"/api/v1/users"_s,
          u"/api/v1/chats"_s, u"/api/v1/rooms"_s}) {
        allowPreflight(path, false);
    }
    for (const QString &path : {u"/api/v1/users/<arg>"_s, u"/api/v1/chats/<arg>/messages"_s,
                                u"/api/v1/chats/<arg>/members"_s, u"/api/v1/rooms/<arg>/join"_s,
                                u"/api/v1/rooms/<arg>/leave"_s}) {
        allowPreflight(path, true);
    }
}

void HttpApi::on(Method method, const QString &path, Access access, Handler handler) {
    m_http.route(path, method,
                 [this, access, handler = std::move(handler), route = routeLabel(path)](
                     const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     auto exchange = std::make_shared<HttpExchange>(request, std::move(responder),
                                                                    route, m_metrics);
                     if (admit(exchange, access)) {
                         handler(exchange);
                     }
                 });
}

void HttpApi::onWithId(Method method, const QString &path, Access access, IdHandler handler) {
    m_http.route(path, method,
                 [this, access, handler = std::move(handler),
                  route = routeLabel(path)](const QString &id, const QHttpServerRequest &request,
                                            QHttpServerResponder &&responder) {
                     auto exchange = std::make_shared<HttpExchange>(request, std::move(responder),
                                                                    route, m_metrics);
                     if (admit(exchange, access)) {
                         handler(exchange, id);
                     }
                 });
}

void HttpApi::allowPreflight(const QString &path, bool withId) {
    const QString route = routeLabel(path);
    if (withId) {
        m_http.route(path, Method::Options,
                     [this, route](const QString &, const QHttpServerRequest &request,
                                   QHttpServerResponder &&responder) {
                         preflight(std::make_shared<HttpExchange>(request, std::move(responder),
                                                                  route, m_metrics));
                     });
    } else {
        m_http.route(
            path, Method::Options,
            [this, route](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                preflight(std::make_shared<HttpExchange>(request, std::move(responder), route,
                                                         m_metrics));
            });
    }
}

void HttpApi::preflight(const ExchangePtr &exchange) {
    const QString origin = QString::fromUtf8(exchange->header("origin"));
    if (!isAddressAllowed(m_config, exchange->peer())) {
        exchange->fail(StatusCode::Forbidden, "forbidden"_L1, u"your address is not allowed"_s);
        return;
    }
    if (origin.isEmpty() || m_config.corsOrigins.isEmpty() || !isOriginAllowed(m_config, origin)) {
        exchange->fail(StatusCode::Forbidden, "forbidden"_L1, u"origin not allowed"_s);
        return;
    }
    exchange->addResponseHeader("Access-Control-Allow-Origin"_ba, origin.toUtf8());
    exchange->addResponseHeader("Vary"_ba, "Origin"_ba);
    exchange->addResponseHeader("Access-Control-Allow-Methods"_ba,
                                "GET, POST, PUT, PATCH, DELETE, OPTIONS"_ba);
    exchange->addResponseHeader("Access-Control-Allow-Headers"_ba,
                                "Authorization, Content-Type, X-Request-Id, traceparent"_ba);
    exchange->addResponseHeader("Access-Control-Max-Age"_ba, "600"_ba);
    exchange->replyNoContent();
}

bool HttpApi::admit(const ExchangePtr &exchange, Access access) {
    auto admitted = admitRequest(
        m_config, m_tokens,
        RequestCredentials{exchange->peer(), exchange->header("origin"),
                           exchange->header("authorization")},
        access, QDateTime::currentSecsSinceEpoch());
    if (auto *refusal = std::get_if<Refusal>(&admitted)) {
        for (const auto &[name, value] : std::as_const(refusal->headers)) {
            exchange->addResponseHeader(name, value);
        }
        exchange->fail(static_cast<StatusCode>(refusal->status), refusal->code, refusal->message);
        return false;
    }
    auto &admission = std::get<Admission>(admitted);
    for (const auto &[name, value] : std::as_const(admission.headers)) {
        exchange->addResponseHeader(name, value);
    }
    exchange->account = std::move(admission.account);
    return true;
}

std::optional<QJsonObject> HttpApi::jsonBody(const ExchangePtr &exchange) {
    if (exchange->body().size() > kMaxBodyBytes) {
        exchange->fail(StatusCode::PayloadTooLarge, "too_large"_L1,
                       u"the body is larger than %1 bytes"_s.arg(kMaxBodyBytes));
        return std::nullopt;
    }
    const QByteArray contentType = exchange->header("content-type");
    const QByteArray mediaType = contentType.split(';').constFirst().trimmed().toLower();
    if (mediaType != "application/json") {
        exchange->fail(StatusCode::UnsupportedMediaType, "unsupported_media_type"_L1,
                       u"send the body as application/json"_s);
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(exchange->body(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        exchange->fail(StatusCode::BadRequest, "invalid_json"_L1,
                       u"the body must be one JSON object"_s);
        return std::nullopt;
    }
    return document.object();
}

template <typename T>
void HttpApi::hashInPool(const ExchangePtr &exchange, std::function<T()> work,
                         std::function<void(T)> done) {
    if (m_queuedHashes >= kMaxQueuedHashes) {
        m_metrics.hashQueueFull();
        exchange->addResponseHeader("Retry-After"_ba, "1"_ba);
        exchange->fail(StatusCode::ServiceUnavailable, "busy"_L1,
                       u"too many logins and registrations at once; try again in a second"_s);
        return;
    }
    ++m_queuedHashes;
    m_hashPool.start([this, work = std::move(work), done = std::move(done)]() mutable {
        m_metrics.passwordHashed();
        QMetaObject::invokeMethod(
            this,
            [this, result = work(), done = std::move(done)]() mutable {
                --m_queuedHashes;
                done(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

void HttpApi::registerAccount(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (!isValidUsername(username)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"username must be 3-50 characters of A-Z, a-z, 0-9, _ . -"_s);
        return;
    }
    if (protocol::characterCount(password) < 8 || password.toUtf8().size() > kPasswordMaxBytes) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"password must be at least 8 characters (and at most %1 bytes)"_s.arg(
                           kPasswordMaxBytes));
        return;
    }
    if (const auto wait = m_registrationThrottle.tryRegister(
            exchange->peer(), m_config.limits.registerRate, nowMs())) {
        exchange->addResponseHeader("Retry-After"_ba, QByteArray::number(*wait));
        exchange->fail(StatusCode::TooManyRequests, "rate_limited"_L1,
                       u"too many registrations from your address; try again in %1 s"_s.arg(*wait));
        return;
    }
    // A taken name is answered before any hashing; a race to a free name is settled by the
    // unique index when the row goes in.
    m_store.isUsernameTaken(username, this,
                            [this, exchange, username, password](const Outcome<bool> &taken) {
                                if (const auto *failure = std::get_if<Failure>(&taken)) {
                                    exchange->fail(*failure);
                                } else if (std::get<bool>(taken)) {
                                    exchange->fail(StatusCode::Conflict, "username_taken"_L1,
                                                   u"that username is taken"_s);
                                } else {
                                    storeAccount(exchange, username, password);
                                }
                            });
}

void HttpApi::storeAccount(const ExchangePtr &exchange, const QString &username,
                           const QString &password) {
    hashInPool<std::optional<QByteArray>>(
        exchange, [password] { return hashPassword(password); },
        [this, exchange, username](std::optional<QByteArray> hash) {
            if (!hash) {
                exchange->fail(Failure{FailureKind::Internal, u"hashing a password"_s});
                return;
            }
            const qint64 now = nowMs();
            m_store.createUser(username, *hash, now, this,
                               [exchange](const Outcome<UserRecord> &created) {
                                   if (const auto *failure = std::get_if<Failure>(&created)) {
                                       if (failure->kind == FailureKind::Conflict) {
                                           exchange->fail(StatusCode::Conflict, "username_taken"_L1,
                                                          u"that username is taken"_s);
                                       } else {
                                           exchange->fail(*failure);
                                       }
                                       return;
                                   }
                                   exchange->reply(StatusCode::Created,
                                                   accountJson(std::get<UserRecord>(created)));
                               });
        });
}

void HttpApi::logIn(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (username.isEmpty() || password.isEmpty() || password.toUtf8().size() > kPasswordMaxBytes) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"username and password are required"_s);
        return;
    }
    m_loginAttempts.admit(
        exchange->peer(), username, this,
        [this, exchange, username, password](LoginAttempts::Verdict wait) {
            if (wait) {
                exchange->addResponseHeader("Retry-After"_ba, QByteArray::number(*wait));
                exchange->fail(StatusCode::TooManyRequests, "rate_limited"_L1,
                               u"too many login attempts; try again in %1 s"_s.arg(*wait));
                return;
            }
            checkLogin(exchange, username, password);
        });
}

void HttpApi::checkLogin(const ExchangePtr &exchange, const QString &username,
                         const QString &password) {
    m_store.findLogin(
        username, this, [this, exchange, username, password](const Outcome<LoginRecord> &found) {
            const auto *login = std::get_if<LoginRecord>(&found);
            if (!login && std::get<Failure>(found).kind != FailureKind::NotFound) {
                exchange->fail(std::get<Failure>(found));
                return;
            }
            // An unknown name costs one verification too, against a hash no password matches.
            const QByteArray hash = login ? login->passwordHash : decoyPasswordHash();
            const std::optional<UserRecord> user =
                login ? std::optional(login->user) : std::nullopt;
            hashInPool<bool>(
                exchange, [hash, password] { return verifyPassword(hash, password); },
                [this, exchange, user, username](bool matches) {
                    if (!matches || !user) {
                        exchange->fail(StatusCode::Unauthorized, "invalid_credentials"_L1,
                                       u"wrong username or password"_s);
                        return;
                    }
                    m_loginAttempts.succeeded(exchange->peer(), username);
                    const QString token = m_tokens.issue(user->id, user->username,
                                                         QDateTime::currentSecsSinceEpoch());
                    exchange->reply(
                        StatusCode::Ok,
                        {{"token"_L1, token},
                         {"expires_in"_L1, static_cast<qint64>(TokenSigner::kLifetime.count())},
                         {"user"_L1,
                          QJsonObject{{"id"_L1, user->id}, {"username"_L1, user->username}}}});
                });
        });
}

void HttpApi::me(const ExchangePtr &exchange) {
    m_store.findUser(exchange->account->userId, this, [exchange](const Outcome<UserRecord> &found) {
        if (const auto *failure = std::get_if<Failure>(&found)) {
            if (failure->kind == FailureKind::NotFound) {
                exchange->fail(StatusCode::Unauthorized, "unauthorized"_L1,
                               u"the token's account no longer exists"_s);
            } else {
                exchange->fail(*failure);
            }
            return;
        }
        exchange->reply(StatusCode::Ok, accountJson(std::get<UserRecord>(found)));
    });
}

void HttpApi::user(const ExchangePtr &exchange, const QString &userId) {
    if (!protocol::isUuid(userId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such user"_s);
        return;
    }
    m_store.findUser(userId, this, [this, exchange](const Outcome<UserRecord> &found) {
        if (const auto *failure = std::get_if<Failure>(&found)) {
            exchange->fail(*failure);
            return;
        }
        const auto &user = std::get<UserRecord>(found);
        exchange->reply(StatusCode::Ok, {{"id"_L1, user.id},
                                         {"username"_L1, user.username},
                                         {"online"_L1, m_online.isOnline(user.id)},
                                         {"last_seen_at"_L1, timestampOrNull(user.lastSeenAtMs)}});
    });
}

void HttpApi::searchUsers(const ExchangePtr &exchange) {
    const QString prefix = exchange->query().queryItemValue(u"query"_s, QUrl::FullyDecoded);
    if (prefix.size() > 50) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"query is longer than a username can be"_s);
        return;
    }
    m_store.searchUsers(prefix, kUserSearchLimit, this,
                        [this, exchange](const Outcome<QList<UserRecord>> &found) {
                            if (const auto *failure = std::get_if<Failure>(&found)) {
                                exchange->fail(*failure);
                                return;
                            }
                            QJsonArray users;
                            for (const UserRecord &user : std::get<QList<UserRecord>>(found)) {
                                users.append(userJson(user));
                            }
                            exchange->reply(StatusCode::Ok, {{"users"_L1, users}});
                        });
}

QJsonObject HttpApi::userJson(const UserRecord &user) const {
    return protocol::toJson(
        protocol::UserSummary{user.id, user.username, m_online.isOnline(user.id)});
}

QJsonObject HttpApi::chatJson(const ChatSummary &chat) const {
    protocol::ChatSummary summary{chat.id,
                                  chat.kind,
                                  chat.name,
                                  std::nullopt,
                                  std::nullopt,
                                  chat.unreadCount,
                                  QDateTime::fromMSecsSinceEpoch(chat.updatedAtMs, Qt::UTC),
                                  chat.lastSeq,
                                  chat.lastModSeq};
    if (chat.partner) {
        summary.partner = protocol::UserSummary{chat.partner->id, chat.partner->username,
                                                m_online.isOnline(chat.partner->id)};
    }
    if (chat.lastMessage) {
        summary.lastMessage = protocol::LastMessage{
            chat.lastMessage->id, chat.lastMessage->text, chat.lastMessage->senderId,
            QDateTime::fromMSecsSinceEpoch(chat.lastMessage->createdAtMs, Qt::UTC)};
    }
    return protocol::toJson(summary);
}

void HttpApi::openDirectChat(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString partnerId = body->value("partner_id"_L1).toString();
    if (!protocol::isUuid(partnerId)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"partner_id must be a user id"_s);
        return;
    }
    const qint64 now = nowMs();
    m_store.openDirectChat(exchange->account->userId, partnerId, now, this,
                           [this, exchange](const Outcome<DirectChat> &opened) {
                               if (const auto *failure = std::get_if<Failure>(&opened)) {
                                   exchange->fail(*failure);
                                   return;
                               }
                               const auto &direct = std::get<DirectChat>(opened);
                               exchange->reply(direct.created ? StatusCode::Created
                                                              : StatusCode::Ok,
                                               chatJson(direct.chat));
                           });
}

void HttpApi::listChats(const ExchangePtr &exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    const std::optional<bool> unreadOnly =
        page ? boolParameter(exchange, u"unread_only"_s) : std::nullopt;
    if (!unreadOnly) {
        return;
    }
    m_store.listChats(exchange->account->userId, page->limit, page->offset, *unreadOnly, this,
                      [this, exchange](const Outcome<ChatPage> &listed) {
                          if (const auto *failure = std::get_if<Failure>(&listed)) {
                              exchange->fail(*failure);
                              return;
                          }
                          const auto &page = std::get<ChatPage>(listed);
                          QJsonArray chats;
                          for (const ChatSummary &chat : page.chats) {
                              chats.append(chatJson(chat));
                          }
                          exchange->reply(StatusCode::Ok, {{"chats"_L1, chats},
                                                           {"total"_L1, page.total},
                                                           {"has_more"_L1, page.hasMore}});
                      });
}

void HttpApi::createRoom(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString name = body->value("name"_L1).toString().trimmed();
    if (name.isEmpty() || protocol::characterCount(name) > kRoomNameMaxChars) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"name must be 1-%1 characters"_s.arg(kRoomNameMaxChars));
        return;
    }
    const qint64 now = nowMs();
    m_store.createRoom(
        exchange->account->userId, name, now, this, [exchange](const Outcome<RoomRecord> &created) {
            if (const auto *failure = std::get_if<Failure>(&created)) {
                exchange->fail(*failure);
                return;
            }
            const auto &room = std::get<RoomRecord>(created);
            exchange->reply(StatusCode::Created, {{"id"_L1, room.id},
                                                  {"name"_L1, room.name},
                                                  {"created_at"_L1, timestamp(room.createdAtMs)}});
        });
}

void HttpApi::listRooms(const ExchangePtr &exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    if (!page) {
        return;
    }
    m_store.listRooms(page->limit, page->offset, this, [exchange](const Outcome<RoomPage> &listed) {
        if (const auto *failure = std::get_if<Failure>(&listed)) {
            exchange->fail(*failure);
            return;
        }
        const auto &page = std::get<RoomPage>(listed);
        QJsonArray rooms;
        for (const RoomRecord &room : page.rooms) {
            rooms.append(protocol::toJson(protocol::RoomSummary{room.id, room.name, room.members}));
        }
        exchange->reply(
            StatusCode::Ok,
            {{"rooms"_L1, rooms}, {"total"_L1, page.total}, {"has_more"_L1, page.hasMore}});
    });
}

void HttpApi::joinOrLeaveRoom(const ExchangePtr &exchange, const QString &roomId, bool join) {
    if (!protocol::isUuid(roomId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such room"_s);
        return;
    }
    auto answered = [exchange](const Outcome<Done> &done) {
        if (const auto *failure = std::get_if<Failure>(&done)) {
            exchange->fail(*failure);
            return;
        }
        exchange->replyNoContent();
    };
    if (join) {
        m_store.joinRoom(exchange->account->userId, roomId, nowMs(), this, std::move(answered));
    } else {
        m_store.leaveRoom(exchange->account->userId, roomId, this, std::move(answered));
    }
}

void HttpApi::history(const ExchangePtr &exchange, const QString &chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        return;
    }
    HistoryQuery query;
    query.chatId = chatId;
    const std::optional<int> limit = intParameter(exchange, u"limit"_s, 50, 1, 200);
    if (!limit) {
        return;
    }
    query.limit = *limit;
    const auto before = uuidParameter(exchange, u"before_id"_s);
    if (!before) {
        return;
    }
    const auto after = uuidParameter(exchange, u"after_id"_s);
    if (!after) {
        return;
    }
    const auto around = uuidParameter(exchange, u"around_id"_s);
    if (!around) {
        return;
    }
    if (int(before->has_value()) + int(after->has_value()) + int(around->has_value()) > 1) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"give one of before_id, after_id and around_id"_s);
        return;
    }
    query.beforeId = *before;
    query.afterId = *after;
    query.aroundId = *around;
    m_store.history(exchange->account->userId, query, this,
                    [exchange](const Outcome<HistoryPage> &read) {
                        if (const auto *failure = std::get_if<Failure>(&read)) {
                            exchange->fail(*failure);
                            return;
                        }
                        exchange->reply(StatusCode::Ok,
                                        protocol::toJson(std::get<HistoryPage>(read)));
                    });
}

void HttpApi::members(const ExchangePtr &exchange, const QString &chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        return;
    }
    // Every account is in the lobby: listing them all says nothing, so it lists who is online.
    std::optional<QStringList> onlyIds;
    if (chatId == protocol::kLobbyId) {
        onlyIds = m_online.some(kMembersLimit);
    }
    m_store.chatMembers(exchange->account->userId, chatId, onlyIds, kMembersLimit, this,
                        [this, exchange](const Outcome<QList<UserRecord>> &found) {
                            if (const auto *failure = std::get_if<Failure>(&found)) {
                                exchange->fail(*failure);
                                return;
                            }
                            QJsonArray members;
                            for (const UserRecord &user : std::get<QList<UserRecord>>(found)) {
                                members.append(userJson(user));
                            }
                            exchange->reply(StatusCode::Ok, {{"members"_L1, members}});
                        });
}

} // namespace neonchat::server
