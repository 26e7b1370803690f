// SPDX-License-Identifier: MIT
// chat-cli: the console client.
#include "accountcommands.h"
#include "client/apiclient.h"
#include "client/tls.h"
#include "connectcommand.h"
#include "exitcodes.h"
#include "platform/unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QTranslator>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace neonchat;

namespace {

// The context of the command line's translatable texts.
struct CommandLine {
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};

int usageError(const QString &message) {
    cli::printLine(stderr, u"chat-cli: "_s + message);
    return cli::ExitCode::Usage;
}

int authError(const QString &message) {
    cli::printLine(stderr, u"chat-cli: "_s + message);
    return cli::ExitCode::AuthFailed;
}

// The stored session for an account command, checked against --user and an explicit --server;
// else the exit status, after saying why.
std::variant<client::StoredSession, int> loggedInSession(const QCommandLineParser &parser) {
    auto session = client::SessionStore().load();
    if (!session) {
        return authError(CommandLine::tr("not logged in; run chat-cli login first"));
    }
    const QString user = parser.value(u"user"_s);
    if (!user.isEmpty() && user.compare(session->username, Qt::CaseInsensitive) != 0) {
        return authError(CommandLine::tr("logged in as %1, not %2; run chat-cli login --user %2")
                             .arg(session->username, user));
    }
    if (parser.isSet(u"server"_s)) {
        const auto server = client::serverUrl(parser.value(u"server"_s));
        if (const auto *problem = std::get_if<QString>(&server)) {
            return usageError(*problem);
        }
        if (std::get<QUrl>(server) != session->server) {
            return authError(
                CommandLine::tr("logged in to %1, not %2; run chat-cli login first")
                    .arg(session->server.toString(), std::get<QUrl>(server).toString()));
        }
    }
    if (session->expiresAtSeconds <= QDateTime::currentSecsSinceEpoch()) {
        return authError(CommandLine::tr("the session of %1 has expired; run chat-cli login again")
                             .arg(session->username));
    }
    return std::move(*session);
}

// Runs a one-shot command's task to its end; its exit status.
int runToEnd(QCoro::Task<int> command) {
    auto run = [](QCoro::Task<int> task) -> QCoro::Task<> {
        const int exitCode = co_await std::move(task);
        // Queued: a command that ends without waiting for anything ends before exec() starts,
        // and an exit() then would be lost.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), [exitCode] { QCoreApplication::exit(exitCode); },
            Qt::QueuedConnection);
    };
    auto finished = run(std::move(command));
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"chat-cli"_s);
    QCoreApplication::setOrganizationName(u"NeonChat"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NEONCHAT_VERSION));
    platform::UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    // The language of LC_ALL / LC_MESSAGES / LANG, where translations/ has it; else English.
    QTranslator translator;
    if (translator.load(QLocale(), u"chat-cli"_s, u"_"_s, u":/i18n"_s)) {
        QCoreApplication::installTranslator(&translator);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(CommandLine::tr(
        "NeonChat console client.\n\n"
        "Commands:\n"
        "  connect --addr ws://HOST:PORT/ws --name NAME   join the lobby as a guest: incoming\n"
        "          messages go to stdout, each stdin line is sent; exits on EOF once every\n"
        "          line is acknowledged, or on SIGINT/SIGTERM.\n"
        "  connect --server http://HOST:PORT --user NAME   the same as a logged-in user, with\n"
        "          commands: /dm USER, /join ROOM, /rooms, /chats, /switch CHAT, /history [N],\n"
        "          /who, /search WORDS, /reply N TEXT, /edit N TEXT, /delete N, /react N EMOJI,\n"
        "          /upload PATH [TEXT], /download ID [PATH], /help, /quit.\n"
        "          Plain lines go to the current chat (first the lobby).\n"
        "          A lost connection is opened again (--no-reconnect: exit instead); lines not\n"
        "          yet acknowledged are sent again and stored once.\n"
        "  register --server http://HOST:PORT --user NAME [--password-stdin]\n"
        "  login --server http://HOST:PORT --user NAME [--password-stdin]\n"
        "          create an account / log in; the session is kept in the config directory.\n"
        "          The password is asked on the terminal without echo, or read from stdin.\n"
        "  send --chat ID|lobby TEXT [--json]   send one message as the logged-in user.\n"
        "  history --chat ID|lobby [--limit N] [--json]   print a chat's latest messages.\n"
        "  edit --message ID TEXT [--json]   change the text of your message.\n"
        "  delete --message ID   delete a message (yours, or any in a room you created).\n"
        "  search WORDS [--chat ID|lobby] [--limit N] [--json]   messages of your chats with\n"
        "          every word (the last also as a prefix), newest first.\n"
        "  upload PATH [TEXT] [--chat ID|lobby] [--json]   store a file and print its id;\n"
        "          with --chat, send it there as a message (with TEXT).\n"
        "  download ID [PATH] [--json]   save a file: as PATH, or in the directory PATH (the\n"
        "          current one without PATH) under the name it was uploaded with.\n\n"
        "--json prints one JSON object per line (a message as the protocol has it).\n"
        "--ca-file trusts the CA certificates of a PEM file too (a self-signed server).\n\n"
        "Exit status: 0 ok, 2 usage error, 3 server unreachable or connection lost,\n"
        "4 authentication failed (refused session, wrong password, not logged in),\n"
        "5 rejected by the server (a message, a command, a taken username, a chat you\n"
        "are not in)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        u"command"_s,
        CommandLine::tr("connect, register, login, send, history, edit, delete, search, upload or "
                        "download"),
        u"command"_s);
    parser.addOption({u"addr"_s, CommandLine::tr("WebSocket URL of the server (ws:// or wss://)."),
                      u"URL"_s, u"ws://localhost:8080/ws"_s});
    parser.addOption({{u"name"_s, u"sender"_s}, CommandLine::tr("Guest display name."), u"NAME"_s});
    parser.addOption({u"server"_s, CommandLine::tr("HTTP address of the server."), u"URL"_s,
                      u"http://localhost:8080"_s});
    parser.addOption({u"user"_s, CommandLine::tr("Account name."), u"NAME"_s});
    parser.addOption(
        {u"password-stdin"_s, CommandLine::tr("Read the password from the first line of stdin.")});
    parser.addOption({u"chat"_s, CommandLine::tr("Chat id, or lobby."), u"ID"_s});
    parser.addOption({u"message"_s, CommandLine::tr("Message id (edit, delete)."), u"ID"_s});
    parser.addOption({u"limit"_s, CommandLine::tr("How many messages history prints (1-200)."),
                      u"N"_s, u"50"_s});
    parser.addOption({u"json"_s, CommandLine::tr("One JSON object per line.")});
    parser.addOption(
        {u"no-reconnect"_s, CommandLine::tr("connect: exit when the connection is lost.")});
    parser.addOption(
        {u"ca-file"_s, CommandLine::tr("Also trust the CA certificates in this file."), u"PEM"_s});
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
    const auto trust = client::tlsConfiguration(parser.value(u"ca-file"_s));
    if (const auto *problem = std::get_if<QString>(&trust)) {
        return usageError(*problem);
    }
    const QSslConfiguration tls = std::get<QSslConfiguration>(trust);

    if (command == "search"_L1) {
        bool ok = false;
        const int limit = parser.isSet(u"limit"_s) ? parser.value(u"limit"_s).toInt(&ok) : 20;
        if (positional.size() != 2 || positional[1].trimmed().isEmpty() ||
            (parser.isSet(u"limit"_s) && (!ok || limit < 1 || limit > 50))) {
            return usageError(CommandLine::tr(
                "search needs the words as one argument, and takes --chat and --limit 1-50"));
        }
        auto session = loggedInSession(parser);
        if (const int *exitCode = std::get_if<int>(&session)) {
            return *exitCode;
        }
        return runToEnd(cli::searchOnce(std::get<client::StoredSession>(session), tls,
                                        positional[1], parser.value(u"chat"_s), limit, style));
    }
    if (command == "upload"_L1 || command == "download"_L1) {
        const bool uploading = command == "upload"_L1;
        if (positional.size() < 2 || positional.size() > 3 || positional[1].isEmpty() ||
            (!uploading && parser.isSet(u"chat"_s)) ||
            (uploading && positional.size() == 3 && !parser.isSet(u"chat"_s))) {
            return usageError(
                uploading ? CommandLine::tr("upload needs a PATH, and TEXT only with --chat")
                          : CommandLine::tr("download needs a file ID and at most a PATH"));
        }
        auto session = loggedInSession(parser);
        if (const int *exitCode = std::get_if<int>(&session)) {
            return *exitCode;
        }
        auto &loggedIn = std::get<client::StoredSession>(session);
        auto task =
            uploading ? cli::uploadOnce(loggedIn, tls, positional[1], parser.value(u"chat"_s),
                                        positional.value(2), style)
                      : cli::downloadOnce(loggedIn, tls, positional[1], positional.value(2), style);
        return runToEnd(std::move(task));
    }
    if (command == "edit"_L1 || command == "delete"_L1) {
        const int texts = command == "edit"_L1 ? 1 : 0;
        if (!parser.isSet(u"message"_s) || positional.size() != 1 + texts ||
            (texts == 1 && positional[1].isEmpty())) {
            return usageError(command == "edit"_L1
                                  ? CommandLine::tr("edit needs --message ID and the new text as "
                                                    "one argument")
                                  : CommandLine::tr("delete needs --message ID and nothing else"));
        }
        auto session = loggedInSession(parser);
        if (const int *exitCode = std::get_if<int>(&session)) {
            return *exitCode;
        }
        auto &loggedIn = std::get<client::StoredSession>(session);
        auto task =
            command == "edit"_L1
                ? cli::editOnce(loggedIn, tls, parser.value(u"message"_s), positional[1], style)
                : cli::deleteOnce(loggedIn, tls, parser.value(u"message"_s));
        return runToEnd(std::move(task));
    }
    if (command == "register"_L1 || command == "login"_L1 || command == "send"_L1 ||
        command == "history"_L1) {
        std::optional<QCoro::Task<int>> task;
        if (command == "register"_L1 || command == "login"_L1) {
            if (positional.size() != 1 || !parser.isSet(u"user"_s)) {
                return usageError(
                    CommandLine::tr("%1 needs --user NAME and nothing else").arg(command));
            }
            const auto server = client::serverUrl(parser.value(u"server"_s));
            if (const auto *problem = std::get_if<QString>(&server)) {
                return usageError(*problem);
            }
            const auto password = cli::readPassword(parser.isSet(u"password-stdin"_s));
            if (!password) {
                return cli::ExitCode::Usage;
            }
            const client::ServerAccess access{std::get<QUrl>(server), tls};
            const QString user = parser.value(u"user"_s);
            task = command == "register"_L1
                       ? cli::registerAccount(access, user, *password)
                       : cli::logIn(access, user, *password, client::SessionStore());
        } else {
            if (!parser.isSet(u"chat"_s)) {
                return usageError(
                    CommandLine::tr("%1 needs --chat ID (or --chat lobby)").arg(command));
            }
            auto session = loggedInSession(parser);
            if (const int *exitCode = std::get_if<int>(&session)) {
                return *exitCode;
            }
            auto &loggedIn = std::get<client::StoredSession>(session);
            if (command == "send"_L1) {
                if (positional.size() != 2 || positional[1].isEmpty()) {
                    return usageError(CommandLine::tr("send needs the text as one argument"));
                }
                task = cli::sendOnce(loggedIn, tls, parser.value(u"chat"_s), positional[1], style);
            } else {
                bool ok = false;
                const int limit = parser.value(u"limit"_s).toInt(&ok);
                if (positional.size() != 1 || !ok || limit < 1 || limit > 200) {
                    return usageError(
                        CommandLine::tr("history takes --limit 1-200 and no other argument"));
                }
                task = cli::printHistory(loggedIn, tls, parser.value(u"chat"_s), limit, style);
            }
        }
        return runToEnd(std::move(*task));
    }
    if (positional.size() != 1 || command != "connect"_L1) {
        return usageError(CommandLine::tr(
            "expected a command: connect, register, login, send, history, edit, delete, search, "
            "upload or download (see --help)"));
    }
    cli::ConnectOptions options;
    options.style = style;
    options.tls = tls;
    options.reconnect = !parser.isSet(u"no-reconnect"_s);
    if (parser.isSet(u"user"_s)) {
        if (parser.isSet(u"name"_s)) {
            return usageError(
                CommandLine::tr("connect takes --name (a guest) or --user (an account), not both"));
        }
        auto session = loggedInSession(parser);
        if (const int *exitCode = std::get_if<int>(&session)) {
            return *exitCode;
        }
        options.account = std::get<client::StoredSession>(std::move(session));
        options.url =
            client::ApiClient({options.account->server, tls}).webSocketUrl(options.account->token);
    } else {
        if (!parser.isSet(u"name"_s)) {
            return usageError(
                CommandLine::tr("connect needs --name NAME (a guest) or --user NAME (an account)"));
        }
        auto url = cli::guestUrl(parser.value(u"addr"_s), parser.value(u"name"_s));
        if (const auto *problem = std::get_if<QString>(&url)) {
            return usageError(*problem);
        }
        options.url = std::get<QUrl>(url);
    }

    cli::ConnectCommand connectCommand(std::move(options));
    QObject::connect(&connectCommand, &cli::ConnectCommand::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    QObject::connect(&signalWatcher, &platform::UnixSignalWatcher::received, &connectCommand,
                     [&connectCommand](int) { connectCommand.interrupt(); });
    connectCommand.start();
    return QCoreApplication::exec();
}
