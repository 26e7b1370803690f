// SPDX-License-Identifier: MIT
// The logged-in session kept between runs: server, user and token in one JSON file in the user's
// config directory (chat-cli: ~/.config/NeonChat/chat-cli/session.json), readable by the user only.
#pragma once

#include <QString>
#include <QUrl>

#include <optional>
#include <variant>

namespace neonchat::client {

struct StoredSession {
    QUrl server;
    QString userId;
    QString username;
    QString token;
    qint64 expiresAtSeconds = 0;

    friend bool operator==(const StoredSession &, const StoredSession &) = default;
};

class SessionStore {
public:
    // path: the file; default: session.json in QStandardPaths::AppConfigLocation.
    explicit SessionStore(QString path = {});

    // The session, if the file holds one with a token.
    [[nodiscard]] std::optional<StoredSession> load() const;
    // The server and user of the file with or without a token (one saved with an empty token at
    // logout): what a login form starts from.
    [[nodiscard]] std::optional<StoredSession> lastAccount() const;
    // Writes the file with mode 0600 (created so: never readable by others, even for a moment).
    [[nodiscard]] std::optional<QString> save(const StoredSession &session) const;
    [[nodiscard]] const QString &path() const { return m_path; }

private:
    QString m_path;
};

} // namespace neonchat::client
