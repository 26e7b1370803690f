// SPDX-License-Identifier: MIT
// The REST API of CONTRACT §2 under /api/v1. Each handler is a QCoro coroutine on the HTTP
// thread: it checks the request, then awaits the store's threads and a small password-hashing
// pool of its own (answer.h), so the event loop never waits. One file per feature:
// httpapi_accounts, _chats, _rooms, _messages, _search; files are the front's (uploads.h).
#pragma once

#include "answer.h"
#include "auth/loginthrottle.h"
#include "auth/tokens.h"
#include "config/config.h"
#include "httpexchange.h"
#include "hub/delivery.h"
#include "hub/onlineusers.h"
#include "obs/metrics.h"
#include "requestauth.h"
#include "store/chatstore.h"

#include <QCoroTask>
#include <QHttpServer>
#include <QObject>
#include <QThreadPool>

#include <functional>

namespace neonchat::server {

class HttpApi : public QObject {
    Q_OBJECT
public:
    // config is the server's live configuration (CORS, IP lists and the access token follow it).
    // loginAttempts counts logins (per instance, or for the whole cluster) and must outlive this.
    HttpApi(QHttpServer &http, const Config &config, ChatStore &store, const TokenSigner &tokens,
            OnlineUsers &online, LoginAttempts &loginAttempts, Metrics &metrics,
            QObject *parent = nullptr);
    ~HttpApi() override;

    // Largest request body accepted, bytes.
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024;

    // Checks an Authorization header or ?token= value for /ws: the account it names, or nullopt.
    [[nodiscard]] std::variant<TokenClaims, TokenProblem> verifyToken(QByteArrayView token) const;

Q_SIGNALS:
    // A message was edited, deleted or reacted to: its members are to be told (the hub's job).
    void messageChanged(const neonchat::server::ChangeNotice &notice);

private:
    using Handler = std::function<void(const ExchangePtr &)>;
    using IdHandler = std::function<void(const ExchangePtr &, const QString &)>;

    void setUpRoutes();
    void on(QHttpServerRequest::Method method, const QString &path, Access access, Handler handler);
    void onWithId(QHttpServerRequest::Method method, const QString &path, Access access,
                  IdHandler handler);
    void allowPreflight(const QString &path, bool withId);
    // Common checks before a handler runs; false when the exchange has been answered already.
    [[nodiscard]] bool admit(const ExchangePtr &exchange, Access access);
    void preflight(const ExchangePtr &exchange);
    // The body as a JSON object, or nullopt after answering 413, 415 or 400.
    [[nodiscard]] std::optional<QJsonObject> jsonBody(const ExchangePtr &exchange);

    // The handlers: coroutines that answer their exchange, started by the routes and left to run
    // (a handler holds its exchange, and the exchange answers the client once).
    QCoro::Task<> registerAccount(ExchangePtr exchange);
    QCoro::Task<> logIn(ExchangePtr exchange);
    QCoro::Task<> me(ExchangePtr exchange);
    QCoro::Task<> user(ExchangePtr exchange, QString userId);
    QCoro::Task<> searchUsers(ExchangePtr exchange);
    QCoro::Task<> openDirectChat(ExchangePtr exchange);
    QCoro::Task<> listChats(ExchangePtr exchange);
    QCoro::Task<> createRoom(ExchangePtr exchange);
    QCoro::Task<> listRooms(ExchangePtr exchange);
    QCoro::Task<> joinOrLeaveRoom(ExchangePtr exchange, QString roomId, bool join);
    QCoro::Task<> history(ExchangePtr exchange, QString chatId);
    QCoro::Task<> members(ExchangePtr exchange, QString chatId);
    // CONTRACT §9 search (httpapi_search.cpp).
    QCoro::Task<> search(ExchangePtr exchange);
    // CONTRACT §9 (httpapi_messages.cpp).
    void setUpMessageRoutes();
    QCoro::Task<> editMessage(ExchangePtr exchange, QString messageId);
    QCoro::Task<> deleteMessage(ExchangePtr exchange, QString messageId);
    QCoro::Task<> changeReaction(ExchangePtr exchange, QString messageId, QString emoji,
                                 ReactionChange change);
    // The answer to a change: the failure, or success (and the members told of a real change).
    void answerChange(const ExchangePtr &exchange, const Outcome<MessageChange> &result,
                      bool withMessage);

    // An answer of the store: co_await store<T>([&](auto done) { m_store.call(..., this, done); }).
    template <typename T>
    [[nodiscard]] static Answer<Outcome<T>> store(typename Answer<Outcome<T>>::Start start) {
        return Answer<Outcome<T>>(std::move(start));
    }
    // Whether the hashing pool takes one more job; else 503 with Retry-After is answered. At most
    // kMaxQueuedHashes wait, so a burst of requests cannot delay a real login for long.
    [[nodiscard]] bool admitHash(const ExchangePtr &exchange);
    // work's result, computed on the hashing pool (after admitHash), back on this object's thread.
    template <typename T>
    [[nodiscard]] Answer<T> hashed(std::function<T()> work);

    // id, username and whether the user is online now.
    [[nodiscard]] QJsonObject userJson(const UserRecord &user) const;
    [[nodiscard]] QJsonObject chatJson(const ChatSummary &chat) const;

    QHttpServer &m_http;
    const Config &m_config;
    ChatStore &m_store;
    const TokenSigner &m_tokens;
    OnlineUsers &m_online;
    Metrics &m_metrics;
    LoginAttempts &m_loginAttempts;
    RegistrationThrottle m_registrationThrottle;
    // Argon2id takes 64 MiB and tens of milliseconds per call: two at a time at most.
    static constexpr int kMaxQueuedHashes = 16;
    QThreadPool m_hashPool;
    int m_queuedHashes = 0;
};

} // namespace neonchat::server
