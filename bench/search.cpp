// SPDX-License-Identifier: MIT
// bench-search: message search (CONTRACT §9) on a large history, through the server's SqlStore, on
// SQLite and PostgreSQL. Fills a database with N messages (default one million) of words drawn
// from an English and a Russian vocabulary with a Zipf-like spread, in 50 rooms the searching user
// is a member of, then times searches: a rare word, a common word, two words, a prefix, and one
// chat only. Then times edits and reactions (closed loop, 8 at a time), each a write transaction
// that takes the chat's next mod_seq. Prints Markdown tables.
#include "benchdatabase.h"
#include "latency.h"
#include "store/chatqueries.h"
#include "store/messageid.h"
#include "store/searchtext.h"
#include "store/sqlstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>

#include <functional>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::server;

namespace {

constexpr int kChats = 50;
constexpr int kFillBatch = 500;

// Words of the vocabulary: English-like and Russian-like syllable strings, the first of each
// script the most frequent.
QStringList vocabulary() {
    const QStringList latin{u"ka"_s, u"ro"_s, u"mi"_s, u"te"_s, u"sa"_s, u"lo"_s,
                            u"ne"_s, u"di"_s, u"pu"_s, u"va"_s, u"re"_s, u"to"_s};
    const QStringList cyrillic{u"ка"_s, u"ро"_s, u"ми"_s, u"те"_s, u"са"_s, u"ло"_s,
                               u"не"_s, u"ди"_s, u"пу"_s, u"ва"_s, u"ре"_s, u"то"_s};
    QStringList words;
    for (const QStringList *syllables : {&latin, &cyrillic}) {
        for (int i = 0; i < 1000; ++i) {
            QString word;
            for (int n = i; word.size() < 6 || n > 0; n /= 12) {
                word += syllables->at(n % 12);
            }
            words.append(word);
        }
    }
    return words;
}

// An index into the vocabulary: low indexes much more often than high ones.
int zipfIndex(QRandomGenerator &random, int size) {
    const double u = random.generateDouble();
    return std::min(size - 1, static_cast<int>(std::pow(static_cast<double>(size), u)) - 1);
}

struct Fixture {
    QString userId;
    QStringList chatIds;
    QStringList messageIds; // a sample, for edits and reactions
};

// Users, rooms and messages straight into the tables the server made (its migrations ran first),
// in transactions of kFillBatch rows; search_text as the server writes it.
std::optional<Fixture> fill(const DatabaseTarget &target, int messages) {
    DatabaseConnection connection;
    if (auto problem = connection.open(target, u"bench-fill"_s)) {
        std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(*problem));
        return std::nullopt;
    }
    QSqlDatabase db = connection.database();
    Fixture fixture;
    fixture.userId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlQuery query(db);
    auto run = [&query](const QString &sql, const QVariantList &values) {
        query.prepare(sql);
        for (const QVariant &value : values) {
            query.addBindValue(value);
        }
        if (!query.exec()) {
            std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(query.lastError().text()));
            return false;
        }
        return true;
    };
    if (!db.transaction() ||
        !run(u"INSERT INTO users (id, username, username_key, password_hash, created_at)"
             " VALUES (?, 'searcher', 'searcher', 'x', 0)"_s,
             {fixture.userId})) {
        return std::nullopt;
    }
    for (int i = 0; i < kChats; ++i) {
        const QString chatId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        fixture.chatIds.append(chatId);
        if (!run(u"INSERT INTO chats (id, kind, name, created_by, created_at, updated_at, last_seq)"
                 " VALUES (?, 'room', ?, ?, 0, 0, 0)"_s,
                 {chatId, u"room %1"_s.arg(i), fixture.userId}) ||
            !run(u"INSERT INTO memberships (chat_id, user_id, joined_at) VALUES (?, ?, 0)"_s,
                 {chatId, fixture.userId})) {
            return std::nullopt;
        }
    }
    if (!db.commit()) {
        return std::nullopt;
    }
    const QStringList words = vocabulary();
    QRandomGenerator random(42);
    QList<qint64> seqs(kChats, 0);
    QString values = u"(?, ?, ?, ?, 'searcher', ?, ?, ?)"_s;
    for (int i = 1; i < kFillBatch; ++i) {
        values += u", (?, ?, ?, ?, 'searcher', ?, ?, ?)"_s;
    }
    QSqlQuery insert(db);
    insert.prepare(u"INSERT INTO messages"
                   " (id, chat_id, seq, sender_id, sender_name, text, created_at, search_text)"
                   " VALUES "_s +
                   values);
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch() - messages;
    QElapsedTimer took;
    took.start();
    for (int done = 0; done < messages; done += kFillBatch) {
        if (!db.transaction()) {
            return std::nullopt;
        }
        for (int i = done; i < done + kFillBatch; ++i) {
            const int chat = random.bounded(kChats);
            QStringList text;
            const bool russian = random.bounded(2) == 0;
            for (int w = 3 + random.bounded(12); w > 0; --w) {
                text.append(words[(russian ? 1000 : 0) + zipfIndex(random, 1000)]);
            }
            const QString body = text.join(u' ');
            const QString id = newMessageId(startMs + i);
            insert.addBindValue(id);
            insert.addBindValue(fixture.chatIds[chat]);
            insert.addBindValue(++seqs[chat]);
            insert.addBindValue(fixture.userId);
            insert.addBindValue(body);
            insert.addBindValue(startMs + i);
            insert.addBindValue(search::indexedText(body));
            if (i % 997 == 0) {
                fixture.messageIds.append(id);
            }
        }
        if (!insert.exec() || !db.commit()) {
            std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(insert.lastError().text()));
            return std::nullopt;
        }
        if ((done / kFillBatch) % 200 == 0) {
            std::fprintf(stderr, "\r  filled %d of %d", done, messages);
        }
    }
    for (int chat = 0; chat < kChats; ++chat) {
        if (!run(u"UPDATE chats SET last_seq = ? WHERE id = ?"_s,
                 {seqs[chat], fixture.chatIds[chat]})) {
            return std::nullopt;
        }
    }
    // Statistics for the planner, as autovacuum would gather them soon after such a load.
    if (target.dialect == SqlDialect::Postgres && !query.exec(u"ANALYZE"_s)) {
        std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(query.lastError().text()));
        return std::nullopt;
    }
    std::fprintf(stderr, "\r  filled %d messages in %.0f s\n", messages,
                 static_cast<double>(took.elapsed()) / 1000.0);
    return fixture;
}

