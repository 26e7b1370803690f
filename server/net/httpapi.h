// SPDX-License-Identifier: MIT
// The REST API of CONTRACT §2 under /api/v1. Handlers check the request on the HTTP thread and
// hand database work to the store's threads and password hashing to a small pool of its own, so
// the event loop never waits; each answer comes back as a queued call to this object.
#pragma once

#include "auth/loginthrottle.h"
#include "auth/tokens.h"
#include "config/config.h"
#include "httpexchange.h"
#include "hub/delivery.h"
#include "hub/onlineusers.h"
#include "obs/metrics.h"
#include "requestauth.h"
#include "store/chatstore.h"

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

    void registerAccount(const ExchangePtr &exchange);
    // Hashes the password and stores the account (the name was found free).
    void storeAccount(const ExchangePtr &exchange, const QString &username,
                      const QString &password);
    void logIn(const ExchangePtr &exchange);
    // The attempt was admitted by the throttle: the password is checked and a token issued.
    void checkLogin(const ExchangePtr &exchange, const QString &username, const QString &password);
    void me(const ExchangePtr &exchange);
    void user(const ExchangePtr &exchange, const QString &userId);
    void searchUsers(const ExchangePtr &exchange);
    void openDirectChat(const ExchangePtr &exchange);
    void listChats(const ExchangePtr &exchange);
    void createRoom(const ExchangePtr &exchange);
    void listRooms(const ExchangePtr &exchange);
    void joinOrLeaveRoom(const ExchangePtr &exchange, const QString &roomId, bool join);
    void history(const ExchangePtr &exchange, const QString &chatId);
    void members(const ExchangePtr &exchange, const QString &chatId);
    // CONTRACT §9 search (httpapi_search.cpp).
    void search(const ExchangePtr &exchange);
    // CONTRACT §9 (httpapi_messages.cpp).
    void setUpMessageRoutes();
    void editMessage(const ExchangePtr &exchange, const QString &messageId);
    void deleteMessage(const ExchangePtr &exchange, const QString &messageId);
    void changeReaction(const ExchangePtr &exchange, const QString &messageId, const QString &emoji,
                        ReactionChange change);
    // The answer to a change: the failure, or success (and the members told of a real change).
    void answerChange(const ExchangePtr &exchange, const Outcome<MessageChange> &result,
                      bool withMessage);

    // Runs work on the hashing pool, then done with its result on this object's thread. When
    // kMaxQueuedHashes wait already, answers 503 with Retry-After instead and runs nothing.
    template <typename T>
    void hashInPool(const ExchangePtr &exchange, std::function<T()> work,
                    std::function<void(T)> done);

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
    // Argon2id takes 64 MiB and tens of milliseconds per call: two at a time at most, and at most
    // kMaxQueuedHashes waiting, so a burst of requests cannot delay a real login for long.
    static constexpr int kMaxQueuedHashes = 16;
    QThreadPool m_hashPool;
    int m_queuedHashes = 0;
};

} // namespace neonchat::server
