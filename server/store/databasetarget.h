// SPDX-License-Identifier: MIT
// Where the server's data lives (--db): which database, read from its URL. Nothing here needs Qt
// Sql, so configuration and tokens can name a database without linking to it.
#pragma once

#include <QString>

#include <optional>
#include <variant>

namespace neonchat::server {

enum class SqlDialect { Sqlite, Postgres };

struct DatabaseTarget {
    SqlDialect dialect = SqlDialect::Sqlite;
    QString sqlitePath; // SQLite: the database file
    QString host;       // PostgreSQL: server, port, account and database
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;

    friend bool operator==(const DatabaseTarget &, const DatabaseTarget &) = default;
};

// Reads a --db value: empty (SQLite file in dataDir), sqlite:PATH, or
// postgres://user:pass@host:port/db (postgresql:// too). The error names what is wrong.
[[nodiscard]] std::variant<DatabaseTarget, QString> parseDatabaseUrl(const QString &url,
                                                                     const QString &dataDir);

// Creates dir (and its parents) if it is missing, readable by the server's user only: it holds
// every message and the token secret. An existing directory is left as its owner set it.
[[nodiscard]] std::optional<QString> makePrivateDirectory(const QString &dir);

} // namespace neonchat::server
