// SPDX-License-Identifier: MIT
#include "sqlstore.h"

#include "auth/access.h"
#include "messageid.h"
#include "obs/log.h"
#include "searchtext.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <mutex>
#include <unordered_map>
#include <vector>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// What of a deleted message's text SQLite still holds after its row is emptied: its words in the
// FTS5 index's older segments (a deletion only adds a marker until the segments are merged), and
// the pages it was on in the write-ahead log until a checkpoint copies the log into the database
// (whose freed space secure_delete zeroes) and empties it. Merging every segment costs about
// 0.6 s at a million messages (docs/ARCHITECTURE.md); deletions are rare, and the writer is busy
// for that long only then.
void purgeDeletedText(QSqlDatabase &db) {
    QSqlQuery merge(db);
    if (!merge.exec(u"INSERT INTO messages_search (messages_search) VALUES ('optimize')"_s)) {
        qCWarning(lcDb).noquote() << u"merging the search index after a deletion failed: %1"_s.arg(
            merge.lastError().text());
    }
    QSqlQuery checkpoint(db);
    if (!checkpoint.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s)) {
        qCWarning(lcDb).noquote() << u"checkpoint after a deletion failed: %1"_s.arg(
            checkpoint.lastError().text());
    } else if (checkpoint.next() && checkpoint.value(0).toInt() != 0) {
        qCWarning(lcDb) << "checkpoint after a deletion was blocked by a reader; the next one"
                           " empties the log";
    }
}