// Runs one store call at a time (or `parallel` at once) `count` times; latencies in us.
std::vector<qint64> timeCalls(int count, int parallel,
                              const std::function<void(int, std::function<void(bool)>)> &call,
                              int *failures, double *seconds) {
    QEventLoop loop;
    QElapsedTimer clock;
    std::vector<qint64> latencies;
    int started = 0;
    int outstanding = 0;
    std::function<void()> next = [&] {
        if (started >= count) {
            if (outstanding == 0) {
                loop.quit();
            }
            return;
        }
        const int index = started++;
        ++outstanding;
        const qint64 startUs = clock.nsecsElapsed() / 1000;
        call(index, [&, startUs](bool ok) {
            --outstanding;
            latencies.push_back(clock.nsecsElapsed() / 1000 - startUs);
            *failures += ok ? 0 : 1;
            next();
        });
    };
    clock.start();
    for (int i = 0; i < parallel; ++i) {
        next();
    }
    loop.exec();
    *seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    std::sort(latencies.begin(), latencies.end());
    return latencies;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench-search"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Search latency on a large history, and edit and reaction throughput, through SqlStore. "
        "Prints Markdown tables."_s);
    parser.addHelpOption();
    parser.addOption({u"postgres"_s,
                      u"Admin URL of a PostgreSQL server to create a scratch database on. Without "
                      "it only SQLite runs."_s,
                      u"URL"_s});
    parser.addOption({u"messages"_s, u"Messages to fill."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"no-sqlite"_s, u"Only PostgreSQL (with --postgres)."_s});
    parser.addOption({u"queries"_s, u"Searches per kind."_s, u"N"_s, u"100"_s});
    parser.process(app);
    const int messages = parser.value(u"messages"_s).toInt();
    const int queries = parser.value(u"queries"_s).toInt();

    QStringList kinds;
    if (!parser.isSet(u"no-sqlite"_s)) {
        kinds.append(u"sqlite"_s);
    }
    if (parser.isSet(u"postgres"_s)) {
        kinds.append(u"postgres"_s);
    }
    const QStringList words = vocabulary();
    std::printf(
        "| database | search | results (first page) | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
    QStringList changeRows;
    QTemporaryDir dir;
    int run = 0;
    for (const QString &kind : kinds) {
        const auto url = bench::createDatabase(kind, parser.value(u"postgres"_s), dir, ++run);
        if (!url) {
            return 1;
        }
        const auto target = parseDatabaseUrl(*url, dir.path());
        if (const auto *problem = std::get_if<QString>(&target)) {
            std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(*problem));
            return 1;
        }
        auto opened = SqlStore::open(std::get<DatabaseTarget>(target));
        if (const auto *problem = std::get_if<QString>(&opened)) {
            std::fprintf(stderr, "bench-search: %s\n", qUtf8Printable(*problem));
            return 1;
        }
        auto &store = *std::get<std::unique_ptr<SqlStore>>(opened);
        const auto fixture = fill(std::get<DatabaseTarget>(target), messages);
        if (!fixture) {
            return 1;
        }
        QObject context;
        struct Kind {
            QString name;
            std::function<SearchQuery(int)> query;
        };
        const auto wordQuery = [&](QStringList queryWords) {
            SearchQuery query;
            query.userId = fixture->userId;
            query.words = std::move(queryWords);
            return query;
        };
        const QList<Kind> searches{
            {u"word no message has"_s,
             [&](int i) { return wordQuery({u"absentword%1"_s.arg(i)}); }},
            {u"rare word"_s,
             [&](int i) { return wordQuery({search::words(words[990 - i % 50]).first()}); }},
            {u"common word"_s,
             [&](int i) { return wordQuery({search::words(words[i % 3]).first()}); }},
            {u"two words (Russian)"_s,
             [&](int i) {
                 return wordQuery({words[1000 + i % 5], words[1000 + 20 + i % 40]});
             }},
            {u"prefix of 4 letters"_s,
             [&](int i) { return wordQuery({words[100 + i % 50].left(4)}); }},
            {u"common word, one chat"_s,
             [&](int i) {
                 SearchQuery query = wordQuery({words[i % 3]});
                 query.chatId = fixture->chatIds[i % kChats];
                 return query;
             }},
        };
        for (const Kind &search : searches) {
            int failures = 0;
            double seconds = 0;
            qint64 found = 0;
            const auto latencies = timeCalls(
                queries, 1,
                [&](int i, std::function<void(bool)> done) {
                    store.search(search.query(i), &context,
                                 [&found, done](const Outcome<SearchPage> &page) {
                                     if (const auto *read = std::get_if<SearchPage>(&page)) {
                                         found += read->messages.size();
                                     }
                                     done(succeeded(page));
                                 });
                },
                &failures, &seconds);
            std::printf("| %s | %s | %.1f | %.2f | %.2f |\n", qPrintable(kind),
                        qPrintable(search.name), static_cast<double>(found) / queries,
                        bench::percentileMs(latencies, 0.5), bench::percentileMs(latencies, 0.99));
            if (failures > 0) {
                std::fprintf(stderr, "bench-search: %d searches failed\n", failures);
                return 1;
            }
        }
        // Changes: 8 at a time, as many users editing and reacting at once.
        for (const QString &change : {u"edit"_s, u"reaction added"_s}) {
            int failures = 0;
            double seconds = 0;
            const int count = 2000;
            const auto latencies = timeCalls(
                count, 8,
                [&](int i, std::function<void(bool)> done) {
                    const QString &id = fixture->messageIds[i % fixture->messageIds.size()];
                    const auto answered = [done](const Outcome<MessageChange> &result) {
                        done(succeeded(result));
                    };
                    if (change == "edit"_L1) {
                        store.editMessage(fixture->userId, id, u"edited text %1 ревизия"_s.arg(i),
                                          QDateTime::currentMSecsSinceEpoch(), &context, answered);
                    } else {
                        store.changeReaction(fixture->userId, id, u"e%1"_s.arg(i / 1000),
                                             ReactionChange::Add, &context, answered);
                    }
                },
                &failures, &seconds);
            changeRows.append(u"| %1 | %2 | %3 | %4 | %5 |"_s.arg(kind, change)
                                  .arg(static_cast<double>(count) / seconds, 0, 'f', 0)
                                  .arg(bench::percentileMs(latencies, 0.5), 0, 'f', 2)
                                  .arg(bench::percentileMs(latencies, 0.99), 0, 'f', 2));
            if (failures > 0) {
                std::fprintf(stderr, "bench-search: %d changes failed\n", failures);
                return 1;
            }
        }
    }
    std::printf("\n| database | change (8 at a time) | per second | p50 ms | p99 ms |\n"
                "|---|---|---|---|---|\n%s\n",
                qPrintable(changeRows.join(u'\n')));
    return 0;
}
