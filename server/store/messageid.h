// SPDX-License-Identifier: MIT
// Message ids that sort by creation time (the UUID version 7 layout): a new message's id lands at
// the end of the messages table's primary-key index instead of on a random page of it, so a
// commit writes a few index pages, not one per message (docs/ARCHITECTURE.md, "Storage").
#pragma once

#include <QString>
#include <QUuid>

namespace neonchat::server {

// The id for unix time unixMs with the 74 random bits taken from randomHigh and randomLow.
[[nodiscard]] QUuid timeOrderedUuid(qint64 unixMs, quint64 randomHigh, quint64 randomLow);

// A new message id for unix time unixMs, its random bits from the system's generator.
[[nodiscard]] QString newMessageId(qint64 unixMs);

// The ids of the messages one writer stores, in the order it stores them. Within a millisecond
// the 12 bits after the version count up from a random start (RFC 9562, section 6.2, method 1),
// so ids sort as the messages were stored: search pages newest first by id. When the 12 bits run
// out, or the clock goes back, the millisecond moves on from the last one used.
class MessageIdSequence {
public:
    [[nodiscard]] QString next(qint64 unixMs);

private:
    qint64 m_lastMs = -1;
    quint64 m_counter = 0;
};

} // namespace neonchat::server
