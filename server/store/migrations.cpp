// SPDX-License-Identifier: MIT
#include "migrations.h"

#include "protocol/protocol.h"
#include "searchtext.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include <string_view>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// Fills messages.search_text for the messages stored before search existed.
std::optional<QString> indexStoredMessages(QSqlDatabase &db) {
    QSqlQuery read(db);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT id, text FROM messages WHERE deleted_at IS NULL"_s)) {
        return read.lastError().text();
    }
    QList<std::pair<QString, QString>> indexed;
    while (read.next()) {
        indexed.append({read.value(0).toString(), search::indexedText(read.value(1).toString())});
    }
    read.finish();
    QSqlQuery write(db);
    if (!write.prepare(u"UPDATE messages SET search_text = ? WHERE id = ?"_s)) {
        return write.lastError().text();
    }
    for (const auto &[id, text] : std::as_const(indexed)) {
        write.addBindValue(text);
        write.addBindValue(id);
        if (!write.exec()) {
            return write.lastError().text();
        }
    }
    return std::nullopt;
}

// Timestamps are milliseconds since the Unix epoch (UTC) in a BIGINT: exact to the millisecond the
// protocol shows, and the same in both databases. Ids are UUID strings.
const Migration kMigrations[] = {
    {1,
     "users, chats, memberships, messages"_L1,
     {
         "CREATE TABLE users ("
         " id TEXT PRIMARY KEY,"
         " username TEXT NOT NULL,"
         " username_key TEXT NOT NULL UNIQUE," // lower-cased: names are unique ignoring case
         " password_hash TEXT NOT NULL,"
         " created_at BIGINT NOT NULL,"
         " last_seen_at BIGINT)"_L1,
         "CREATE TABLE chats ("
         " id TEXT PRIMARY KEY,"
         " kind TEXT NOT NULL CHECK (kind IN ('lobby', 'direct', 'room')),"
         " name TEXT,"
         " direct_low TEXT REFERENCES users (id),"
         " direct_high TEXT REFERENCES users (id),"
         " created_by TEXT REFERENCES users (id),"
         " created_at BIGINT NOT NULL,"
         " updated_at BIGINT NOT NULL,"
         " last_seq BIGINT NOT NULL DEFAULT 0,"
         " CHECK (kind <> 'direct' OR (direct_low IS NOT NULL AND direct_high IS NOT NULL"
         "  AND direct_low < direct_high)))"_L1,
         // One chat per pair of users, whoever opened it: the pair is stored ordered.
         "CREATE UNIQUE INDEX chats_direct_pair ON chats (direct_low, direct_high)"
         " WHERE kind = 'direct'"_L1,
         "CREATE TABLE memberships ("
         " chat_id TEXT NOT NULL REFERENCES chats (id),"
         " user_id TEXT NOT NULL REFERENCES users (id),"
         " joined_at BIGINT NOT NULL,"
         " last_read_seq BIGINT NOT NULL DEFAULT 0,"
         " PRIMARY KEY (chat_id, user_id))"_L1,
         "CREATE INDEX memberships_by_user ON memberships (user_id)"_L1,
         // sender_id is not a foreign key: guests send to the lobby without an account.
         "CREATE TABLE messages ("
         " id TEXT PRIMARY KEY,"
         " chat_id TEXT NOT NULL REFERENCES chats (id),"
         " seq BIGINT NOT NULL,"
         " sender_id TEXT NOT NULL,"
         " sender_name TEXT NOT NULL,"
         " text TEXT NOT NULL,"
         " request_id TEXT,"
         " created_at BIGINT NOT NULL,"
         " UNIQUE (chat_id, seq))"_L1,
         "CREATE UNIQUE INDEX messages_by_request ON messages (sender_id, request_id)"
         " WHERE request_id IS NOT NULL"_L1,
         "INSERT INTO chats (id, kind, name, created_at, updated_at)"
         " VALUES ('00000000-0000-4000-8000-000000000001', 'lobby', 'Lobby', 0, 0)"_L1,
     }},
    // CONTRACT §9. A deletion keeps the row (its seq stays in history) and empties it, so the
    // time it happened is the flag. Each chat counts its changes in last_mod_seq; a changed
    // message keeps the value of its last change, which sync replays from.
    {2,
     "edits, deletions, replies, reactions, modification counter"_L1,
     {
         "ALTER TABLE messages ADD COLUMN edited_at BIGINT"_L1,
         "ALTER TABLE messages ADD COLUMN deleted_at BIGINT"_L1,
         "ALTER TABLE messages ADD COLUMN reply_to_id TEXT"_L1,
         "ALTER TABLE messages ADD COLUMN mod_seq BIGINT NOT NULL DEFAULT 0"_L1,
         "ALTER TABLE chats ADD COLUMN last_mod_seq BIGINT NOT NULL DEFAULT 0"_L1,
         "CREATE INDEX messages_by_mod_seq ON messages (chat_id, mod_seq) WHERE mod_seq > 0"_L1,
         // position: the chat's mod_seq the reaction was added with, for the order of first use.
         "CREATE TABLE reactions ("
         " message_id TEXT NOT NULL REFERENCES messages (id),"
         " emoji TEXT NOT NULL,"
         " user_id TEXT NOT NULL REFERENCES users (id),"
         " position BIGINT NOT NULL,"
         " PRIMARY KEY (message_id, emoji, user_id))"_L1,
     }},
    // CONTRACT §9 search. search_text holds the words of the text as searchtext.h makes them
    // ("" once deleted). SQLite: an FTS5 index of it, kept in step by triggers; the unicode61
    // tokenizer with marks as word characters splits only at the spaces put there. PostgreSQL:
    // its 'simple' tsvector in a generated column with a GIN index (no stemming: every word is
    // found as written, in any script).
    {3,
     "message search"_L1,
     {
         "ALTER TABLE messages ADD COLUMN search_text TEXT NOT NULL DEFAULT ''"_L1,
     },
     &indexStoredMessages,
     {
         "CREATE VIRTUAL TABLE messages_search USING fts5(search_text, content='messages',"
         " content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 0"
         " categories 'L* N* Co M*'\")"_L1,
         "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
         " INSERT INTO messages_search (rowid, search_text) VALUES (new.rowid, new.search_text);"
         " END"_L1,
         "CREATE TRIGGER messages_search_update AFTER UPDATE OF search_text ON messages BEGIN"
         " INSERT INTO messages_search (messages_search, rowid, search_text)"
         "  VALUES ('delete', old.rowid, old.search_text);"
         " INSERT INTO messages_search (rowid, search_text) VALUES (new.rowid, new.search_text);"
         " END"_L1,
         "INSERT INTO messages_search (messages_search) VALUES ('rebuild')"_L1,
     },
     {
         // A stored column, not an expression index: the planner has statistics of its words
         // (a partial expression index has none, and a rare word was planned as a common one),
         // and where it walks the newest messages and checks each, a stored vector costs a
         // fraction of parsing the text again (bench/README.md, bench-search).
         "ALTER TABLE messages ADD COLUMN search_vector tsvector"
         " GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"_L1,
         "CREATE INDEX messages_search ON messages USING GIN (search_vector)"_L1,
     }},
    // CONTRACT §9 files, in the database so every instance of a cluster serves every file and a
    // backup holds them with their messages. size is NULL while the bytes arrive; message_id is
    // set once a message carries the upload, in the order of position.
    {4,
     "uploads"_L1,
     {
         "CREATE TABLE uploads ("
         " id TEXT PRIMARY KEY,"
         " uploader_id TEXT NOT NULL REFERENCES users (id),"
         " filename TEXT NOT NULL,"
         " content_type TEXT NOT NULL,"
         " size BIGINT,"
         " created_at BIGINT NOT NULL,"
         " message_id TEXT REFERENCES messages (id),"
         " position INTEGER NOT NULL DEFAULT 0)"_L1,
         "CREATE INDEX uploads_by_message ON uploads (message_id) WHERE message_id IS NOT NULL"_L1,
         "CREATE INDEX uploads_unattached ON uploads (created_at) WHERE message_id IS NULL"_L1,
     },
     nullptr,
     {
         "CREATE TABLE upload_chunks ("
         " upload_id TEXT NOT NULL REFERENCES uploads (id),"
         " idx INTEGER NOT NULL,"
         " bytes BLOB NOT NULL,"
         " PRIMARY KEY (upload_id, idx))"_L1,
     },
     {
         "CREATE TABLE upload_chunks ("
         " upload_id TEXT NOT NULL REFERENCES uploads (id),"
         " idx INTEGER NOT NULL,"
         " bytes BYTEA NOT NULL,"
         " PRIMARY KEY (upload_id, idx))"_L1,
         // Files are mostly compressed already (images, archives): stored as they are, out of
         // line, without spending CPU on compressing them again.
         "ALTER TABLE upload_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL"_L1,
     }},
};

