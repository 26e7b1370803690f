// SPDX-License-Identifier: MIT
#include "passwords.h"

#include <sodium.h>

namespace neonchat::server {

bool initialiseCrypto() {
    // 0: initialised now, 1: already initialised; -1: unusable.
    return sodium_init() >= 0;
}

std::optional<QByteArray> hashPassword(const QString &password) {
    const QByteArray utf8 = password.toUtf8();
    QByteArray encoded(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(
            encoded.data(), utf8.constData(), static_cast<unsigned long long>(utf8.size()),
            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return std::nullopt;
    }
    encoded.truncate(static_cast<qsizetype>(qstrlen(encoded.constData())));
    return encoded;
}

bool verifyPassword(const QByteArray &encodedHash, const QString &password) {
    if (encodedHash.isEmpty() || encodedHash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    // crypto_pwhash_str_verify wants a NUL-terminated string; QByteArray's data() is one.
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(encodedHash.constData(), utf8.constData(),
                                    static_cast<unsigned long long>(utf8.size())) == 0;
}

const QByteArray &decoyPasswordHash() {
    // Computed once, on first use; immutable afterwards (C++ guarantees thread-safe init).
    static const QByteArray decoy =
        hashPassword(QStringLiteral("no account has this password")).value_or(QByteArray());
    return decoy;
}

} // namespace neonchat::server
