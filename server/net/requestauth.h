// SPDX-License-Identifier: MIT
// Who may make a REST request (CONTRACT §2): the address lists, CORS and the bearer token, checked
// the same way for the routes Qt's server runs (httpapi.h) and for those the front streams itself
// (uploads.h).
#pragma once

#include "auth/tokens.h"
#include "config/config.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <optional>
#include <utility>
#include <variant>

namespace neonchat::server {

enum class Access {
    Open,   // anyone (with the shared --auth-token when one is set): register, login
    Account // a valid account JWT
};

using ResponseHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct RequestCredentials {
    QHostAddress peer;
    QByteArray origin;
    QByteArray authorization;
};

struct Admission {
    std::optional<TokenClaims> account; // set for Access::Account
    ResponseHeaders headers;            // CORS headers for the response
};

struct Refusal {
    int status = 401;
    QLatin1StringView code;
    QString message;
    ResponseHeaders headers; // CORS and WWW-Authenticate
};

[[nodiscard]] std::variant<Admission, Refusal> admitRequest(const Config &config,
                                                            const TokenSigner &tokens,
                                                            const RequestCredentials &request,
                                                            Access access, qint64 nowSecs);

} // namespace neonchat::server