using AppendResult = Outcome<AppendOutcome>;

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
        Reply<AppendOutcome> done;
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
    void resetStatements() { m_statements.clear(); }

    // Either the outcome of every record or a statement failure that spoils the transaction.
    struct StatementFailure {
        QSqlError error;
    };
    using WriteSet = std::variant<std::vector<AppendResult>, StatementFailure>;

    // "?, ?, ?" for count placeholders.
    [[nodiscard]] static QString placeholders(qsizetype count) {
        QString text;
        text.reserve(count * 3);
        for (qsizetype i = 0; i < count; ++i) {
            text += i == 0 ? u"?"_s : u", ?"_s;
        }
        return text;
    }

    // Lists of values bound to IN (...) are padded to a power of two by repeating the last, so a
    // handful of statement texts serve every batch size and each is prepared once.
    [[nodiscard]] static qsizetype paddedCount(qsizetype count) {
        qsizetype padded = 1;
        while (padded < count) {
            padded *= 2;
        }
        return padded;
    }

    static void bindPadded(QSqlQuery &query, const QStringList &values) {
        for (qsizetype i = 0, padded = paddedCount(values.size()); i < padded; ++i) {
            query.addBindValue(values.at(std::min(i, values.size() - 1)));
        }
    }

    // The statement of this text on the writing connection, prepared on first use.
    [[nodiscard]] QSqlQuery *prepared(const QString &text) {
        auto found = m_statements.find(text);
        if (found == m_statements.end()) {
            QSqlQuery query(m_connection.database());
            if (!query.prepare(text)) {
                m_prepareError = query.lastError();
                return nullptr;
            }
            found = m_statements.emplace(text, std::move(query)).first;
        }
        return &found->second;
    }

    // Runs a statement whose %1 is the list of values (padded, see paddedCount), calling row with
    // the query on each row it selects. Nothing runs for no values.
    template <typename Row>
    [[nodiscard]] std::optional<StatementFailure> lookUp(const QString &statement,
                                                         const QStringList &values, Row row) {
        if (values.isEmpty()) {
            return std::nullopt;
        }
        QSqlQuery *lookup = prepared(statement.arg(placeholders(paddedCount(values.size()))));
        if (lookup == nullptr) {
            return StatementFailure{m_prepareError};
        }
        bindPadded(*lookup, values);
        if (!lookup->exec()) {
            return StatementFailure{lookup->lastError()};
        }
        while (lookup->next()) {
            row(*lookup);
        }
        lookup->finish();
        return std::nullopt;
    }

    [[nodiscard]] static QString requestKey(const QString &senderId, const QString &requestId) {
        return senderId + QChar(u'\0') + requestId;
    }

    // A batch in set-based statements: one lookup of repeated request ids, one of the
    // memberships of the chats written to, one seq update per chat and multi-row inserts, instead
    // of three or four statements per message (each a round trip on PostgreSQL).
    WriteSet writeSet(const std::vector<Pending> &pending, size_t first, size_t last,
                      qint64 nowMs) {
        const auto count = static_cast<qsizetype>(last - first);
        auto record = [&](qsizetype i) -> const NewMessageRecord & {
            return pending[first + static_cast<size_t>(i)].record;
        };
        std::vector<std::optional<AppendResult>> results(static_cast<size_t>(count));

        // Request ids stored before: each is answered with its stored message, to its sender
        // only.
        QStringList requestPairs; // sender id, request id, sender id, ...
        for (qsizetype i = 0; i < count; ++i) {
            if (record(i).requestId) {
                requestPairs << record(i).senderId << *record(i).requestId;
            }
        }
        QHash<QString, AppendOutcome> stored;
        if (!requestPairs.isEmpty()) {
            // Joined from a list of pairs, so each pair is one lookup in messages_by_request
            // (two IN lists let PostgreSQL's planner choose a scan of the whole table).
            const qsizetype pairs = paddedCount(requestPairs.size() / 2);
            QString wanted = u"(?, ?)"_s;
            for (qsizetype i = 1; i < pairs; ++i) {
                wanted += u", (?, ?)"_s;
            }
            QSqlQuery *lookup = prepared(
                u"SELECT %1, (SELECT kind FROM chats WHERE id = chat_id), request_id"
                " FROM (VALUES %2) AS wanted"
                " JOIN messages ON sender_id = wanted.column1 AND request_id = wanted.column2"_s
                    .arg(kMessageColumns, wanted));
            if (lookup == nullptr) {
                return StatementFailure{m_prepareError};
            }
            for (qsizetype i = 0; i < pairs; ++i) {
                const qsizetype pair = std::min(i, requestPairs.size() / 2 - 1);
                lookup->addBindValue(requestPairs.at(2 * pair));
                lookup->addBindValue(requestPairs.at(2 * pair + 1));
            }
            if (!lookup->exec()) {
                return StatementFailure{lookup->lastError()};
            }
            while (lookup->next()) {
                protocol::ChatMessage message = messageFromRow(*lookup);
                const QString key =
                    requestKey(message.senderId, lookup->value(kMessageColumnCount + 1).toString());
                stored.insert(
                    key,
                    AppendOutcome{
                        std::move(message), true,
                        ChatAudience{chatKindFromColumn(lookup->value(kMessageColumnCount)), {}}});
            }
            lookup->finish();
        }

        // Membership is checked in the transaction that stores the message.
        QStringList chats;
        for (qsizetype i = 0; i < count; ++i) {
            if (access::needsMembership(record(i).chatId) && !chats.contains(record(i).chatId)) {
                chats.append(record(i).chatId);
            }
        }
        QHash<QString, QStringList> members;
        if (auto failure =
                lookUp(u"SELECT chat_id, user_id FROM memberships WHERE chat_id IN (%1)"_s, chats,
                       [&members](const QSqlQuery &row) {
                           members[row.value(0).toString()].append(row.value(1).toString());
                       })) {
            return *failure;
        }

        // The chat of each message replied to: a reply names a message of its own chat.
        QStringList repliedTo;
        for (qsizetype i = 0; i < count; ++i) {
            if (record(i).replyToId && !repliedTo.contains(*record(i).replyToId)) {
                repliedTo.append(*record(i).replyToId);
            }
        }
        QHash<QString, QString> chatOfReplied;
        if (auto failure = lookUp(u"SELECT id, chat_id FROM messages WHERE id IN (%1)"_s, repliedTo,
                                  [&chatOfReplied](const QSqlQuery &row) {
                                      chatOfReplied.insert(row.value(0).toString(),
                                                           row.value(1).toString());
                                  })) {
            return *failure;
        }

        // The uploads to attach: each must be a finished upload of the sender, not attached yet
        // (nor to an earlier message of this batch).
        QStringList uploadIds;
        for (qsizetype i = 0; i < count; ++i) {
            for (const QString &id : record(i).attachmentIds) {
                if (!uploadIds.contains(id)) {
                    uploadIds.append(id);
                }
            }
        }
        struct Attachable {
            QString uploaderId;
            protocol::Attachment attachment;
        };
        QHash<QString, Attachable> attachable;
        if (auto failure =
                lookUp(u"SELECT id, uploader_id, filename, content_type, size FROM uploads"
                       " WHERE id IN (%1) AND message_id IS NULL AND size IS NOT NULL"_s,
                       uploadIds, [&attachable](const QSqlQuery &row) {
                           attachable.insert(
                               row.value(0).toString(),
                               Attachable{row.value(1).toString(),
                                          protocol::Attachment{
                                              row.value(0).toString(), row.value(2).toString(),
                                              row.value(3).toString(), row.value(4).toLongLong()}});
                       })) {
            return *failure;
        }
        auto claimAttachments =
            [&attachable](
                const NewMessageRecord &message) -> std::optional<QList<protocol::Attachment>> {
            QList<protocol::Attachment> attachments;
            for (const QString &id : message.attachmentIds) {
                auto found = attachable.constFind(id);
                if (found == attachable.cend() || found->uploaderId != message.senderId) {
                    return std::nullopt;
                }
                attachments.append(found->attachment);
            }
            for (const QString &id : message.attachmentIds) {
                attachable.remove(id);
            }
            return attachments;
        };
        std::unordered_map<qsizetype, QList<protocol::Attachment>> attachmentsOf;

        // Which records are new, per chat in order; a request id repeated within the batch is
        // answered with the first one's outcome.
        QHash<QString, qsizetype> firstWithRequest;
        std::vector<std::pair<qsizetype, qsizetype>> repeatsInBatch; // (repeat, first)
        QHash<QString, QList<qsizetype>> newByChat;
        QStringList chatOrder;
        for (qsizetype i = 0; i < count; ++i) {
            const NewMessageRecord &message = record(i);
            if (message.requestId) {
                const QString key = requestKey(message.senderId, *message.requestId);
                if (auto repeat = stored.constFind(key); repeat != stored.cend()) {
                    results[static_cast<size_t>(i)] = AppendResult{*repeat};
                    continue;
                }
                if (auto earlier = firstWithRequest.constFind(key);
                    earlier != firstWithRequest.cend()) {
                    repeatsInBatch.emplace_back(i, *earlier);
                    continue;
                }
                firstWithRequest.insert(key, i);
            }
            if (access::needsMembership(message.chatId) &&
                !members.value(message.chatId).contains(message.senderId)) {
                results[static_cast<size_t>(i)] = AppendResult{
                    Failure{FailureKind::Forbidden, u"you are not a member of that chat"_s}};
                continue;
            }
            if (message.replyToId && chatOfReplied.value(*message.replyToId) != message.chatId) {
                results[static_cast<size_t>(i)] = AppendResult{
                    Failure{FailureKind::Invalid, u"reply_to_id is not a message of this chat"_s}};
                continue;
            }
            if (!message.attachmentIds.isEmpty()) {
                std::optional<QList<protocol::Attachment>> claimed = claimAttachments(message);
                if (!claimed) {
                    results[static_cast<size_t>(i)] = AppendResult{
                        Failure{FailureKind::Invalid, u"attachment_ids must name your own"
                                                      " finished uploads, not attached yet"_s}};
                    continue;
                }
                attachmentsOf.emplace(i, std::move(*claimed));
            }
            if (!newByChat.contains(message.chatId)) {
                chatOrder.append(message.chatId);
            }
            newByChat[message.chatId].append(i);
        }

        // Each chat's seq moves once per batch, by the number of its new messages.
        std::vector<protocol::ChatMessage> rows;
        std::vector<qsizetype> rowRecords;
        QSqlQuery *nextSeq = prepared(u"UPDATE chats SET last_seq = last_seq + ?, updated_at = ?"
                                      " WHERE id = ? RETURNING last_seq, kind"_s);
        if (nextSeq == nullptr && !chatOrder.isEmpty()) {
            return StatementFailure{m_prepareError};
        }
        for (const QString &chatId : std::as_const(chatOrder)) {
            const QList<qsizetype> &indexes = newByChat[chatId];
            nextSeq->addBindValue(indexes.size());
            nextSeq->addBindValue(nowMs);
            nextSeq->addBindValue(chatId);
            if (!nextSeq->exec()) {
                return StatementFailure{nextSeq->lastError()};
            }
            if (!nextSeq->next()) {
                nextSeq->finish();
                for (qsizetype i : indexes) {
                    results[static_cast<size_t>(i)] = AppendResult{
                        internalFailure(u"appending"_s, u"unknown chat %1"_s.arg(chatId))};
                }
                continue;
            }
            qint64 seq = nextSeq->value(0).toLongLong() - indexes.size() + 1;
            const ChatAudience audience{chatKindFromColumn(nextSeq->value(1)),
                                        members.value(chatId)};
            nextSeq->finish();
            for (qsizetype i : indexes) {
                protocol::ChatMessage message{m_messageIds.next(nowMs),
                                              chatId,
                                              seq++,
                                              record(i).senderId,
                                              record(i).senderName,
                                              record(i).text,
                                              QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)};
                message.replyToId = record(i).replyToId;
                if (auto attachments = attachmentsOf.find(i); attachments != attachmentsOf.end()) {
                    message.attachments = std::move(attachments->second);
                }
                rows.push_back(message);
                rowRecords.push_back(i);
                results[static_cast<size_t>(i)] =
                    AppendResult{AppendOutcome{std::move(message), false, audience}};
            }
        }

        // Multi-row inserts in power-of-two chunks, so each chunk size is prepared once.
        for (size_t done = 0; done < rows.size();) {
            size_t chunk = 1;
            while (chunk * 2 <= rows.size() - done) {
                chunk *= 2;
            }
            QString values = u"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
            for (size_t i = 1; i < chunk; ++i) {
                values += u", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
            }
            QSqlQuery *insert = prepared(u"INSERT INTO messages"
                                         " (id, chat_id, seq, sender_id, sender_name, text,"
                                         " request_id, created_at, reply_to_id, search_text)"
                                         " VALUES "_s +
                                         values);
            if (insert == nullptr) {
                return StatementFailure{m_prepareError};
            }
            for (size_t i = done; i < done + chunk; ++i) {
                const protocol::ChatMessage &message = rows[i];
                const std::optional<QString> &requestId = record(rowRecords[i]).requestId;
                insert->addBindValue(message.id);
                insert->addBindValue(message.chatId);
                insert->addBindValue(message.seq);
                insert->addBindValue(message.senderId);
                insert->addBindValue(message.sender);
                insert->addBindValue(message.text);
                insert->addBindValue(requestId ? QVariant(*requestId)
                                               : QVariant(QMetaType::fromType<QString>()));
                insert->addBindValue(nowMs);
                insert->addBindValue(message.replyToId ? QVariant(*message.replyToId)
                                                       : QVariant(QMetaType::fromType<QString>()));
                insert->addBindValue(search::indexedText(message.text));
            }
            if (!insert->exec()) {
                return StatementFailure{insert->lastError()};
            }
            insert->finish();
            done += chunk;
        }

        // The attached uploads now belong to their messages (rows reference them).
        for (const protocol::ChatMessage &message : rows) {
            for (qsizetype position = 0; position < message.attachments.size(); ++position) {
                QSqlQuery *attach =
                    prepared(u"UPDATE uploads SET message_id = ?, position = ? WHERE id = ?"_s);
                if (attach == nullptr) {
                    return StatementFailure{m_prepareError};
                }
                attach->addBindValue(message.id);
                attach->addBindValue(position);
                attach->addBindValue(message.attachments[position].id);
                if (!attach->exec()) {
                    return StatementFailure{attach->lastError()};
                }
                attach->finish();
            }
        }

        for (const auto &[repeat, original] : repeatsInBatch) {
            AppendResult result = *results[static_cast<size_t>(original)];
            if (auto *outcome = std::get_if<AppendOutcome>(&result)) {
                outcome->duplicate = true;
                outcome->audience.memberIds.clear();
            }
            results[static_cast<size_t>(repeat)] = std::move(result);
        }
        std::vector<AppendResult> answered;
        answered.reserve(results.size());
        for (std::optional<AppendResult> &result : results) {
            answered.push_back(std::move(*result));
        }
        return answered;
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
                results.push_back(Failure{FailureKind::Internal, m_lastFailure});
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
        WriteSet written = writeSet(pending, first, last, QDateTime::currentMSecsSinceEpoch());
        if (auto *failure = std::get_if<StatementFailure>(&written)) {
            return failTransaction(db, failure->error);
        }
        auto results = std::get<std::vector<AppendResult>>(std::move(written));
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
    }

    DatabaseTarget m_target;
    size_t m_maxBatch;
    Histogram *m_writeSeconds;
    DatabaseConnection m_connection;
    // Prepared statements by text, for the connection they were prepared on.
    std::unordered_map<QString, QSqlQuery> m_statements;
    QSqlError m_prepareError;
    QString m_lastFailure;
    MessageIdSequence m_messageIds; // ids in the order this writer stores messages
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

