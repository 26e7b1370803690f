// SPDX-License-Identifier: MIT
// The login throttle of a cluster (CONTRACT §8): the same three token buckets as LoginThrottle,
// kept in Redis and changed by a Lua script, so a guesser gains nothing by spreading attempts over
// the instances. While Redis cannot be asked, the instance counts on its own (LocalLoginAttempts):
// logins go on, limited per instance, rather than failing for everyone.
#pragma once

#include "auth/loginthrottle.h"
#include "redisconnection.h"

#include <QObject>

namespace neonchat::server {

class RedisLoginAttempts final : public QObject, public LoginAttempts {
    Q_OBJECT
public:
    // Connects at once; contexts passed to admit() must live on this object's thread.
    explicit RedisLoginAttempts(RedisEndpoint endpoint, RedisConnection::Options options = {},
                                QObject *parent = nullptr);

    void admit(const QHostAddress &address, const QString &account, QObject *context,
               std::function<void(Verdict)> done) override;
    void succeeded(const QHostAddress &address, const QString &account) override;

private:
    [[nodiscard]] QList<QByteArray> scriptCommand(const char *body, const QHostAddress &address,
                                                  const QString &account) const;

    QByteArray m_prefix;
    RedisConnection m_redis;
    LocalLoginAttempts m_fallback;
};

} // namespace neonchat::server
