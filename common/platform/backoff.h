// SPDX-License-Identifier: MIT
// When to try connecting again after a lost connection: exponential backoff with full jitter
// (each wait is uniformly random between 0 and min(cap, base * 2^attempt)), so a server that
// comes back is not hit by every client at the same instant. The random source is passed in so
// the policy is testable.
#pragma once

#include <QtGlobal>

#include <algorithm>
#include <chrono>

namespace neonchat::platform {

class Backoff {
public:
    using Milliseconds = std::chrono::milliseconds;

    constexpr Backoff(Milliseconds base = Milliseconds(500),
                      Milliseconds cap = Milliseconds(30'000))
        : m_base(base)
        , m_cap(cap) {}

    // The ceiling of the next wait: base doubled per failed attempt, at most cap.
    [[nodiscard]] constexpr Milliseconds ceiling() const {
        // Past 2^20 the cap has long been reached; stopping there keeps the shift defined.
        const int doublings = std::min(m_attempt, 20);
        return std::min(m_cap, Milliseconds(m_base.count() << doublings));
    }

    // The wait before the next attempt, given a uniform random number in [0, 1), and counts the
    // attempt.
    [[nodiscard]] Milliseconds next(double uniform) {
        const Milliseconds wait(
            static_cast<qint64>(std::clamp(uniform, 0.0, 1.0) * double(ceiling().count())));
        ++m_attempt;
        return wait;
    }

    // A connection got through: the next loss starts from base again.
    void reset() { m_attempt = 0; }

    [[nodiscard]] constexpr int attempts() const { return m_attempt; }

private:
    Milliseconds m_base;
    Milliseconds m_cap;
    int m_attempt = 0;
};

} // namespace neonchat::platform
