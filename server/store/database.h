// SPDX-License-Identifier: MIT
// Where the server's data lives (--db) and how one Qt Sql connection to it is opened. A
// connection belongs to the thread that opened it, so every storage thread opens its own.
#pragma once

#include <QSqlDatabase>
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
