// SPDX-License-Identifier: MIT
#include "accountcommands.h"

#include "filetransfer.h"

#include "chatcommands.h"

#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "exitcodes.h"
#include "protocol/codec.h"

#include <QCoreApplication>
#include <QCoroSignal>
#include <QDateTime>

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

namespace {

// The context of these commands' translatable texts.
struct AccountCommands {
    Q_DECLARE_TR_FUNCTIONS(AccountCommands)
};

// The exit status for a failed API call, after telling the user why.
int failed(const client::ApiError &error, const QString &doing) {
    printLine(stderr, u"chat-cli: %1: %2"_s.arg(doing, error.message));
    if (error.status == 0) {
        return ExitCode::Unreachable;
    }
    if (error.status == 401 || error.status == 429) {
        return ExitCode::AuthFailed;
    }
    return ExitCode::Rejected;
}

QString resolveChat(const QString &chatId) {
    return chatId == "lobby"_L1 ? QString(protocol::kLobbyId) : chatId;
}

} // namespace

std::optional<QString> readPassword(bool fromStdin) {
    std::string line;
    if (fromStdin) {
        if (!std::getline(std::cin, line)) {
            printLine(stderr, AccountCommands::tr(
                                  "chat-cli: --password-stdin: no password on standard input"));
            return std::nullopt;
        }
        return QString::fromStdString(line);
    }
    if (isatty(STDIN_FILENO) != 1) {
        printLine(stderr,
                  AccountCommands::tr(
                      "chat-cli: no terminal to ask for the password; use --password-stdin"));
        return std::nullopt;
    }
    termios saved{};
    if (tcgetattr(STDIN_FILENO, &saved) != 0) {
        printLine(stderr, AccountCommands::tr("chat-cli: cannot turn off echo on this terminal"));
        return std::nullopt;
    }
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    std::fputs("Password: ", stderr);
    std::fflush(stderr);
    const bool echoOff = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0;
    const bool read = static_cast<bool>(std::getline(std::cin, line));
    const bool restored = !echoOff || tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) == 0;
    std::fputs("\n", stderr);
    if (!echoOff || !restored || !read) {
        printLine(stderr, AccountCommands::tr("chat-cli: could not read the password"));
        return std::nullopt;
    }
    return QString::fromStdString(line);
}

QCoro::Task<int> registerAccount(client::ServerAccess access, QString username, QString password) {
    const QUrl server = access.server;
    client::ApiClient api(std::move(access));
    const auto answer = co_await api.registerAccount(username, password);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, AccountCommands::tr("register"));
    }
    printLine(stderr, AccountCommands::tr(
                          "registered %1; log in with: chat-cli login --server %2 --user %1")
                          .arg(username, server.toString()));
    co_return ExitCode::Ok;
}

QCoro::Task<int> logIn(client::ServerAccess access, QString username, QString password,
                       client::SessionStore store) {
    const QUrl server = access.server;
    client::ApiClient api(std::move(access));
    const auto answer = co_await api.logIn(username, password);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, AccountCommands::tr("login"));
    }
    const auto &login = std::get<client::LoginSession>(answer);
    const client::StoredSession session{server, login.userId, login.username, login.token,
                                        QDateTime::currentSecsSinceEpoch() +
                                            login.expiresInSeconds};
    if (auto problem = store.save(session)) {
        printLine(stderr, u"chat-cli: %1"_s.arg(*problem));
        co_return ExitCode::Unreachable;
    }
    printLine(stderr, AccountCommands::tr("logged in as %1 (session kept in %2)")
                          .arg(login.username, store.path()));
    co_return ExitCode::Ok;
}

QCoro::Task<int> sendOnce(client::StoredSession session, QSslConfiguration tls, QString chatId,
                          QString text, OutputStyle style, QStringList attachmentIds) {
    client::ApiClient api({session.server, tls});
    client::ChatConnection connection;
    connection.setTlsConfiguration(tls);
    connection.open(api.webSocketUrl(session.token));
    const QString requestId = connection.send(text, resolveChat(chatId), {}, attachmentIds);
    int exitCode = ExitCode::Unreachable;
    QObject context;
    bool settled = false;
    QObject::connect(&connection, &client::ChatConnection::messageAcknowledged, &context,
                     [&](const QString &id, const protocol::ChatMessage &message) {
                         if (id == requestId) {
                             if (style.json) {
                                 printJson(protocol::messageToJson(message));
                             }
                             exitCode = ExitCode::Ok;
                             settled = true;
                             connection.close();
                         }
                     });
    QObject::connect(
        &connection, &client::ChatConnection::messageRejected, &context,
        [&](const QString &, const protocol::ErrorFrame &error) {
            printLine(stderr, AccountCommands::tr("chat-cli: not sent: %1").arg(error.message));
            exitCode = ExitCode::Rejected;
            settled = true;
            connection.close();
        });
    const auto [closeCode, reason, wasWelcomed] =
        co_await qCoro(&connection, &client::ChatConnection::disconnected);
    if (!settled) {
        printLine(stderr, u"chat-cli: %1"_s.arg(reason));
        exitCode = closeCode == 1008 ? ExitCode::AuthFailed : ExitCode::Unreachable;
    }
    co_return exitCode;
}

