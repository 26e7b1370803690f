// SPDX-License-Identifier: MIT
#include "sqlstore.h"

#include "obs/log.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <mutex>
#include <vector>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

QString nextConnectionName(QLatin1StringView role) {
    return u"neonchat-%1-%2"_s.arg(role, QUuid::createUuid().toString(QUuid::Id128));
}

// Runs fn on the thread of context, later; nothing if context is gone by then.
template <typename Fn>
void answer(const QPointer<QObject> &context, Fn fn) {
    if (context) {
        QMetaObject::invokeMethod(context.data(), std::move(fn), Qt::QueuedConnection);
    }
}

} // namespace

// Lives on the writer thread; owns the writing connection and the queue of appends.
class SqlWriter : public QObject {
public:
    SqlWriter(DatabaseTarget target, SqlStoreOptions options)
        : m_target(std::move(target))
        , m_maxBatch(static_cast<size_t>(std::max(1, options.maxBatch)))
        , m_writeSeconds(options.writeSeconds) {}

    struct Pending {
        NewMessageRecord record;
        QPointer<QObject> context;
        std::function<void(AppendResult)> done;
    };

    // Any thread. Wakes the writer only when the queue was empty: a waking writer takes all.
    void enqueue(Pending pending) {
        bool wake = false;
        {
            const std::lock_guard lock(m_mutex);
            wake = m_queue.empty();
            m_queue.push_back(std::move(pending));
        }
        if (wake) {
            QMetaObject::invokeMethod(this, &SqlWriter::drain, Qt::QueuedConnection);
        }
    }

    // Writer thread: connects and migrates.
    std::optional<QString> open() {
        if (auto problem = m_connection.open(m_target, nextConnectionName("writer"_L1))) {
            return problem;
        }
        QSqlDatabase db = m_connection.database();
        auto migrated = applyMigrations(db, m_target.dialect);
        if (const auto *problem = std::get_if<QString>(&migrated)) {
            return *problem;
        }
        const auto &outcome = std::get<MigrationOutcome>(migrated);
        qCInfo(lcDb).noquote() << u"schema version %1 (%2 migration(s) applied now)"_s.arg(
            QString::number(outcome.version), QString::number(outcome.applied));
        prepareStatements();
        return std::nullopt;
    }

    void close() {
        resetStatements();
        m_connection.close();
    }

    // Writer thread: commits everything queued, in batches of at most m_maxBatch.
    void drain() {
        std::vector<Pending> taken;
        {
            const std::lock_guard lock(m_mutex);
            taken.swap(m_queue);
        }
        for (size_t first = 0; first < taken.size(); first += m_maxBatch) {
            const size_t last = std::min(taken.size(), first + m_maxBatch);
            std::vector<AppendResult> results = writeBatch(taken, first, last);
            for (size_t i = first; i < last; ++i) {
                answer(taken[i].context,
                       [done = std::move(taken[i].done), result = std::move(results[i - first])] {
                           done(result);
                       });
            }
        }
    }

private:
    void resetStatements() {
        m_members = QSqlQuery();
        m_findByRequest = QSqlQuery();
        m_nextSeq = QSqlQuery();
        m_insert = QSqlQuery();
    }

    void prepareStatements() {
        const QSqlDatabase db = m_connection.database();
        m_members = QSqlQuery(db);
        m_members.prepare(u"SELECT user_id FROM memberships WHERE chat_id = :chat"_s);
        m_findByRequest = QSqlQuery(db);
        m_findByRequest.prepare(
            u"SELECT %1, (SELECT kind FROM chats WHERE id = chat_id)"
            " FROM messages"
            " WHERE sender_id = :sender AND request_id = :request"_s.arg(kMessageColumns));
        m_nextSeq = QSqlQuery(db);
        m_nextSeq.prepare(u"UPDATE chats SET last_seq = last_seq + 1, updated_at = :now"
                          " WHERE id = :chat RETURNING last_seq, kind"_s);
        m_insert = QSqlQuery(db);
        m_insert.prepare(
            u"INSERT INTO messages"
            " (id, chat_id, seq, sender_id, sender_name, text, request_id, created_at)"
            " VALUES (:id, :chat, :seq, :sender, :sender_name, :text, :request, :created_at)"_s);
    }

