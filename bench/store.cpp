// SPDX-License-Identifier: MIT
// bench-store: persisted messages per second through the server's SqlStore, on SQLite and
// PostgreSQL, for several numbers of concurrent senders, with one commit per message beside group
// commit in the same run. Each sender is a client that sends its next message when the previous
// one is acknowledged (committed).
#include "benchdatabase.h"
#include "latency.h"
#include "store/sqlstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::server;

namespace {

struct RunResult {
    qint64 committed = 0;
    qint64 failed = 0;
    double seconds = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

RunResult runSenders(SqlStore &store, int senders, int messages, qint64 maxMs) {
    QObject context;
    QEventLoop loop;
    QElapsedTimer clock;
    std::vector<qint64> latenciesUs;
    latenciesUs.reserve(static_cast<size_t>(messages));
    RunResult result;
    int sent = 0;
    int outstanding = 0;

    std::function<void(int)> sendNext = [&](int sender) {
        if (sent >= messages || clock.elapsed() > maxMs) {
            if (outstanding == 0) {
                loop.quit();
            }
            return;
        }
        ++sent;
        ++outstanding;
        const qint64 startUs = clock.nsecsElapsed() / 1000;
        store.append(NewMessageRecord{QString(protocol::kLobbyId), u"sender-%1"_s.arg(sender),
                                      u"sender %1"_s.arg(sender),
                                      u"benchmark message number %1 from a sender"_s.arg(sent),
                                      u"s%1-%2"_s.arg(sender).arg(sent)},
                     &context, [&, sender, startUs](const Outcome<AppendOutcome> &appended) {
                         --outstanding;
                         if (std::holds_alternative<AppendOutcome>(appended)) {
                             ++result.committed;
                             latenciesUs.push_back(clock.nsecsElapsed() / 1000 - startUs);
                         } else {
                             ++result.failed;
                         }
                         sendNext(sender);
                     });
    };

    clock.start();
    for (int sender = 0; sender < senders; ++sender) {
        sendNext(sender);
    }
    loop.exec();
    result.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    std::sort(latenciesUs.begin(), latenciesUs.end());
    result.p50Ms = bench::percentileMs(latenciesUs, 0.50);
    result.p99Ms = bench::percentileMs(latenciesUs, 0.99);
    return result;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench-store"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Persisted messages per second through SqlStore: one commit per message against group "
        "commit, for each database and number of concurrent senders. Prints a Markdown table."_s);
    parser.addHelpOption();
    parser.addOption({u"postgres"_s,
                      u"Admin URL of a PostgreSQL server to create scratch databases on "
                      "(postgres://user@host:port/postgres). Without it only SQLite runs."_s,
                      u"URL"_s});
    parser.addOption(
        {u"senders"_s, u"Comma list of concurrent sender counts."_s, u"LIST"_s, u"1,10,100"_s});
    parser.addOption({u"messages"_s, u"Messages per run."_s, u"N"_s, u"3000"_s});
    parser.addOption(
        {u"max-seconds"_s, u"Stop sending after this long in one run."_s, u"S"_s, u"15"_s});
    parser.addOption(
        {u"dir"_s, u"Directory for the SQLite files (default: a temporary one)."_s, u"DIR"_s});
    parser.process(app);

    QTemporaryDir dir(parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) + u"/bench-store-XXXXXX"_s
                                             : QDir::tempPath() + u"/bench-store-XXXXXX"_s);
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench-store: no scratch directory\n");
        return 1;
    }
    QStringList kinds{u"sqlite"_s};
    if (parser.isSet(u"postgres"_s)) {
        kinds.append(u"postgres"_s);
    }
    const int messages = parser.value(u"messages"_s).toInt();
    const qint64 maxMs = parser.value(u"max-seconds"_s).toLongLong() * 1000;

    std::printf(
        "| database | senders | commits | messages | seconds | messages/s | p50 ms | p99 ms "
        "|\n|---|---:|---|---:|---:|---:|---:|---:|\n");
    int run = 0;
    int status = 0;
    for (const QString &kind : kinds) {
        for (const QString &count : parser.value(u"senders"_s).split(u',')) {
            for (const int maxBatch : {1, SqlStoreOptions{}.maxBatch}) {
                const auto url =
                    bench::createDatabase(kind, parser.value(u"postgres"_s), dir, ++run);
                if (!url) {
                    return 1;
                }
                auto target = parseDatabaseUrl(*url, dir.path());
                auto opened =
                    SqlStore::open(std::get<DatabaseTarget>(target), SqlStoreOptions{maxBatch});
                if (const auto *problem = std::get_if<QString>(&opened)) {
                    std::fprintf(stderr, "bench-store: %s\n", qUtf8Printable(*problem));
                    return 1;
                }
                auto &store = *std::get<std::unique_ptr<SqlStore>>(opened);
                const RunResult result = runSenders(store, count.toInt(), messages, maxMs);
                if (result.failed > 0) {
                    status = 1;
                }
                std::printf("| %s | %d | %s | %lld | %.2f | %.0f | %.1f | %.1f |\n",
                            qPrintable(kind), count.toInt(),
                            maxBatch == 1 ? "one per message" : "group",
                            static_cast<long long>(result.committed), result.seconds,
                            static_cast<double>(result.committed) / result.seconds, result.p50Ms,
                            result.p99Ms);
                std::fflush(stdout);
            }
        }
    }
    return status;
}