QCoro::Task<int> printHistory(client::StoredSession session, QSslConfiguration tls, QString chatId,
                              int limit, OutputStyle style) {
    client::ApiClient api({session.server, std::move(tls)});
    api.setToken(session.token);
    const auto answer = co_await api.history(resolveChat(chatId), limit);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, AccountCommands::tr("history"));
    }
    for (const protocol::ChatMessage &message : std::get<client::HistoryPage>(answer).messages) {
        printMessage(message, style, /*withDate=*/true);
    }
    co_return ExitCode::Ok;
}

QCoro::Task<int> editOnce(client::StoredSession session, QSslConfiguration tls, QString messageId,
                          QString text, OutputStyle style) {
    client::ApiClient api({session.server, std::move(tls)});
    api.setToken(session.token);
    const auto answer = co_await api.editMessage(messageId, text);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, AccountCommands::tr("edit"));
    }
    if (style.json) {
        printJson(protocol::messageToJson(std::get<protocol::ChatMessage>(answer)));
    }
    co_return ExitCode::Ok;
}

QCoro::Task<int> deleteOnce(client::StoredSession session, QSslConfiguration tls,
                            QString messageId) {
    client::ApiClient api({session.server, std::move(tls)});
    api.setToken(session.token);
    const auto answer = co_await api.deleteMessage(messageId);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, AccountCommands::tr("delete"));
    }
    co_return ExitCode::Ok;
}

QCoro::Task<int> searchOnce(client::StoredSession session, QSslConfiguration tls, QString words,
                            QString chatId, int limit, OutputStyle style) {
    client::ApiClient api({session.server, std::move(tls)});
    api.setToken(session.token);
    const auto found = co_await api.search(
        words, chatId.isEmpty() ? QString() : resolveChat(chatId), QString(), limit);
    if (const auto *error = std::get_if<client::ApiError>(&found)) {
        co_return failed(*error, AccountCommands::tr("search"));
    }
    // The chats' names, for where each result is.
    QHash<QString, QString> labels;
    if (const auto chats = co_await api.chats();
        const auto *list = std::get_if<QList<client::ChatSummary>>(&chats)) {
        for (const client::ChatSummary &chat : *list) {
            labels.insert(chat.id, chatLabel(chat));
        }
    }
    for (const client::SearchResult &result : std::get<client::SearchPage>(found).results) {
        printSearchResult(result.message, result.snippet,
                          labels.value(result.message.chatId, result.message.chatId.left(8)),
                          style);
    }
    co_return ExitCode::Ok;
}

QCoro::Task<int> uploadOnce(client::StoredSession session, QSslConfiguration tls, QString path,
                            QString chatId, QString text, OutputStyle style) {
    std::optional<protocol::Upload> uploaded;
    {
        client::ApiClient api({session.server, tls});
        api.setToken(session.token);
        uploaded = co_await FileTransfer::upload(api, path);
    }
    if (!uploaded) {
        co_return ExitCode::Rejected;
    }
    if (!chatId.isEmpty()) {
        // Built before the co_await: g++ 12 cannot keep an initializer list across a suspension.
        QStringList attachmentIds;
        attachmentIds.append(uploaded->id);
        co_return co_await sendOnce(session, tls, chatId, text, style, attachmentIds);
    }
    if (style.json) {
        printJson(protocol::uploadToJson(*uploaded));
    } else {
        printLine(stdout, u"%1 %2 (%3)"_s.arg(uploaded->id, uploaded->filename,
                                              formatSize(uploaded->size)));
    }
    co_return ExitCode::Ok;
}

QCoro::Task<int> downloadOnce(client::StoredSession session, QSslConfiguration tls,
                              QString uploadId, QString target, OutputStyle style) {
    client::ApiClient api({session.server, std::move(tls)});
    api.setToken(session.token);
    const auto saved = co_await FileTransfer::download(api, uploadId, target);
    if (!saved) {
        co_return ExitCode::Rejected;
    }
    if (style.json) {
        QJsonObject answer;
        answer.insert("id"_L1, uploadId);
        answer.insert("path"_L1, *saved);
        printJson(answer);
    } else {
        printLine(stdout, *saved);
    }
    co_return ExitCode::Ok;
}

} // namespace neonchat::cli
