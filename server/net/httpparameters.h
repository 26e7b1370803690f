// SPDX-License-Identifier: MIT
// Query parameters of the REST routes, checked: each answers 400 itself for a bad value.
#pragma once

#include "httpexchange.h"

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

} // namespace neonchat::server
