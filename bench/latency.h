// SPDX-License-Identifier: MIT
// Latency percentiles for the benchmarks.
#pragma once

#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace neonchat::bench {

// The p-th percentile (0..1) of latencies in microseconds, in milliseconds; 0 when there are none.
// samplesUs must be sorted.
[[nodiscard]] inline double percentileMs(const std::vector<qint64> &samplesUs, double p) {
    if (samplesUs.empty()) {
        return 0.0;
    }
    const size_t index = std::min(samplesUs.size() - 1,
                                  static_cast<size_t>(p * static_cast<double>(samplesUs.size())));
    return static_cast<double>(samplesUs[index]) / 1000.0;
}

} // namespace neonchat::bench
