// SPDX-License-Identifier: MIT
// Accounts (CONTRACT §2): register, log in, who one is, users by id and by name.
#include "httpapi.h"

#include "httpparameters.h"

#include "auth/passwords.h"
#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kUserSearchLimit = 20;

bool isValidUsername(const QString &username) {
    static const QRegularExpression pattern(u"^[A-Za-z0-9_.-]{3,50}$"_s);
    return pattern.match(username).hasMatch();
}

QJsonObject accountJson(const UserRecord &user) {
    return {{"id"_L1, user.id},
            {"username"_L1, user.username},
            {"created_at"_L1, timestampText(user.createdAtMs)}};
}

} // namespace

bool HttpApi::admitHash(const ExchangePtr &exchange) {
    if (m_queuedHashes < kMaxQueuedHashes) {
        return true;
    }
    m_metrics.hashQueueFull();
    exchange->addResponseHeader("Retry-After"_ba, "1"_ba);
    exchange->fail(StatusCode::ServiceUnavailable, "busy"_L1,
                   u"too many logins and registrations at once; try again in a second"_s);
    return false;
}

template <typename T>
Answer<T> HttpApi::hashed(std::function<T()> work) {
    return Answer<T>([this, work = std::move(work)](std::function<void(T)> done) mutable {
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
    });
}

QCoro::Task<> HttpApi::registerAccount(ExchangePtr exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        co_return;
    }
    const QString username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (!isValidUsername(username)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"username must be 3-50 characters of A-Z, a-z, 0-9, _ . -"_s);
        co_return;
    }
    if (protocol::characterCount(password) < 8 || password.toUtf8().size() > kPasswordMaxBytes) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"password must be at least 8 characters (and at most %1 bytes)"_s.arg(
                           kPasswordMaxBytes));
        co_return;
    }
    if (const auto wait = m_registrationThrottle.tryRegister(
            exchange->peer(), m_config.limits.registerRate, QDateTime::currentMSecsSinceEpoch())) {
        exchange->addResponseHeader("Retry-After"_ba, QByteArray::number(*wait));
        exchange->fail(StatusCode::TooManyRequests, "rate_limited"_L1,
                       u"too many registrations from your address; try again in %1 s"_s.arg(*wait));
        co_return;
    }
    // A taken name is answered before any hashing; a race to a free name is settled by the
    // unique index when the row goes in.
    auto takenCall =
        store<bool>([&](auto done) { m_store.isUsernameTaken(username, this, std::move(done)); });
    const Outcome<bool> taken = co_await takenCall;
    if (const auto *failure = std::get_if<Failure>(&taken)) {
        exchange->fail(*failure);
        co_return;
    }
    if (std::get<bool>(taken)) {
        exchange->fail(StatusCode::Conflict, "username_taken"_L1, u"that username is taken"_s);
        co_return;
    }
    if (!admitHash(exchange)) {
        co_return;
    }
    auto hashCall =
        hashed<std::optional<QByteArray>>([password] { return hashPassword(password); });
    const std::optional<QByteArray> hash = co_await hashCall;
    if (!hash) {
        exchange->fail(Failure{FailureKind::Internal, u"hashing a password"_s});
        co_return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto createdCall = store<UserRecord>(
        [&](auto done) { m_store.createUser(username, *hash, now, this, std::move(done)); });
    const Outcome<UserRecord> created = co_await createdCall;
    if (const auto *failure = std::get_if<Failure>(&created)) {
        if (failure->kind == FailureKind::Conflict) {
            exchange->fail(StatusCode::Conflict, "username_taken"_L1, u"that username is taken"_s);
        } else {
            exchange->fail(*failure);
        }
        co_return;
    }
    exchange->reply(StatusCode::Created, accountJson(std::get<UserRecord>(created)));
}

