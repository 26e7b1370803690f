// SPDX-License-Identifier: MIT
// How one Qt Sql connection to the server's database is opened. A connection belongs to the
// thread that opened it, so every storage thread opens its own.
#pragma once

#include "databasetarget.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <variant>

namespace neonchat::server {

// A connection that closes and unregisters itself when it goes out of scope, on the thread that
// opened it.
class DatabaseConnection {
public:
    DatabaseConnection() = default;
    ~DatabaseConnection();
    DatabaseConnection(const DatabaseConnection &) = delete;
    DatabaseConnection &operator=(const DatabaseConnection &) = delete;

    // Opens a new connection named `name` and applies the dialect's session settings (SQLite:
    // WAL, full sync, foreign keys, busy timeout). Returns why it could not.
    [[nodiscard]] std::optional<QString> open(const DatabaseTarget &target, const QString &name);
    void close();

    [[nodiscard]] QSqlDatabase database() const;
    // Asks the server itself (SELECT 1): drivers differ in which errors they call connection
    // errors (SQLite reports a broken constraint as one).
    [[nodiscard]] bool isAlive() const;
    [[nodiscard]] SqlDialect dialect() const { return m_dialect; }

private:
    QString m_name;
    SqlDialect m_dialect = SqlDialect::Sqlite;
};

} // namespace neonchat::server
