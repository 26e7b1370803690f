// SPDX-License-Identifier: MIT
// Accounts on a test server: registered and logged in through the real HTTP API.
#pragma once

#include "serverprocess.h"

#include <QString>
#include <QUrlQuery>

#include <optional>

namespace neonchat::testing {

struct TestAccount {
    QString id;
    QString username;
    QString token;

    // The /ws URL that opens a session as this account (token in the query).
    [[nodiscard]] QUrl wsUrl(const ServerProcess &server) const;
};

// Registers username (password "password-of-<username>") and logs in; nullopt if either fails.
[[nodiscard]] std::optional<TestAccount> createAccount(const ServerProcess &server,
                                                       const QString &username);
// The id of the direct chat of two accounts, opened by from; empty if that failed.
[[nodiscard]] QString directChat(const ServerProcess &server, const TestAccount &from,
                                 const TestAccount &to);

// A room called name, made by owner and joined by members; its id, empty if a step failed.
[[nodiscard]] QString createRoom(const ServerProcess &server, const QString &name,
                                 const TestAccount &owner, const QList<TestAccount> &members);

} // namespace neonchat::testing
