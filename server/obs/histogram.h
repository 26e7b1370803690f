// SPDX-License-Identifier: MIT
// A Prometheus histogram of durations, updated lock-free from any thread.
#pragma once

#include <QByteArray>

#include <array>
#include <atomic>
#include <chrono>

namespace neonchat::server {

class Histogram {
public:
    // Upper bounds in seconds, from 0.5 ms to 10 s: the span of a chat message's way through the
    // server, from a fast fan-out to a stalled database.
    static constexpr std::array<double, 14> kBounds{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

    void observe(std::chrono::nanoseconds duration);

    // The family's HELP and TYPE lines and its _bucket, _sum and _count samples.
    void render(QByteArray &out, const char *name, const char *help) const;

private:
    // Per bucket, not cumulative; the last one counts what is above every bound.
    std::array<std::atomic<quint64>, kBounds.size() + 1> m_buckets{};
    std::atomic<quint64> m_sumNanoseconds{0};
};

} // namespace neonchat::server
