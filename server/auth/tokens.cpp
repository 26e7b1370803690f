// SPDX-License-Identifier: MIT
#include "tokens.h"

#include "protocol/codec.h"
#include "store/databasetarget.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part) {
    auto decoded = QByteArray::fromBase64Encoding(
        part.toByteArray(), kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

// A claim that must be a whole number of seconds.
std::optional<qint64> secondsClaim(const QJsonObject &payload, QLatin1StringView name) {
    const QJsonValue value = payload.value(name);
    if (!value.isDouble()) {
        return std::nullopt;
    }
    const double seconds = value.toDouble();
    if (seconds < 0 || seconds > 1e12 || seconds != static_cast<double>(value.toInteger())) {
        return std::nullopt;
    }
    return value.toInteger();
}

} // namespace

QString tokenProblemText(TokenProblem problem) {
    switch (problem) {
    case TokenProblem::Malformed:
        return u"the token is not a JWT"_s;
    case TokenProblem::UnsupportedAlgorithm:
        return u"the token is not signed with HS256"_s;
    case TokenProblem::BadSignature:
        return u"the token's signature is wrong"_s;
    case TokenProblem::Expired:
        return u"the token has expired; log in again"_s;
    case TokenProblem::BadClaims:
        return u"the token lacks the claims of a NeonChat account"_s;
    }
    return u"invalid token"_s;
}

TokenSigner::TokenSigner(QByteArray secret)
    : m_secret(std::move(secret)) {}

QByteArray TokenSigner::sign(QByteArrayView data) const {
    crypto_auth_hmacsha256_state state;
    QByteArray mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(m_secret.data()),
                                static_cast<size_t>(m_secret.size()));
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(data.data()),
                                  static_cast<unsigned long long>(data.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(mac.data()));
    sodium_memzero(&state, sizeof state);
    return mac;
}

QString TokenSigner::issue(const QString &userId, const QString &username,
                           qint64 nowSeconds) const {
    const QByteArray header =
        QJsonDocument(QJsonObject{{"alg"_L1, "HS256"_L1}, {"typ"_L1, "JWT"_L1}})
            .toJson(QJsonDocument::Compact)
            .toBase64(kBase64Url);
    const QByteArray payload =
        QJsonDocument(QJsonObject{{"user_id"_L1, userId},
                                  {"username"_L1, username},
                                  {"iat"_L1, nowSeconds},
                                  {"exp"_L1, nowSeconds + kLifetime.count()}})
            .toJson(QJsonDocument::Compact)
            .toBase64(kBase64Url);
    const QByteArray signingInput = header + '.' + payload;
    return QString::fromLatin1(signingInput + '.' + sign(signingInput).toBase64(kBase64Url));
}

std::variant<TokenClaims, TokenProblem> TokenSigner::verify(QByteArrayView token,
                                                            qint64 nowSeconds) const {
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype lastDot = token.lastIndexOf('.');
    if (firstDot <= 0 || lastDot == firstDot || lastDot == token.size() - 1 ||
        token.sliced(firstDot + 1, lastDot - firstDot - 1).contains('.')) {
        return TokenProblem::Malformed;
    }
    const std::optional<QJsonObject> header = decodeJsonPart(token.first(firstDot));
    if (!header) {
        return TokenProblem::Malformed;
    }
    // The algorithm is ours to choose, never the token's: only HS256 is accepted.
    if (header->value("alg"_L1).toString() != "HS256"_L1) {
        return TokenProblem::UnsupportedAlgorithm;
    }
    auto signature =
        QByteArray::fromBase64Encoding(token.sliced(lastDot + 1).toByteArray(),
                                       kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || signature.decoded.size() != crypto_auth_hmacsha256_BYTES) {
        return TokenProblem::BadSignature;
    }
    const QByteArray expected = sign(token.first(lastDot));
    if (sodium_memcmp(expected.constData(), signature.decoded.constData(),
                      static_cast<size_t>(expected.size())) != 0) {
        return TokenProblem::BadSignature;
    }
    const std::optional<QJsonObject> payload =
        decodeJsonPart(token.sliced(firstDot + 1, lastDot - firstDot - 1));
    if (!payload) {
        return TokenProblem::Malformed;
    }
    TokenClaims claims;
    claims.userId = payload->value("user_id"_L1).toString();
    claims.username = payload->value("username"_L1).toString();
    const auto issuedAt = secondsClaim(*payload, "iat"_L1);
    const auto expiresAt = secondsClaim(*payload, "exp"_L1);
    if (!protocol::isUuid(claims.userId) || claims.username.isEmpty() || !issuedAt || !expiresAt) {
        return TokenProblem::BadClaims;
    }
    claims.issuedAt = *issuedAt;
    claims.expiresAt = *expiresAt;
    if (nowSeconds >= claims.expiresAt) {
        return TokenProblem::Expired;
    }
    return claims;
}

std::variant<QByteArray, QString> loadOrCreateJwtSecret(const QString &configured,
                                                        const QString &dataDir) {
    if (!configured.isEmpty()) {
        return configured.toUtf8();
    }
    const QString path = QDir(dataDir).filePath(u"jwt-secret"_s);
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            return u"cannot read the JWT secret %1: %2"_s.arg(path, file.errorString());
        }
        const QByteArray secret = file.readAll().trimmed();
        if (secret.size() < 32) {
            return u"the JWT secret in %1 is shorter than 32 characters; delete the file to have "
                   "a new one made (every token issued so far stops working)"_s.arg(path);
        }
        return secret;
    }
    if (auto problem = makePrivateDirectory(dataDir)) {
        return *problem;
    }
    QByteArray random(32, '\0');
    randombytes_buf(random.data(), static_cast<size_t>(random.size()));
    // Kept as text so an operator can copy it into --jwt-secret of other instances.
    const QByteArray secret = random.toBase64(kBase64Url);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(secret) != secret.size() || !file.flush()) {
        return u"cannot write the JWT secret %1: %2"_s.arg(path, file.errorString());
    }
    return secret;
}

QByteArray bearerToken(QByteArrayView authorization) {
    const QByteArrayView value = authorization.trimmed();
    constexpr QByteArrayView kScheme = "bearer";
    if (value.size() <= kScheme.size() ||
        value.first(kScheme.size()).compare(kScheme, Qt::CaseInsensitive) != 0 ||
        (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t')) {
        return {};
    }
    return value.sliced(kScheme.size()).trimmed().toByteArray();
}

} // namespace neonchat::server
