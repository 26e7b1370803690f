// SPDX-License-Identifier: MIT
// The REST API's routes and what every handler shares: admission, CORS preflights, JSON
// bodies. The handlers live in a file per feature (httpapi_*.cpp).
#include "httpapi.h"

#include "httpparameters.h"

#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponder::StatusCode;

// The route label of a path pattern: /api/v1/users/<arg> -> /api/v1/users/{id}.
QString routeLabel(QString path) {
    return path.replace(u"<arg>"_s, u"{id}"_s);
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
    auto admitted = admitRequest(m_config, m_tokens,
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

} // namespace neonchat::server