void SqlStore::append(NewMessageRecord record, QObject *context, Reply<AppendOutcome> done) {
    m_writer->enqueue(SqlWriter::Pending{std::move(record), context, std::move(done)});
}

void SqlStore::replay(const ReplayQuery &query, QObject *context, Reply<ReplayPage> done) {
    read<ReplayPage>(
        context, [query](QSqlDatabase &db) { return queries::replay(db, query); },
        [done = std::move(done)](const Outcome<ReplayPage> &read) {
            const auto *failure = std::get_if<Failure>(&read);
            if (failure && failure->kind != FailureKind::Internal) {
                // A chat that does not exist is answered like one the user is not in.
                done(Failure{FailureKind::Forbidden, u"you are not a member of that chat"_s});
                return;
            }
            done(read);
        });
}

void SqlStore::search(const SearchQuery &query, QObject *context, Reply<SearchPage> done) {
    read<SearchPage>(
        context, [query](QSqlDatabase &db) { return queries::search(db, query); }, std::move(done));
}

void SqlStore::editMessage(const QString &userId, const QString &messageId, const QString &text,
                           qint64 nowMs, QObject *context, Reply<MessageChange> done) {
    write<MessageChange>(
        context,
        [userId, messageId, text, nowMs](QSqlDatabase &db) {
            return queries::editMessage(db, userId, messageId, text, nowMs);
        },
        std::move(done));
}

