// SPDX-License-Identifier: MIT
// Rate limiting by token bucket. Time is passed in so the logic is testable without clocks; the
// server enforces the contract's per-connection rate with it and clients pace themselves with it.
#pragma once

#include <QtGlobal>

#include <algorithm>

namespace neonchat::protocol {

class TokenBucket {
public:
    // ratePerSecond tokens are added each second, up to burst; the bucket starts full.
    TokenBucket(double ratePerSecond, double burst, qint64 nowMs)
        : m_rate(ratePerSecond)
        , m_burst(burst)
        , m_tokens(burst)
        , m_lastMs(nowMs) {}

    [[nodiscard]] bool tryTake(qint64 nowMs) {
        refill(nowMs);
        if (m_tokens < 1.0) {
            return false;
        }
        m_tokens -= 1.0;
        return true;
    }

    // Milliseconds until one token is available (0 if one is there now).
    [[nodiscard]] qint64 msUntilAvailable(qint64 nowMs) {
        refill(nowMs);
        if (m_tokens >= 1.0 || m_rate <= 0) {
            return 0;
        }
        return static_cast<qint64>((1.0 - m_tokens) * 1000.0 / m_rate) + 1;
    }

    // Returns a token taken for something that turned out not to count (a successful login).
    void giveBack() { m_tokens = std::min(m_burst, m_tokens + 1.0); }

    [[nodiscard]] bool isFull(qint64 nowMs) {
        refill(nowMs);
        return m_tokens >= m_burst;
    }

    void reconfigure(double ratePerSecond, double burst) {
        m_rate = ratePerSecond;
        m_burst = burst;
        m_tokens = std::min(m_tokens, m_burst);
    }

private:
    void refill(qint64 nowMs) {
        // A clock that goes backwards adds nothing rather than draining the bucket.
        const qint64 elapsed = std::max<qint64>(0, nowMs - m_lastMs);
        m_lastMs = std::max(m_lastMs, nowMs);
        m_tokens = std::min(m_burst, m_tokens + static_cast<double>(elapsed) * m_rate / 1000.0);
    }

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs;
};

} // namespace neonchat::protocol
