// SPDX-License-Identifier: MIT
// Password storage with libsodium's Argon2id (crypto_pwhash_str): a slow, salted hash whose string
// carries its own parameters, so stronger settings later still verify old hashes. Both calls take
// tens of milliseconds and 64 MiB on purpose: run them off the event loop threads.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace neonchat::server {

// Longest password accepted, in bytes of UTF-8: hashing cost grows with it.
inline constexpr qsizetype kPasswordMaxBytes = 1024;

// Initialises libsodium; false if the library cannot run (no usable random source).
[[nodiscard]] bool initialiseCrypto();

// The encoded Argon2id hash, or nullopt when hashing could not allocate its memory.
[[nodiscard]] std::optional<QByteArray> hashPassword(const QString &password);

[[nodiscard]] bool verifyPassword(const QByteArray &encodedHash, const QString &password);

// A valid hash of no one's password: login verifies against it when the user does not exist, so a
// wrong username costs as long as a wrong password and does not reveal which names are taken.
[[nodiscard]] const QByteArray &decoyPasswordHash();

} // namespace neonchat::server