void SqlStore::deleteMessage(const QString &userId, const QString &messageId, qint64 nowMs,
                             QObject *context, Reply<MessageChange> done) {
    const bool sqlite = m_target.dialect == SqlDialect::Sqlite;
    postWrite(context,
              job<MessageChange>(
                  [userId, messageId, nowMs, sqlite](QSqlDatabase &db) {
                      Outcome<MessageChange> result =
                          inTransaction<MessageChange>(db, [&](QSqlDatabase &connection) {
                              return queries::deleteMessage(connection, userId, messageId, nowMs);
                          });
                      if (sqlite && succeeded(result) && std::get<MessageChange>(result).changed) {
                          purgeDeletedText(db);
                      }
                      return result;
                  },
                  std::move(done)));
}

void SqlStore::changeReaction(const QString &userId, const QString &messageId, const QString &emoji,
                              ReactionChange change, QObject *context, Reply<MessageChange> done) {
    write<MessageChange>(
        context,
        [userId, messageId, emoji, change](QSqlDatabase &db) {
            return queries::changeReaction(db, userId, messageId, emoji, change);
        },
        std::move(done));
}

void SqlStore::relayPage(const QString &chatId, qint64 afterSeq, qint64 upToSeq, int limit,
                         QObject *context, Reply<RelayPage> done) {
    read<RelayPage>(
        context,
        [chatId, afterSeq, upToSeq, limit](QSqlDatabase &db) {
            return queries::relayPage(db, chatId, afterSeq, upToSeq, limit);
        },
        std::move(done));
}