    // Either the outcome for this record or a statement failure that spoils the transaction.
    struct StatementFailure {
        QSqlError error;
    };
    using WriteStep = std::variant<AppendResult, StatementFailure>;

    WriteStep writeOne(const NewMessageRecord &record, qint64 nowMs) {
        if (record.requestId) {
            m_findByRequest.bindValue(u":sender"_s, record.senderId);
            m_findByRequest.bindValue(u":request"_s, *record.requestId);
            if (!m_findByRequest.exec()) {
                return StatementFailure{m_findByRequest.lastError()};
            }
            if (m_findByRequest.next()) {
                // A repeat is answered to its sender only: nobody else receives it again.
                AppendOutcome outcome{
                    messageFromRow(m_findByRequest), true, m_findByRequest.value(7).toString(), {}};
                m_findByRequest.finish();
                return AppendResult{std::move(outcome)};
            }
            m_findByRequest.finish();
        }
        // The lobby is everyone's; any other chat takes messages from its members only, checked
        // in the transaction that stores the message.
        QStringList members;
        if (record.chatId != protocol::kLobbyId) {
            m_members.bindValue(u":chat"_s, record.chatId);
            if (!m_members.exec()) {
                return StatementFailure{m_members.lastError()};
            }
            while (m_members.next()) {
                members.append(m_members.value(0).toString());
            }
            m_members.finish();
            if (!members.contains(record.senderId)) {
                return AppendResult{
                    StoreError{u"you are not a member of that chat"_s, /*forbidden=*/true}};
            }
        }
        m_nextSeq.bindValue(u":now"_s, nowMs);
        m_nextSeq.bindValue(u":chat"_s, record.chatId);
        if (!m_nextSeq.exec()) {
            return StatementFailure{m_nextSeq.lastError()};
        }
        if (!m_nextSeq.next()) {
            m_nextSeq.finish();
            return AppendResult{StoreError{u"unknown chat %1"_s.arg(record.chatId)}};
        }
        const qint64 seq = m_nextSeq.value(0).toLongLong();
        const QString chatKind = m_nextSeq.value(1).toString();
        m_nextSeq.finish();

        protocol::ChatMessage message{QUuid::createUuid().toString(QUuid::WithoutBraces),
                                      record.chatId,
                                      seq,
                                      record.senderId,
                                      record.senderName,
                                      record.text,
                                      QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)};
        m_insert.bindValue(u":id"_s, message.id);
        m_insert.bindValue(u":chat"_s, message.chatId);
        m_insert.bindValue(u":seq"_s, message.seq);
        m_insert.bindValue(u":sender"_s, message.senderId);
        m_insert.bindValue(u":sender_name"_s, message.sender);
        m_insert.bindValue(u":text"_s, message.text);
        m_insert.bindValue(u":request"_s, record.requestId
                                              ? QVariant(*record.requestId)
                                              : QVariant(QMetaType::fromType<QString>()));
        m_insert.bindValue(u":created_at"_s, nowMs);
        if (!m_insert.exec()) {
            return StatementFailure{m_insert.lastError()};
        }
        m_insert.finish();
        return AppendResult{AppendOutcome{std::move(message), false, chatKind, std::move(members)}};
    }

    // One transaction for records [first, last). If a statement fails, the transaction is rolled
    // back and each record gets a transaction of its own, so one bad record fails alone.
    std::vector<AppendResult> writeBatch(const std::vector<Pending> &pending, size_t first,
                                         size_t last) {
        if (auto results = writeInOneTransaction(pending, first, last)) {
            return std::move(*results);
        }
        reconnectIfLost();
        std::vector<AppendResult> results;
        for (size_t i = first; i < last; ++i) {
            if (auto single = writeInOneTransaction(pending, i, i + 1)) {
                results.push_back(std::move(single->front()));
            } else {
                results.push_back(StoreError{m_lastFailure});
                reconnectIfLost();
            }
        }
        return results;
    }

    std::optional<std::vector<AppendResult>>
    writeInOneTransaction(const std::vector<Pending> &pending, size_t first, size_t last) {
        QSqlDatabase db = m_connection.database();
        QElapsedTimer took;
        took.start();
        if (!db.transaction()) {
            return failTransaction(db, db.lastError());
        }
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        std::vector<AppendResult> results;
        results.reserve(last - first);
        for (size_t i = first; i < last; ++i) {
            WriteStep step = writeOne(pending[i].record, nowMs);
            if (auto *failure = std::get_if<StatementFailure>(&step)) {
                return failTransaction(db, failure->error);
            }
            results.push_back(std::get<AppendResult>(std::move(step)));
        }
        if (!db.commit()) {
            return failTransaction(db, db.lastError());
        }
        if (m_writeSeconds) {
            m_writeSeconds->observe(std::chrono::nanoseconds(took.nsecsElapsed()));
        }
        return results;
    }

    std::nullopt_t failTransaction(QSqlDatabase &db, const QSqlError &error) {
        m_lastFailure = error.text();
        qCWarning(lcDb).noquote() << u"write transaction failed: %1"_s.arg(m_lastFailure);
        const bool rolledBack = db.rollback();
        Q_UNUSED(rolledBack) // a failed rollback leaves nothing committed either
        return std::nullopt;
    }

