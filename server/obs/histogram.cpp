// SPDX-License-Identifier: MIT
#include "histogram.h"

#include <algorithm>

namespace neonchat::server {

void Histogram::observe(std::chrono::nanoseconds duration) {
    const double seconds = std::chrono::duration<double>(duration).count();
    const auto bound = std::lower_bound(kBounds.cbegin(), kBounds.cend(), seconds);
    m_buckets[static_cast<size_t>(bound - kBounds.cbegin())].fetch_add(1,
                                                                       std::memory_order_relaxed);
    m_sumNanoseconds.fetch_add(static_cast<quint64>(std::max<qint64>(0, duration.count())),
                               std::memory_order_relaxed);
}

void Histogram::render(QByteArray &out, const char *name, const char *help) const {
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " histogram\n";
    quint64 cumulative = 0;
    for (size_t i = 0; i <= kBounds.size(); ++i) {
        cumulative += m_buckets[i].load(std::memory_order_relaxed);
        const QByteArray le = i < kBounds.size() ? QByteArray::number(kBounds[i]) : "+Inf";
        out += QByteArray(name) + "_bucket{le=\"" + le + "\"} " + QByteArray::number(cumulative) +
               '\n';
    }
    out += QByteArray(name) + "_sum " +
           QByteArray::number(static_cast<double>(m_sumNanoseconds.load()) / 1e9, 'g', 12) + '\n';
    // The count is the +Inf bucket: taking it from the buckets keeps the two equal.
    out += QByteArray(name) + "_count " + QByteArray::number(cumulative) + '\n';
}

} // namespace neonchat::server
