// SPDX-License-Identifier: MIT
// Login attempts per client address (CONTRACT §2: 429 with Retry-After). A token bucket per
// address: a burst of kBurst attempts, then one every 60/kPerMinute seconds. Only failed attempts
// keep their token, so a user who logs in correctly is never slowed down.
#pragma once

#include "protocol/tokenbucket.h"

#include <QHash>
#include <QHostAddress>

#include <optional>

namespace neonchat::server {

class LoginThrottle {
public:
    static constexpr double kBurst = 10;
    static constexpr double kPerMinute = 10;

    // Takes a token for an attempt from address; nullopt if allowed, else seconds to wait.
    [[nodiscard]] std::optional<int> tryAttempt(const QHostAddress &address, qint64 nowMs) {
        forgetIdle(nowMs);
        auto bucket = m_buckets.find(address);
        if (bucket == m_buckets.end()) {
            bucket =
                m_buckets.insert(address, protocol::TokenBucket(kPerMinute / 60.0, kBurst, nowMs));
        }
        if (bucket->tryTake(nowMs)) {
            return std::nullopt;
        }
        return static_cast<int>((bucket->msUntilAvailable(nowMs) + 999) / 1000);
    }

    // The attempt succeeded: its token goes back.
    void succeeded(const QHostAddress &address) {
        if (auto bucket = m_buckets.find(address); bucket != m_buckets.end()) {
            bucket->giveBack();
        }
    }

private:
    // A full bucket holds nothing worth remembering; dropping those keeps memory bounded by the
    // addresses that failed recently.
    void forgetIdle(qint64 nowMs) {
        if (m_buckets.size() < kForgetAbove) {
            return;
        }
        m_buckets.removeIf([nowMs](auto bucket) { return bucket.value().isFull(nowMs); });
    }

    static constexpr qsizetype kForgetAbove = 4096;
    QHash<QHostAddress, protocol::TokenBucket> m_buckets;
};

} // namespace neonchat::server
