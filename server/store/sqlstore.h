// SPDX-License-Identifier: MIT
// Messages in SQLite or PostgreSQL through Qt Sql. Writes run on a writer thread that commits
// whatever arrived while the previous transaction was committing as one transaction (group
// commit): one fsync serves every message of the batch, so throughput grows with load. Reads run on
// a reader thread with its own connection, so a replay never waits behind a commit.
#pragma once

#include "chatqueries.h"
#include "database.h"
#include "messagestore.h"
#include "migrations.h"
#include "obs/histogram.h"

#include <QThread>

#include <memory>
#include <variant>

namespace neonchat::server {

class SqlWriter;
class SqlReader;

struct SqlStoreOptions {
    // Most messages committed in one transaction. 1 turns group commit off (one commit per
    // message): the baseline bench-store compares against.
    int maxBatch = 512;
    // Observes every write transaction, begin to commit, when set.
    Histogram *writeSeconds = nullptr;
};

class SqlStore final : public MessageStore {
public:
    // Connects, applies pending migrations and starts the storage threads.
    [[nodiscard]] static std::variant<std::unique_ptr<SqlStore>, QString>
    open(const DatabaseTarget &target, SqlStoreOptions options = {});
    // Commits every write accepted so far, then closes the connections.
    ~SqlStore() override;

    SqlStore(const SqlStore &) = delete;
    SqlStore &operator=(const SqlStore &) = delete;

    void append(NewMessageRecord record, QObject *context,
                std::function<void(AppendResult)> done) override;
    void messagesAfter(QString userId, QString chatId, qint64 afterSeq, int limit, QObject *context,
                       std::function<void(MessagesResult)> done) override;

    // Runs work(QSqlDatabase &) -> Outcome<T> on the reader thread's connection, then done with its
    // result on the thread of context (nothing if context is gone by then).
    template <typename T, typename Work>
    void read(QObject *context, Work work, std::function<void(Outcome<T>)> done) {
        postRead(context, job<T>(std::move(work), std::move(done)));
    }
    // The same on the writer thread, in a transaction of its own, in order with the appends.
    template <typename T, typename Work>
    void write(QObject *context, Work work, std::function<void(Outcome<T>)> done) {
        postWrite(context,
                  job<T>([work = std::move(work)](
                             QSqlDatabase &db) mutable { return inTransaction<T>(db, work); },
                         std::move(done)));
    }

    // Blocks until every append accepted so far is committed (or failed) and its answer posted.
    void flush();

    [[nodiscard]] SqlDialect dialect() const { return m_target.dialect; }

    // What a storage thread does with a connection: the answer to post back, and whether the
    // work failed in a way that may mean the connection is gone.
    struct JobAnswer {
        std::function<void()> answer;
        bool failed = false;
    };
    using Job = std::function<JobAnswer(QSqlDatabase &)>;

private:
    template <typename T, typename Work>
    static Job job(Work work, std::function<void(Outcome<T>)> done) {
        return [work = std::move(work), done = std::move(done)](QSqlDatabase &db) mutable {
            Outcome<T> result = work(db);
            const bool failed =
                !succeeded(result) && std::get<Failure>(result).kind == FailureKind::Internal;
            // done moves into the answer: it may own objects that must die on context's thread.
            return JobAnswer{
                [result = std::move(result), done = std::move(done)]() { done(result); }, failed};
        };
    }
    void postRead(QObject *context, Job job);
    void postWrite(QObject *context, Job job);

    SqlStore(DatabaseTarget target, SqlStoreOptions options);
    [[nodiscard]] std::optional<QString> start();

    DatabaseTarget m_target;
    QThread m_writerThread;
    QThread m_readerThread;
    std::unique_ptr<SqlWriter> m_writer;
    std::unique_ptr<SqlReader> m_reader;
};

// Every chat's last seq, read on a connection of the calling thread (at start, before the
// threads that use the store run).
[[nodiscard]] std::variant<ChatSeqs, QString> readChatSeqs(const DatabaseTarget &target);

// `chat-server migrate`: applies pending migrations on a connection of the calling thread.
[[nodiscard]] std::variant<MigrationOutcome, QString> migrateDatabase(const DatabaseTarget &target);

} // namespace neonchat::server