static_assert(std::string_view(protocol::kLobbyId.data(), protocol::kLobbyId.size()) ==
                  "00000000-0000-4000-8000-000000000001",
              "migration 1 creates the lobby under its fixed id");

// Any fixed number: instances of one cluster agree on it.
constexpr qint64 kMigrationLockKey = 0x4e656f6e43686174; // "NeonChat"

std::optional<QString> exec(QSqlQuery &query, const QString &statement) {
    if (!query.exec(statement)) {
        return u"%1: %2"_s.arg(statement.left(80), query.lastError().text());
    }
    return std::nullopt;
}

std::variant<MigrationOutcome, QString> applyInTransaction(QSqlDatabase &db, SqlDialect dialect) {
    QSqlQuery query(db);
    if (dialect == SqlDialect::Postgres) {
        if (auto problem =
                exec(query, u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kMigrationLockKey))) {
            return *problem;
        }
    }
    if (auto problem = exec(query, u"CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   " version BIGINT PRIMARY KEY,"
                                   " description TEXT NOT NULL,"
                                   " applied_at BIGINT NOT NULL)"_s)) {
        return *problem;
    }
    if (auto problem = exec(query, u"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"_s)) {
        return *problem;
    }
    MigrationOutcome outcome;
    outcome.version = query.next() ? query.value(0).toInt() : 0;
    const int newest = std::size(kMigrations) == 0 ? 0 : std::end(kMigrations)[-1].version;
    if (outcome.version > newest) {
        return u"the database has schema version %1, newer than this chat-server knows (%2); "
               "run a newer chat-server"_s.arg(QString::number(outcome.version),
                                               QString::number(newest));
    }
    for (const Migration &migration : kMigrations) {
        if (migration.version <= outcome.version) {
            continue;
        }
        const auto failed = [&migration](const QString &problem) {
            return u"migration %1 (%2) failed: %3"_s.arg(QString::number(migration.version),
                                                         migration.description, problem);
        };
        for (const QLatin1StringView statement : migration.statements) {
            if (auto problem = exec(query, QString(statement))) {
                return failed(*problem);
            }
        }
        if (migration.transform) {
            if (auto problem = migration.transform(db)) {
                return failed(*problem);
            }
        }
        for (const QLatin1StringView statement : dialect == SqlDialect::Sqlite
                                                     ? migration.sqliteStatements
                                                     : migration.postgresStatements) {
            if (auto problem = exec(query, QString(statement))) {
                return failed(*problem);
            }
        }
        QSqlQuery record(db);
        record.prepare(u"INSERT INTO schema_migrations (version, description, applied_at)"
                       " VALUES (:version, :description, :applied_at)"_s);
        record.bindValue(u":version"_s, migration.version);
        record.bindValue(u":description"_s, QString(migration.description));
        record.bindValue(u":applied_at"_s, QDateTime::currentMSecsSinceEpoch());
        if (!record.exec()) {
            return u"recording migration %1 failed: %2"_s.arg(QString::number(migration.version),
                                                              record.lastError().text());
        }
        outcome.version = migration.version;
        ++outcome.applied;
    }
    return outcome;
}

} // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

std::variant<MigrationOutcome, QString> applyMigrations(QSqlDatabase &db, SqlDialect dialect) {
    if (!db.transaction()) {
        return u"cannot start a transaction: %1"_s.arg(db.lastError().text());
    }
    auto result = applyInTransaction(db, dialect);
    if (std::holds_alternative<QString>(result)) {
        const bool rolledBack = db.rollback();
        Q_UNUSED(rolledBack) // the migration's own error is the one to report
        return result;
    }
    if (!db.commit()) {
        return u"committing the migrations failed: %1"_s.arg(db.lastError().text());
    }
    return result;
}

} // namespace neonchat::server