public:
    // Writer thread: one job of SqlStore::write.
    SqlStore::JobAnswer run(const SqlStore::Job &job) {
        QSqlDatabase db = m_connection.database();
        SqlStore::JobAnswer answer = job(db);
        if (answer.failed) {
            reconnectIfLost();
        }
        return answer;
    }

private:
    // After a failed transaction: if the server went away (a PostgreSQL restart), connect again
    // for the next try.
    void reconnectIfLost() {
        if (m_connection.isAlive()) {
            return;
        }
        resetStatements();
        if (auto problem = m_connection.open(m_target, nextConnectionName("writer"_L1))) {
            qCWarning(lcDb).noquote() << u"reconnecting failed: %1"_s.arg(*problem);
            return;
        }
        qCInfo(lcDb) << "reconnected to the database";
        prepareStatements();
    }

    DatabaseTarget m_target;
    size_t m_maxBatch;
    Histogram *m_writeSeconds;
    DatabaseConnection m_connection;
    QSqlQuery m_members;
    QSqlQuery m_findByRequest;
    QSqlQuery m_nextSeq;
    QSqlQuery m_insert;
    QString m_lastFailure;
    std::mutex m_mutex;
    std::vector<Pending> m_queue;
};

// Lives on the reader thread; owns the reading connection.
class SqlReader : public QObject {
public:
    explicit SqlReader(DatabaseTarget target)
        : m_target(std::move(target)) {}

    std::optional<QString> open() {
        return m_connection.open(m_target, nextConnectionName("reader"_L1));
    }

    void close() { m_connection.close(); }

    SqlStore::JobAnswer run(const SqlStore::Job &job) {
        QSqlDatabase db = m_connection.database();
        SqlStore::JobAnswer answer = job(db);
        if (answer.failed) {
            reconnectIfLost();
        }
        return answer;
    }

private:
    void reconnectIfLost() {
        if (m_connection.isAlive()) {
            return;
        }
        if (auto problem = m_connection.open(m_target, nextConnectionName("reader"_L1))) {
            qCWarning(lcDb).noquote() << u"reconnecting the reader failed: %1"_s.arg(*problem);
            return;
        }
        qCInfo(lcDb) << "reader reconnected to the database";
    }

    DatabaseTarget m_target;
    DatabaseConnection m_connection;
};