void SqlStore::lastSeqs(QObject *context, Reply<ChatSeqs> done) {
    read<ChatSeqs>(context, &queries::lastSeqs, std::move(done));
}

void SqlStore::history(const QString &userId, const HistoryQuery &query, QObject *context,
                       Reply<HistoryPage> done) {
    read<HistoryPage>(
        context, [userId, query](QSqlDatabase &db) { return queries::history(db, userId, query); },
        std::move(done));
}

void SqlStore::createUser(const QString &username, const QByteArray &passwordHash, qint64 nowMs,
                          QObject *context, Reply<UserRecord> done) {
    write<UserRecord>(
        context,
        [username, passwordHash, nowMs](QSqlDatabase &db) {
            return queries::createUser(db, username, passwordHash, nowMs);
        },
        std::move(done));
}

void SqlStore::findLogin(const QString &username, QObject *context, Reply<LoginRecord> done) {
    read<LoginRecord>(
        context, [username](QSqlDatabase &db) { return queries::findLogin(db, username); },
        std::move(done));
}

void SqlStore::findUser(const QString &userId, QObject *context, Reply<UserRecord> done) {
    read<UserRecord>(
        context, [userId](QSqlDatabase &db) { return queries::findUser(db, userId); },
        std::move(done));
}

void SqlStore::isUsernameTaken(const QString &name, QObject *context, Reply<bool> done) {
    read<bool>(
        context, [name](QSqlDatabase &db) { return queries::isUsernameTaken(db, name); },
        std::move(done));
}

