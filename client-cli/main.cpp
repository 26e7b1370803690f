// SPDX-License-Identifier: MIT
// chat-cli: the console client.
#include "accountcommands.h"
#include "client/apiclient.h"
#include "connectcommand.h"
#include "exitcodes.h"
#include "platform/unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace neonchat;

namespace {

int usageError(const QString &message) {
    std::fprintf(stderr, "chat-cli: %s\n", qUtf8Printable(message));
    return cli::ExitCode::Usage;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"chat-cli"_s);
    QCoreApplication::setOrganizationName(u"NeonChat"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NEONCHAT_VERSION));
    platform::UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"NeonChat console client.\n\n"
        "Commands:\n"
        "  connect --addr ws://HOST:PORT/ws --name NAME   join the lobby as a guest: incoming\n"
        "          messages go to stdout, each stdin line is sent; exits on EOF once every\n"
        "          line is acknowledged, or on SIGINT/SIGTERM.\n"
        "  register --server http://HOST:PORT --user NAME [--password-stdin]\n"
        "  login --server http://HOST:PORT --user NAME [--password-stdin]\n"
        "          create an account / log in; the session is kept in the config directory.\n"
        "          The password is asked on the terminal without echo, or read from stdin.\n"
        "  send --chat ID|lobby TEXT [--json]   send one message as the logged-in user.\n"
        "  history --chat ID|lobby [--limit N] [--json]   print a chat's latest messages.\n\n"
        "--json prints one JSON object per line (a message as the protocol has it).\n\n"
        "Exit status: 0 ok, 2 usage error, 3 server unreachable or connection lost,\n"
        "4 authentication failed (refused session, wrong password, not logged in),\n"
        "5 rejected by the server (a message, a taken username, a chat you are not in)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"command"_s, u"connect, register, login, send or history"_s,
                                 u"command"_s);
    parser.addOption({u"addr"_s, u"WebSocket URL of the server (ws:// or wss://)."_s, u"URL"_s,
                      u"ws://localhost:8080/ws"_s});
    parser.addOption({{u"name"_s, u"sender"_s}, u"Guest display name."_s, u"NAME"_s});
    parser.addOption(
        {u"server"_s, u"HTTP address of the server."_s, u"URL"_s, u"http://localhost:8080"_s});
    parser.addOption({u"user"_s, u"Account name."_s, u"NAME"_s});
    parser.addOption({u"password-stdin"_s, u"Read the password from the first line of stdin."_s});
    parser.addOption({u"chat"_s, u"Chat id, or lobby."_s, u"ID"_s});
    parser.addOption({u"limit"_s, u"How many messages history prints (1-200)."_s, u"N"_s, u"50"_s});
    parser.addOption({u"json"_s, u"One JSON object per line."_s});
    if (!parser.parse(QCoreApplication::arguments())) {
        return usageError(parser.errorText());
    }
    if (parser.isSet(u"help"_s)) {
        parser.showHelp(0);
    }
    if (parser.isSet(u"version"_s)) {
        parser.showVersion();
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    const bool color = isatty(STDOUT_FILENO) == 1 && !qEnvironmentVariableIsSet("NO_COLOR");
    const cli::OutputStyle style{color && !parser.isSet(u"json"_s), parser.isSet(u"json"_s)};
    if (command == "register"_L1 || command == "login"_L1 || command == "send"_L1 ||
        command == "history"_L1) {
        std::optional<QCoro::Task<int>> task;
        if (command == "register"_L1 || command == "login"_L1) {
            if (positional.size() != 1 || !parser.isSet(u"user"_s)) {
                return usageError(u"%1 needs --user NAME and nothing else"_s.arg(command));
            }
            const auto server = client::serverUrl(parser.value(u"server"_s));
            if (const auto *problem = std::get_if<QString>(&server)) {
                return usageError(*problem);
            }
            const auto password = cli::readPassword(parser.isSet(u"password-stdin"_s));
            if (!password) {
                return cli::ExitCode::Usage;
            }
            const QString user = parser.value(u"user"_s);
            task =
                command == "register"_L1
                    ? cli::registerAccount(std::get<QUrl>(server), user, *password)
                    : cli::logIn(std::get<QUrl>(server), user, *password, client::SessionStore());
        } else {
            const auto session = client::SessionStore().load();
            if (!session) {
                std::fprintf(stderr, "chat-cli: not logged in; run chat-cli login first\n");
                return cli::ExitCode::AuthFailed;
            }
            if (!parser.isSet(u"chat"_s)) {
                return usageError(u"%1 needs --chat ID (or --chat lobby)"_s.arg(command));
            }
            if (command == "send"_L1) {
                if (positional.size() != 2 || positional[1].isEmpty()) {
                    return usageError(u"send needs the text as one argument"_s);
                }
                task = cli::sendOnce(*session, parser.value(u"chat"_s), positional[1], style);
            } else {
                bool ok = false;
                const int limit = parser.value(u"limit"_s).toInt(&ok);
                if (positional.size() != 1 || !ok || limit < 1 || limit > 200) {
                    return usageError(u"history takes --limit 1-200 and no other argument"_s);
                }
                task = cli::printHistory(*session, parser.value(u"chat"_s), limit, style);
            }
        }
        // Runs the command's task to its end, then leaves with its status.
        auto run = [](QCoro::Task<int> command) -> QCoro::Task<> {
            QCoreApplication::exit(co_await std::move(command));
        };
        auto finished = run(std::move(*task));
        return QCoreApplication::exec();
    }
    if (positional.size() != 1 || command != "connect"_L1) {
        return usageError(u"expected a command: connect, register, login, send or history "
                          "(see --help)"_s);
    }
    if (!parser.isSet(u"name"_s)) {
        return usageError(u"connect needs --name"_s);
    }
    auto url = cli::guestUrl(parser.value(u"addr"_s), parser.value(u"name"_s));
    if (const auto *problem = std::get_if<QString>(&url)) {
        return usageError(*problem);
    }

    cli::ConnectCommand connectCommand(std::get<QUrl>(url), style);
    QObject::connect(&connectCommand, &cli::ConnectCommand::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    QObject::connect(&signalWatcher, &platform::UnixSignalWatcher::received, &connectCommand,
                     [&connectCommand](int) { connectCommand.interrupt(); });
    connectCommand.start();
    return QCoreApplication::exec();
}
