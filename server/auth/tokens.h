// SPDX-License-Identifier: MIT
// Account tokens (CONTRACT §2): JWT, HS256 only, claims user_id, username, iat, exp. The format is
// three base64url parts; the cryptography (HMAC-SHA-256 and the constant-time comparison) is
// libsodium's. Anything but a well-formed HS256 token signed with our secret and not expired is
// refused, "alg":"none" and other algorithms included.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <variant>

namespace neonchat::server {

struct TokenClaims {
    QString userId;
    QString username;
    qint64 issuedAt = 0;  // seconds since the epoch
    qint64 expiresAt = 0; // seconds since the epoch

    friend bool operator==(const TokenClaims &, const TokenClaims &) = default;
};

enum class TokenProblem { Malformed, UnsupportedAlgorithm, BadSignature, Expired, BadClaims };

[[nodiscard]] QString tokenProblemText(TokenProblem problem);

// The credentials of an "Authorization: Bearer <token>" value (the scheme's case does not
// matter, RFC 9110 §11.1), or empty.
[[nodiscard]] QByteArray bearerToken(QByteArrayView authorization);

class TokenSigner {
public:
    static constexpr std::chrono::seconds kLifetime{86400};

    explicit TokenSigner(QByteArray secret);

    [[nodiscard]] QString issue(const QString &userId, const QString &username,
                                qint64 nowSeconds) const;
    [[nodiscard]] std::variant<TokenClaims, TokenProblem> verify(QByteArrayView token,
                                                                 qint64 nowSeconds) const;

    // HMAC-SHA-256 of data under the secret, raw bytes.
    [[nodiscard]] QByteArray sign(QByteArrayView data) const;

private:
    QByteArray m_secret;
};

// The secret of --jwt-secret, or the one kept in dataDir/jwt-secret, created (mode 0600) with 32
// random bytes the first time. Returns the secret or why there is none.
[[nodiscard]] std::variant<QByteArray, QString> loadOrCreateJwtSecret(const QString &configured,
                                                                      const QString &dataDir);

} // namespace neonchat::server