void SqlStore::searchUsers(const QString &prefix, int limit, QObject *context,
                           Reply<QList<UserRecord>> done) {
    read<QList<UserRecord>>(
        context,
        [prefix, limit](QSqlDatabase &db) { return queries::searchUsers(db, prefix, limit); },
        std::move(done));
}

void SqlStore::touchLastSeen(const QString &userId, qint64 nowMs, QObject *context,
                             Reply<Done> done) {
    write<Done>(
        context,
        [userId, nowMs](QSqlDatabase &db) { return queries::touchLastSeen(db, userId, nowMs); },
        std::move(done));
}

void SqlStore::contactsOf(const QString &userId, QObject *context, Reply<QStringList> done) {
    read<QStringList>(
        context, [userId](QSqlDatabase &db) { return queries::contactsOf(db, userId); },
        std::move(done));
}

void SqlStore::openDirectChat(const QString &userId, const QString &partnerId, qint64 nowMs,
                              QObject *context, Reply<DirectChat> done) {
    write<DirectChat>(
        context,
        [userId, partnerId, nowMs](QSqlDatabase &db) {
            return queries::openDirectChat(db, userId, partnerId, nowMs);
        },
        std::move(done));
}

void SqlStore::createRoom(const QString &userId, const QString &name, qint64 nowMs,
                          QObject *context, Reply<RoomRecord> done) {
    write<RoomRecord>(
        context,
        [userId, name, nowMs](QSqlDatabase &db) {
            return queries::createRoom(db, userId, name, nowMs);
        },
        std::move(done));
}

void SqlStore::joinRoom(const QString &userId, const QString &roomId, qint64 nowMs,
                        QObject *context, Reply<Done> done) {
    write<Done>(
        context,
        [userId, roomId, nowMs](QSqlDatabase &db) {
            return queries::joinRoom(db, userId, roomId, nowMs);
        },
        std::move(done));
}

void SqlStore::leaveRoom(const QString &userId, const QString &roomId, QObject *context,
                         Reply<Done> done) {
    write<Done>(
        context,
        [userId, roomId](QSqlDatabase &db) { return queries::leaveRoom(db, userId, roomId); },
        std::move(done));
}

void SqlStore::listRooms(int limit, int offset, QObject *context, Reply<RoomPage> done) {
    read<RoomPage>(
        context,
        [limit, offset](QSqlDatabase &db) { return queries::listRooms(db, limit, offset); },
        std::move(done));
}

