// SPDX-License-Identifier: MIT
// Login attempts (CONTRACT §2: 429 with Retry-After), limited three ways by token buckets:
// - per address and account: a burst of 5, then one every 12 s (one guesser, one target);
// - per account, whatever the address: a burst of 10, then one a minute, so guessing from many
//   addresses gains little. An address that has not failed for this account yet still gets one
//   attempt when the account's bucket is empty: the owner, on a fresh address, is never locked out
//   by someone else's guessing;
// - per address, whatever the account: a burst of 30, then one every 2 s, which bounds the
//   password hashing one address causes.
// Only failed attempts keep their tokens: a user who logs in correctly is never slowed down.
#pragma once

#include "protocol/tokenbucket.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace neonchat::server {

class LoginThrottle {
public:
    // Takes tokens for an attempt on account (a username) from address; nullopt if allowed, else
    // seconds to wait.
    [[nodiscard]] std::optional<int> tryAttempt(const QHostAddress &address, const QString &account,
                                                qint64 nowMs) {
        forgetIdle(nowMs);
        const QString accountKey = account.toLower();
        const PairKey pairKey{address, accountKey};
        const bool fresh = !m_pairs.contains(pairKey);
        protocol::TokenBucket &pair = bucket(m_pairs, pairKey, kPairRate, kPairBurst, nowMs);
        protocol::TokenBucket &perAddress =
            bucket(m_addresses, address, kAddressRate, kAddressBurst, nowMs);
        protocol::TokenBucket &perAccount =
            bucket(m_accounts, accountKey, kAccountRate, kAccountBurst, nowMs);
        if (!pair.tryTake(nowMs)) {
            return secondsUntil(pair, nowMs);
        }
        if (!perAddress.tryTake(nowMs)) {
            pair.giveBack();
            return secondsUntil(perAddress, nowMs);
        }
        if (!perAccount.tryTake(nowMs) && !fresh) {
            pair.giveBack();
            perAddress.giveBack();
            return secondsUntil(perAccount, nowMs);
        }
        return std::nullopt;
    }

    // The attempt succeeded: its tokens go back.
    void succeeded(const QHostAddress &address, const QString &account) {
        const QString accountKey = account.toLower();
        giveBack(m_pairs, PairKey{address, accountKey});
        giveBack(m_addresses, address);
        giveBack(m_accounts, accountKey);
    }

    // The three buckets (tokens per second, burst), also used by RedisLoginAttempts.
    static constexpr double kPairBurst = 5;
    static constexpr double kPairRate = 1.0 / 12;
    static constexpr double kAccountBurst = 10;
    static constexpr double kAccountRate = 1.0 / 60;
    static constexpr double kAddressBurst = 30;
    static constexpr double kAddressRate = 1.0 / 2;

private:
    struct PairKey {
        QHostAddress address;
        QString account;
        friend bool operator==(const PairKey &, const PairKey &) = default;
        friend size_t qHash(const PairKey &key, size_t seed = 0) {
            return qHashMulti(seed, key.address, key.account);
        }
    };

    static constexpr qsizetype kForgetAbove = 4096;

    template <typename Key>
    static protocol::TokenBucket &bucket(QHash<Key, protocol::TokenBucket> &buckets, const Key &key,
                                         double rate, double burst, qint64 nowMs) {
        auto found = buckets.find(key);
        if (found == buckets.end()) {
            found = buckets.insert(key, protocol::TokenBucket(rate, burst, nowMs));
        }
        return found.value();
    }

    template <typename Key>
    static void giveBack(QHash<Key, protocol::TokenBucket> &buckets, const Key &key) {
        if (auto found = buckets.find(key); found != buckets.end()) {
            found->giveBack();
        }
    }

    static int secondsUntil(protocol::TokenBucket &bucket, qint64 nowMs) {
        return static_cast<int>((bucket.msUntilAvailable(nowMs) + 999) / 1000);
    }

    // A full bucket holds nothing worth remembering; dropping those keeps memory bounded by the
    // addresses and accounts that failed recently.
    void forgetIdle(qint64 nowMs) {
        auto full = [nowMs](auto entry) { return entry.value().isFull(nowMs); };
        if (m_pairs.size() > kForgetAbove) {
            m_pairs.removeIf(full);
        }
        if (m_addresses.size() > kForgetAbove) {
            m_addresses.removeIf(full);
        }
        if (m_accounts.size() > kForgetAbove) {
            m_accounts.removeIf(full);
        }
    }

    QHash<PairKey, protocol::TokenBucket> m_pairs;
    QHash<QHostAddress, protocol::TokenBucket> m_addresses;
    QHash<QString, protocol::TokenBucket> m_accounts;
};

// Where login attempts are counted: in this process (LocalLoginAttempts), or in Redis for every
// instance of a cluster (RedisLoginAttempts, CONTRACT §8). The HTTP API asks without knowing which.
class LoginAttempts {
public:
    // nullopt: the attempt may go ahead; else seconds to wait.
    using Verdict = std::optional<int>;
    virtual ~LoginAttempts() = default;
    // Counts an attempt on account from address; done gets the verdict on context's thread, at
    // once or later, and not at all if context is gone by then.
    virtual void admit(const QHostAddress &address, const QString &account, QObject *context,
                       std::function<void(Verdict)> done) = 0;
    // The attempt succeeded: it does not count.
    virtual void succeeded(const QHostAddress &address, const QString &account) = 0;
};

class LocalLoginAttempts final : public LoginAttempts {
public:
    void admit(const QHostAddress &address, const QString &account, QObject *context,
               std::function<void(Verdict)> done) override {
        Q_UNUSED(context) // answered before returning
        done(m_throttle.tryAttempt(address, account, QDateTime::currentMSecsSinceEpoch()));
    }
    void succeeded(const QHostAddress &address, const QString &account) override {
        m_throttle.succeeded(address, account);
    }

private:
    LoginThrottle m_throttle;
};

// Registrations per client address (--register-rate): perHour at once, then perHour an hour.
// Each one costs a password hash and a row, so a successful one keeps its token.
class RegistrationThrottle {
public:
    [[nodiscard]] std::optional<int> tryRegister(const QHostAddress &address, int perHour,
                                                 qint64 nowMs) {
        if (perHour <= 0) {
            return std::nullopt;
        }
        if (m_buckets.size() > kForgetAbove) {
            m_buckets.removeIf([nowMs](auto entry) { return entry.value().isFull(nowMs); });
        }
        auto found = m_buckets.find(address);
        if (found == m_buckets.end()) {
            found =
                m_buckets.insert(address, protocol::TokenBucket(perHour / 3600.0, perHour, nowMs));
        }
        if (found->tryTake(nowMs)) {
            return std::nullopt;
        }
        return static_cast<int>((found->msUntilAvailable(nowMs) + 999) / 1000);
    }

private:
    static constexpr qsizetype kForgetAbove = 4096;
    QHash<QHostAddress, protocol::TokenBucket> m_buckets;
};

} // namespace neonchat::server