QCoro::Task<> HttpApi::logIn(ExchangePtr exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        co_return;
    }
    const QString username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (username.isEmpty() || password.isEmpty() || password.toUtf8().size() > kPasswordMaxBytes) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"username and password are required"_s);
        co_return;
    }
    auto waitCall = Answer<LoginAttempts::Verdict>([&](auto done) {
        m_loginAttempts.admit(exchange->peer(), username, this, std::move(done));
    });
    const LoginAttempts::Verdict wait = co_await waitCall;
    if (wait) {
        exchange->addResponseHeader("Retry-After"_ba, QByteArray::number(*wait));
        exchange->fail(StatusCode::TooManyRequests, "rate_limited"_L1,
                       u"too many login attempts; try again in %1 s"_s.arg(*wait));
        co_return;
    }
    auto foundCall =
        store<LoginRecord>([&](auto done) { m_store.findLogin(username, this, std::move(done)); });
    const Outcome<LoginRecord> found = co_await foundCall;
    const auto *login = std::get_if<LoginRecord>(&found);
    if (!login && std::get<Failure>(found).kind != FailureKind::NotFound) {
        exchange->fail(std::get<Failure>(found));
        co_return;
    }
    // An unknown name costs one verification too, against a hash no password matches.
    const QByteArray hash = login ? login->passwordHash : decoyPasswordHash();
    const std::optional<UserRecord> user = login ? std::optional(login->user) : std::nullopt;
    if (!admitHash(exchange)) {
        co_return;
    }
    auto matchesCall = hashed<bool>([hash, password] { return verifyPassword(hash, password); });
    const bool matches = co_await matchesCall;
    if (!matches || !user) {
        exchange->fail(StatusCode::Unauthorized, "invalid_credentials"_L1,
                       u"wrong username or password"_s);
        co_return;
    }
    m_loginAttempts.succeeded(exchange->peer(), username);
    const QString token =
        m_tokens.issue(user->id, user->username, QDateTime::currentSecsSinceEpoch());
    QJsonObject answer;
    answer.insert("token"_L1, token);
    answer.insert("expires_in"_L1, static_cast<qint64>(TokenSigner::kLifetime.count()));
    answer.insert("user"_L1, QJsonObject{{"id"_L1, user->id}, {"username"_L1, user->username}});
    exchange->reply(StatusCode::Ok, answer);
}

QCoro::Task<> HttpApi::me(ExchangePtr exchange) {
    auto foundCall = store<UserRecord>(
        [&](auto done) { m_store.findUser(exchange->account->userId, this, std::move(done)); });
    const Outcome<UserRecord> found = co_await foundCall;
    if (const auto *failure = std::get_if<Failure>(&found)) {
        if (failure->kind == FailureKind::NotFound) {
            exchange->fail(StatusCode::Unauthorized, "unauthorized"_L1,
                           u"the token's account no longer exists"_s);
        } else {
            exchange->fail(*failure);
        }
        co_return;
    }
    exchange->reply(StatusCode::Ok, accountJson(std::get<UserRecord>(found)));
}

QCoro::Task<> HttpApi::user(ExchangePtr exchange, QString userId) {
    if (!protocol::isUuid(userId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such user"_s);
        co_return;
    }
    auto foundCall =
        store<UserRecord>([&](auto done) { m_store.findUser(userId, this, std::move(done)); });
    const Outcome<UserRecord> found = co_await foundCall;
    if (const auto *failure = std::get_if<Failure>(&found)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &user = std::get<UserRecord>(found);
    QJsonObject answer = userJson(user);
    answer.insert("last_seen_at"_L1, optionalTimestampText(user.lastSeenAtMs));
    exchange->reply(StatusCode::Ok, answer);
}

QCoro::Task<> HttpApi::searchUsers(ExchangePtr exchange) {
    const QString prefix = exchange->query().queryItemValue(u"query"_s, QUrl::FullyDecoded);
    if (prefix.size() > 50) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"query is longer than a username can be"_s);
        co_return;
    }
    auto foundCall = store<QList<UserRecord>>(
        [&](auto done) { m_store.searchUsers(prefix, kUserSearchLimit, this, std::move(done)); });
    const Outcome<QList<UserRecord>> found = co_await foundCall;
    if (const auto *failure = std::get_if<Failure>(&found)) {
        exchange->fail(*failure);
        co_return;
    }
    QJsonArray users;
    for (const UserRecord &user : std::get<QList<UserRecord>>(found)) {
        users.append(userJson(user));
    }
    QJsonObject answer;
    answer.insert("users"_L1, users);
    exchange->reply(StatusCode::Ok, answer);
}

QJsonObject HttpApi::userJson(const UserRecord &user) const {
    return protocol::toJson(
        protocol::UserSummary{user.id, user.username, m_online.isOnline(user.id)});
}

} // namespace neonchat::server