void SqlStore::listChats(const QString &userId, int limit, int offset, bool unreadOnly,
                         QObject *context, Reply<ChatPage> done) {
    read<ChatPage>(
        context,
        [userId, limit, offset, unreadOnly](QSqlDatabase &db) {
            return queries::listChats(db, userId, limit, offset, unreadOnly);
        },
        std::move(done));
}

void SqlStore::audienceFor(const QString &userId, const QString &chatId, QObject *context,
                           Reply<ChatAudience> done) {
    read<ChatAudience>(
        context,
        [userId, chatId](QSqlDatabase &db) { return queries::audienceFor(db, userId, chatId); },
        std::move(done));
}

void SqlStore::chatMembers(const QString &userId, const QString &chatId,
                           const std::optional<QStringList> &onlyIds, int limit, QObject *context,
                           Reply<QList<UserRecord>> done) {
    read<QList<UserRecord>>(
        context,
        [userId, chatId, onlyIds, limit](QSqlDatabase &db) {
            return queries::chatMembers(db, userId, chatId, onlyIds, limit);
        },
        std::move(done));
}

void SqlStore::markRead(const QString &userId, const QString &chatId, const QString &messageId,
                        QObject *context, Reply<ReadMark> done) {
    write<ReadMark>(
        context,
        [userId, chatId, messageId](QSqlDatabase &db) {
            return queries::markRead(db, userId, chatId, messageId);
        },
        std::move(done));
}

void SqlStore::beginUpload(const NewUpload &upload, QObject *context, Reply<QString> done) {
    write<QString>(
        context, [upload](QSqlDatabase &db) { return queries::beginUpload(db, upload); },
        std::move(done));
}

void SqlStore::storeUploadChunk(const QString &uploadId, int index, const QByteArray &bytes,
                                QObject *context, Reply<Done> done) {
    write<Done>(
        context,
        [uploadId, index, bytes](QSqlDatabase &db) {
            return queries::storeUploadChunk(db, uploadId, index, bytes);
        },
        std::move(done));
}

void SqlStore::finishUpload(const QString &uploadId, qint64 size, QObject *context,
                            Reply<protocol::Upload> done) {
    write<protocol::Upload>(
        context,
        [uploadId, size](QSqlDatabase &db) { return queries::finishUpload(db, uploadId, size); },
        std::move(done));
}

void SqlStore::discardUpload(const QString &uploadId, QObject *context, Reply<Done> done) {
    write<Done>(
        context, [uploadId](QSqlDatabase &db) { return queries::discardUpload(db, uploadId); },
        std::move(done));
}

void SqlStore::findDownload(const QString &userId, const QString &uploadId, QObject *context,
                            Reply<protocol::Upload> done) {
    read<protocol::Upload>(
        context,
        [userId, uploadId](QSqlDatabase &db) {
            return queries::findDownload(db, userId, uploadId);
        },
        std::move(done));
}

void SqlStore::readUploadChunk(const QString &uploadId, int index, QObject *context,
                               Reply<QByteArray> done) {
    read<QByteArray>(
        context,
        [uploadId, index](QSqlDatabase &db) {
            return queries::readUploadChunk(db, uploadId, index);
        },
        std::move(done));
}

void SqlStore::removeStaleUploads(qint64 createdBeforeMs, QObject *context, Reply<qint64> done) {
    write<qint64>(
        context,
        [createdBeforeMs](QSqlDatabase &db) {
            return queries::removeStaleUploads(db, createdBeforeMs);
        },
        std::move(done));
}

void SqlStore::ping(QObject *context, Reply<Done> done) {
    read<Done>(context, &queries::ping, std::move(done));
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

std::variant<ChatSeqs, QString> readChatSeqs(const DatabaseTarget &target) {
    DatabaseConnection connection;
    if (auto problem = connection.open(target, nextConnectionName("seqs"_L1))) {
        return *problem;
    }
    QSqlDatabase db = connection.database();
    Outcome<ChatSeqs> seqs = queries::lastSeqs(db);
    if (const auto *failure = std::get_if<Failure>(&seqs)) {
        return failure->message;
    }
    return std::get<ChatSeqs>(std::move(seqs));
}

} // namespace neonchat::server
