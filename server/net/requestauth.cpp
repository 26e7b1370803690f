// SPDX-License-Identifier: MIT
#include "requestauth.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

std::variant<Admission, Refusal> admitRequest(const Config &config, const TokenSigner &tokens,
                                              const RequestCredentials &request, Access access,
                                              qint64 nowSecs) {
    if (!isAddressAllowed(config, request.peer)) {
        return Refusal{403, "forbidden"_L1, u"your address is not allowed"_s, {}};
    }
    ResponseHeaders cors;
    const QString origin = QString::fromUtf8(request.origin);
    if (!origin.isEmpty() && !config.corsOrigins.isEmpty() && isOriginAllowed(config, origin)) {
        cors = {{"Access-Control-Allow-Origin"_ba, request.origin},
                {"Vary"_ba, "Origin"_ba},
                {"Access-Control-Expose-Headers"_ba,
                 "Retry-After, X-Request-Id, Content-Disposition"_ba}};
    }
    const auto refuse = [&cors](QByteArray challenge, QString message) {
        ResponseHeaders headers = cors;
        headers.append({"WWW-Authenticate"_ba, std::move(challenge)});
        return Refusal{401, "unauthorized"_L1, std::move(message), std::move(headers)};
    };
    // Register and login need no account: without a shared token they ignore whatever
    // Authorization a client still sends (a stale token must not stop it from logging in again).
    if (access == Access::Open && config.authToken.isEmpty()) {
        return Admission{std::nullopt, cors};
    }
    const QByteArray bearer = bearerToken(request.authorization);
    if (!bearer.isEmpty() && !config.authToken.isEmpty() && bearer == config.authToken.toUtf8()) {
        if (access == Access::Open) {
            return Admission{std::nullopt, cors};
        }
        return refuse("Bearer"_ba, u"this needs an account token: log in first"_s);
    }
    if (bearer.isEmpty()) {
        return refuse("Bearer"_ba, access == Access::Open
                                       ? u"an access token is required"_s
                                       : u"log in and send Authorization: Bearer <token>"_s);
    }
    auto verified = tokens.verify(bearer, nowSecs);
    if (const auto *problem = std::get_if<TokenProblem>(&verified)) {
        return refuse("Bearer error=\"invalid_token\""_ba, tokenProblemText(*problem));
    }
    return Admission{std::get<TokenClaims>(std::move(verified)), cors};
}

} // namespace neonchat::server