SqlStore::SqlStore(DatabaseTarget target, SqlStoreOptions options)
    : m_target(std::move(target))
    , m_writer(std::make_unique<SqlWriter>(m_target, options))
    , m_reader(std::make_unique<SqlReader>(m_target)) {
    m_writerThread.setObjectName(u"db-writer"_s);
    m_readerThread.setObjectName(u"db-reader"_s);
    m_writer->moveToThread(&m_writerThread);
    m_reader->moveToThread(&m_readerThread);
    m_writerThread.start();
    m_readerThread.start();
}

std::variant<std::unique_ptr<SqlStore>, QString> SqlStore::open(const DatabaseTarget &target,
                                                                SqlStoreOptions options) {
    std::unique_ptr<SqlStore> store(new SqlStore(target, options));
    if (auto problem = store->start()) {
        return *problem;
    }
    return store;
}

std::optional<QString> SqlStore::start() {
    std::optional<QString> problem;
    QMetaObject::invokeMethod(
        m_writer.get(), [&] { problem = m_writer->open(); }, Qt::BlockingQueuedConnection);
    if (problem) {
        return problem;
    }
    QMetaObject::invokeMethod(
        m_reader.get(), [&] { problem = m_reader->open(); }, Qt::BlockingQueuedConnection);
    return problem;
}

SqlStore::~SqlStore() {
    flush();
    QMetaObject::invokeMethod(
        m_writer.get(), [this] { m_writer->close(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_reader.get(), [this] { m_reader->close(); }, Qt::BlockingQueuedConnection);
    m_writerThread.quit();
    m_readerThread.quit();
    m_writerThread.wait();
    m_readerThread.wait();
}

void SqlStore::append(NewMessageRecord record, QObject *context,
                      std::function<void(AppendResult)> done) {
    m_writer->enqueue(SqlWriter::Pending{std::move(record), context, std::move(done)});
}

void SqlStore::messagesAfter(QString userId, QString chatId, qint64 afterSeq, int limit,
                             QObject *context, std::function<void(MessagesResult)> done) {
    read<QList<protocol::ChatMessage>>(
        context,
        [userId = std::move(userId), chatId = std::move(chatId), afterSeq,
         limit](QSqlDatabase &db) {
            return queries::messagesAfter(db, userId, chatId, afterSeq, limit);
        },
        [done = std::move(done)](const Outcome<QList<protocol::ChatMessage>> &read) {
            if (const auto *failure = std::get_if<Failure>(&read)) {
                // A chat that does not exist is answered like one the user is not in.
                const bool forbidden = failure->kind != FailureKind::Internal;
                done(StoreError{forbidden ? u"you are not a member of that chat"_s
                                          : failure->message,
                                forbidden});
                return;
            }
            done(std::get<QList<protocol::ChatMessage>>(read));
        });
}

void SqlStore::postRead(QObject *context, Job job) {
    QMetaObject::invokeMethod(
        m_reader.get(),
        [reader = m_reader.get(), context = QPointer<QObject>(context), job = std::move(job)] {
            answer(context, reader->run(job).answer);
        },
        Qt::QueuedConnection);
}

void SqlStore::postWrite(QObject *context, Job job) {
    QMetaObject::invokeMethod(
        m_writer.get(),
        [writer = m_writer.get(), context = QPointer<QObject>(context), job = std::move(job)] {
            answer(context, writer->run(job).answer);
        },
        Qt::QueuedConnection);
}

void SqlStore::flush() {
    QMetaObject::invokeMethod(
        m_writer.get(), [this] { m_writer->drain(); }, Qt::BlockingQueuedConnection);
}

std::variant<MigrationOutcome, QString> migrateDatabase(const DatabaseTarget &target) {
    DatabaseConnection connection;
    if (auto problem = connection.open(target, nextConnectionName("migrate"_L1))) {
        return *problem;
    }
    QSqlDatabase db = connection.database();
    return applyMigrations(db, target.dialect);
}

} // namespace neonchat::server
