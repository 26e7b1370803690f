// SPDX-License-Identifier: MIT
// Messages in SQLite or PostgreSQL through Qt Sql. Writes run on a writer thread that commits
// whatever arrived while the previous transaction was committing as one transaction (group
// commit): one fsync serves every message of the batch, so throughput grows with load. Reads run on
// a reader thread with its own connection, so a replay never waits behind a commit.
#pragma once

#include "chatqueries.h"
#include "database.h"
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

class SqlStore final : public ChatStore {
public:
    // Connects, applies pending migrations and starts the storage threads.
    [[nodiscard]] static std::variant<std::unique_ptr<SqlStore>, QString>
    open(const DatabaseTarget &target, SqlStoreOptions options = {});
    // Commits every write accepted so far, then closes the connections.
    ~SqlStore() override;

    SqlStore(const SqlStore &) = delete;
    SqlStore &operator=(const SqlStore &) = delete;

    void append(NewMessageRecord record, QObject *context, Reply<AppendOutcome> done) override;
    void replay(const ReplayQuery &query, QObject *context, Reply<ReplayPage> done) override;
    void search(const SearchQuery &query, QObject *context, Reply<SearchPage> done) override;
    void editMessage(const QString &userId, const QString &messageId, const QString &text,
                     qint64 nowMs, QObject *context, Reply<MessageChange> done) override;
    void deleteMessage(const QString &userId, const QString &messageId, qint64 nowMs,
                       QObject *context, Reply<MessageChange> done) override;
    void changeReaction(const QString &userId, const QString &messageId, const QString &emoji,
                        ReactionChange change, QObject *context,
                        Reply<MessageChange> done) override;
    void relayPage(const QString &chatId, qint64 afterSeq, qint64 upToSeq, int limit,
                   QObject *context, Reply<RelayPage> done) override;
    void lastSeqs(QObject *context, Reply<ChatSeqs> done) override;
    void history(const QString &userId, const HistoryQuery &query, QObject *context,
                 Reply<HistoryPage> done) override;
    void createUser(const QString &username, const QByteArray &passwordHash, qint64 nowMs,
                    QObject *context, Reply<UserRecord> done) override;
    void findLogin(const QString &username, QObject *context, Reply<LoginRecord> done) override;
    void findUser(const QString &userId, QObject *context, Reply<UserRecord> done) override;
    void isUsernameTaken(const QString &name, QObject *context, Reply<bool> done) override;
    void searchUsers(const QString &prefix, int limit, QObject *context,
                     Reply<QList<UserRecord>> done) override;
    void touchLastSeen(const QString &userId, qint64 nowMs, QObject *context,
                       Reply<Done> done) override;
    void contactsOf(const QString &userId, QObject *context, Reply<QStringList> done) override;
    void openDirectChat(const QString &userId, const QString &partnerId, qint64 nowMs,
                        QObject *context, Reply<DirectChat> done) override;
    void createRoom(const QString &userId, const QString &name, qint64 nowMs, QObject *context,
                    Reply<RoomRecord> done) override;
    void joinRoom(const QString &userId, const QString &roomId, qint64 nowMs, QObject *context,
                  Reply<Done> done) override;
    void leaveRoom(const QString &userId, const QString &roomId, QObject *context,
                   Reply<Done> done) override;
    void listRooms(int limit, int offset, QObject *context, Reply<RoomPage> done) override;
    void listChats(const QString &userId, int limit, int offset, bool unreadOnly, QObject *context,
                   Reply<ChatPage> done) override;
    void audienceFor(const QString &userId, const QString &chatId, QObject *context,
                     Reply<ChatAudience> done) override;
    void chatMembers(const QString &userId, const QString &chatId,
                     const std::optional<QStringList> &onlyIds, int limit, QObject *context,
                     Reply<QList<UserRecord>> done) override;
    void markRead(const QString &userId, const QString &chatId, const QString &messageId,
                  QObject *context, Reply<ReadMark> done) override;
    void beginUpload(const NewUpload &upload, QObject *context, Reply<QString> done) override;
    void storeUploadChunk(const QString &uploadId, int index, const QByteArray &bytes,
                          QObject *context, Reply<Done> done) override;
    void finishUpload(const QString &uploadId, qint64 size, QObject *context,
                      Reply<protocol::Upload> done) override;
    void discardUpload(const QString &uploadId, QObject *context, Reply<Done> done) override;
    void findDownload(const QString &userId, const QString &uploadId, QObject *context,
                      Reply<protocol::Upload> done) override;
    void readUploadChunk(const QString &uploadId, int index, QObject *context,
                         Reply<QByteArray> done) override;
    void removeStaleUploads(qint64 createdBeforeMs, QObject *context, Reply<qint64> done) override;
    void ping(QObject *context, Reply<Done> done) override;

    // Runs work(QSqlDatabase &) -> Outcome<T> on the reader thread's connection, then done with its
    // result on the thread of context (nothing if context is gone by then).
    template <typename T, typename Work>
    void read(QObject *context, Work work, Reply<T> done) {
        postRead(context, job<T>(std::move(work), std::move(done)));
    }
    // The same on the writer thread, in a transaction of its own, in order with the appends.
    template <typename T, typename Work>
    void write(QObject *context, Work work, Reply<T> done) {
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
    static Job job(Work work, Reply<T> done) {
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
