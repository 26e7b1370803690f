// SPDX-License-Identifier: MIT
// Query parameters of the REST routes, checked: each answers 400 itself for a bad value; and
// the API's timestamps.
#pragma once

#include "httpexchange.h"

#include <QJsonValue>

#include <optional>

namespace neonchat::server {

// A whole-number query parameter: absent gives fallback, above max is clamped to max, anything
// else not in [min, max] is a 400 (answered here; nullopt returned).
[[nodiscard]] std::optional<int> intParameter(const ExchangePtr &exchange, const QString &name,
                                              int fallback, int min, int max);
// A uuid query parameter; nullopt inside when absent, a 400 ("NAME must be WHAT") answered when
// malformed.
[[nodiscard]] std::optional<std::optional<QString>>
uuidParameter(const ExchangePtr &exchange, const QString &name,
              const QString &what = QStringLiteral("a message id"));

struct PageParameters {
    int limit = 20;
    int offset = 0;
};

// limit (default 20, at most 100) and offset of a list route; nullopt once a 400 is answered.
[[nodiscard]] std::optional<PageParameters> pageParameters(const ExchangePtr &exchange);
// A true/false query parameter (absent: false; also 1/0); nullopt once a 400 is answered.
[[nodiscard]] std::optional<bool> boolParameter(const ExchangePtr &exchange, const QString &name);

// A stored time (milliseconds since the epoch) as the API writes it (RFC 3339 UTC, milliseconds).
[[nodiscard]] QString timestampText(qint64 ms);
// The same, or null for a time that is not there.
[[nodiscard]] QJsonValue optionalTimestampText(const std::optional<qint64> &ms);

} // namespace neonchat::server
