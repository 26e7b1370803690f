// SPDX-License-Identifier: MIT
#include "messageid.h"

#include <QRandomGenerator>

namespace neonchat::server {

QUuid timeOrderedUuid(qint64 unixMs, quint64 randomHigh, quint64 randomLow) {
    // 48 bits of milliseconds, the version nibble 7, 12 random bits, the variant bits 10, then 62
    // random bits (RFC 9562, section 5.7).
    const auto millis = static_cast<quint64>(unixMs) & 0xFFFF'FFFF'FFFFULL;
    const auto timeLow = static_cast<uint>(millis >> 16);
    const auto timeMid = static_cast<ushort>(millis & 0xFFFF);
    const auto versioned = static_cast<ushort>(0x7000 | (randomHigh & 0x0FFF));
    const quint64 tail = (randomLow & 0x3FFF'FFFF'FFFF'FFFFULL) | 0x8000'0000'0000'0000ULL;
    const auto byte = [tail](int index) { return static_cast<uchar>(tail >> (8 * (7 - index))); };
    return QUuid(timeLow, timeMid, versioned, byte(0), byte(1), byte(2), byte(3), byte(4), byte(5),
                 byte(6), byte(7));
}

QString newMessageId(qint64 unixMs) {
    QRandomGenerator *random = QRandomGenerator::global();
    return timeOrderedUuid(unixMs, random->generate64(), random->generate64())
        .toString(QUuid::WithoutBraces);
}

QString MessageIdSequence::next(qint64 unixMs) {
    QRandomGenerator *random = QRandomGenerator::global();
    if (unixMs > m_lastMs) {
        m_lastMs = unixMs;
        m_counter = random->bounded(0x800U); // half the range left to count in
    } else if (++m_counter > 0xFFF) {
        ++m_lastMs;
        m_counter = 0;
    }
    return timeOrderedUuid(m_lastMs, m_counter, random->generate64())
        .toString(QUuid::WithoutBraces);
}

} // namespace neonchat::server
