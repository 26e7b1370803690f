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

} // namespace neonchat::server
