// SPDX-License-Identifier: MIT
// chat-cli: the console client.
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
        "          line is acknowledged, or on SIGINT/SIGTERM.\n\n"
        "Exit status: 0 ok, 2 usage error, 3 server unreachable or connection lost,\n"
        "4 refused by the server, 5 a message was rejected."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"command"_s, u"connect"_s, u"command"_s);
    parser.addOption({u"addr"_s, u"WebSocket URL of the server (ws:// or wss://)."_s, u"URL"_s,
                      u"ws://localhost:8080/ws"_s});
    parser.addOption({{u"name"_s, u"sender"_s}, u"Guest display name."_s, u"NAME"_s});
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
    if (positional.size() != 1 || positional.first() != "connect"_L1) {
        return usageError(u"expected a command: connect (see --help)"_s);
    }
    if (!parser.isSet(u"name"_s)) {
        return usageError(u"connect needs --name"_s);
    }
    auto url = cli::guestUrl(parser.value(u"addr"_s), parser.value(u"name"_s));
    if (const auto *problem = std::get_if<QString>(&url)) {
        return usageError(*problem);
    }

    const bool color = isatty(STDOUT_FILENO) == 1 && !qEnvironmentVariableIsSet("NO_COLOR");
    cli::ConnectCommand command(std::get<QUrl>(url), cli::OutputStyle{color});
    QObject::connect(&command, &cli::ConnectCommand::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    QObject::connect(&signalWatcher, &platform::UnixSignalWatcher::received, &command,
                     [&command](int) { command.interrupt(); });
    command.start();
    return QCoreApplication::exec();
}
