// SPDX-License-Identifier: MIT
// The database schema as numbered migrations, embedded in the binary and applied at start and by
// `chat-server migrate`. Append-only: a released migration is never edited, a change is a new one.
#pragma once

#include "database.h"

#include <QLatin1StringView>
#include <QList>

#include <optional>
#include <span>
#include <variant>

namespace neonchat::server {

struct Migration {
    int version = 0;
    QLatin1StringView description;
    QList<QLatin1StringView> statements; // plain SQL that SQLite and PostgreSQL both accept
    // Work SQL cannot do (the words search indexes are made in C++), after the statements; the
    // reason it failed, or nothing.
    std::optional<QString> (*transform)(QSqlDatabase &db) = nullptr;
    // Then what only one of the databases has (SQLite's FTS5, PostgreSQL's GIN indexes).
    QList<QLatin1StringView> sqliteStatements = {};
    QList<QLatin1StringView> postgresStatements = {};
};

[[nodiscard]] std::span<const Migration> migrations();

struct MigrationOutcome {
    int applied = 0; // migrations applied by this call
    int version = 0; // the schema version now
};

// Applies every migration newer than the database's schema version in one transaction. On
// PostgreSQL an advisory lock makes instances that start together apply them once. A database
// newer than this binary is refused rather than written to.
[[nodiscard]] std::variant<MigrationOutcome, QString> applyMigrations(QSqlDatabase &db,
                                                                      SqlDialect dialect);

} // namespace neonchat::server
