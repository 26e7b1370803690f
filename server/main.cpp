// SPDX-License-Identifier: MIT
// chat-server: parses the command line, then hands over to ChatServer.
#include "app/chatserver.h"
#include "config/config.h"
#include "obs/log.h"
#include "platform/servicemanager.h"
#include "platform/unixsignalwatcher.h"
#include "store/sqlstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace neonchat;

namespace {

constexpr int kExitConfigError = 2;
constexpr int kExitCheckFailed = 1;

void printError(const QString &message) {
    std::fprintf(stderr, "chat-server: %s\n", qUtf8Printable(message));
}

// Every connection holds a descriptor; the usual soft limit of 1024 lets one client with a few
// hundred idle sockets starve everyone. The soft limit is raised to the hard one the operator
// (or systemd's LimitNOFILE) set.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        qCWarning(lcServer) << "cannot read the open file limit";
        return;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            qCWarning(lcServer) << "cannot raise the open file limit from" << before;
            return;
        }
    }
    qCInfo(lcServer).noquote() << u"open file limit: %1"_s.arg(
        limit.rlim_cur == RLIM_INFINITY ? u"unlimited"_s : QString::number(limit.rlim_cur));
}

} // namespace

int main(int argc, char *argv[]) {
    // Qt's own event dispatcher scans sockets with less overhead than the GLib one (QT64-NOTES).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB")) {
        qputenv("QT_NO_GLIB", "1");
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"chat-server"_s);
    QCoreApplication::setOrganizationName(u"NeonChat"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NEONCHAT_VERSION));
    // Before any thread starts, so every thread inherits the blocked signals.
    platform::UnixSignalWatcher signalWatcher({SIGINT, SIGTERM, SIGHUP});

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"NeonChat server: REST, probes, metrics and WebSocket chat on one port.\n\n"
        "Commands:\n"
        "  start    run the server (default)\n"
        "  check    validate the configuration and exit (0 valid, 1 invalid)\n"
        "  migrate  apply database migrations and exit"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"command"_s, u"start, check or migrate (default start)"_s,
                                 u"[command]"_s);
    server::addConfigOptions(parser);
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return kExitConfigError;
    }
    if (parser.isSet(u"help"_s)) {
        parser.showHelp(0);
    }
    if (parser.isSet(u"version"_s)) {
        parser.showVersion();
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? u"start"_s : positional.first();
    if (positional.size() > 1 ||
        (command != "start"_L1 && command != "check"_L1 && command != "migrate"_L1)) {
        printError(u"unknown command '%1' (start, check or migrate)"_s.arg(positional.join(u' ')));
        return kExitConfigError;
    }
    const bool checkOnly = command == "check"_L1;

    const bool terminal = isatty(STDERR_FILENO) == 1;
    auto resolved =
        server::resolveConfig(parser, QProcessEnvironment::systemEnvironment(), terminal);
    if (const auto *error = std::get_if<server::ConfigError>(&resolved)) {
        printError(error->message);
        return checkOnly ? kExitCheckFailed : kExitConfigError;
    }
    const server::Config config = std::get<server::Config>(std::move(resolved));
    if (checkOnly) {
        std::printf("configuration is valid\n");
        return 0;
    }

    server::installLogFormat(config.logFormat);
    server::applyLogLevel(config.logLevel);
    QStringList effective;
    for (const auto &[key, value] : server::describeConfig(config)) {
        effective.append(key + u'=' + value);
    }
    qCInfo(lcConfig).noquote() << u"chat-server %1 effective configuration: %2"_s.arg(
        QCoreApplication::applicationVersion(), effective.join(u' '));

    if (command == "migrate"_L1) {
        auto target = server::parseDatabaseUrl(config.db, config.dataDir);
        if (const auto *problem = std::get_if<QString>(&target)) {
            printError(u"--db %1"_s.arg(*problem));
            return kExitConfigError;
        }
        const auto migrated = server::migrateDatabase(std::get<server::DatabaseTarget>(target));
        if (const auto *problem = std::get_if<QString>(&migrated)) {
            qCCritical(lcDb).noquote() << u"migration failed: %1"_s.arg(*problem);
            return 1;
        }
        const auto &outcome = std::get<server::MigrationOutcome>(migrated);
        qCInfo(lcDb).noquote() << u"database at schema version %1: %2 migration(s) applied"_s.arg(
            QString::number(outcome.version), QString::number(outcome.applied));
        return 0;
    }

    raiseDescriptorLimit();
    server::ChatServer chatServer(config);
    if (const auto problem = chatServer.start()) {
        qCCritical(lcServer).noquote() << *problem;
        return 1;
    }
    server::notifyReady(u"listening on port %1"_s.arg(chatServer.port()));

    QObject::connect(
        &signalWatcher, &platform::UnixSignalWatcher::received, &chatServer, [&](int signalNumber) {
            if (signalNumber != SIGHUP) {
                server::notifyStopping();
                chatServer.stop();
                return;
            }
            server::notifyReloading();
            auto reloaded =
                server::resolveConfig(parser, QProcessEnvironment::systemEnvironment(), terminal);
            if (const auto *error = std::get_if<server::ConfigError>(&reloaded)) {
                qCWarning(lcConfig).noquote()
                    << u"reload rejected, keeping the running configuration: %1"_s.arg(
                           error->message);
                server::notifyReady(u"reload rejected: %1"_s.arg(error->message));
                return;
            }
            chatServer.reload(std::get<server::Config>(reloaded));
            server::notifyReady(u"configuration reloaded"_s);
        });
    QObject::connect(&chatServer, &server::ChatServer::stopped, &app, [](bool withinTimeout) {
        if (withinTimeout) {
            qCInfo(lcServer) << "server exited properly";
        } else {
            qCWarning(lcServer) << "server exited after the shutdown timeout";
        }
        QCoreApplication::exit(0);
    });
    return QCoreApplication::exec();
}
