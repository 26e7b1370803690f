// SPDX-License-Identifier: MIT
// `chat-cli connect`: socket to stdout as readable lines, stdin lines to the socket. As a guest
// every line goes to the lobby; in an account session lines go to the current chat and slash
// commands (ChatCommands) choose it. Lines are handled one at a time in the order read, so a
// script's "/dm bob" takes effect before the line after it. A lost session is opened again with
// backoff; what was not acknowledged is sent again under the same request id.
#pragma once

#include "chatcommands.h"
#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "client/sessionstore.h"
#include "output.h"
#include "stdinreader.h"

#include <QCoroTask>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <memory>

namespace neonchat::cli {

struct ConnectOptions {
    QUrl url; // the WebSocket URL, with the guest name or the account's token
    std::optional<client::StoredSession> account;
    bool reconnect = true;
    OutputStyle style;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
};

class ConnectCommand : public QObject {
    Q_OBJECT
public:
    explicit ConnectCommand(ConnectOptions options, QObject *parent = nullptr);

    void start();
    // SIGINT / SIGTERM: stop reading, wait up to kInterruptGraceMs for the lines sent to be
    // acknowledged, close with 1000 and finish (0 when every line was). A second signal closes
    // at once.
    void interrupt();
    static constexpr int kInterruptGraceMs = 5000;

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onWelcomed();
    void onLine(const QString &line);
    void onEndOfInput();
    void onDisconnected(int closeCode, const QString &reason, bool wasWelcomed);
    // Handles the lines read so far, up to the first command that has to wait for the server.
    void handleLines();
    void sendLine(const QString &line);
    QCoro::Task<> runCommand(QString line);
    void handled(ChatCommands::Result result);
    // Closes once input has ended and everything read was sent and acknowledged.
    void closeIfDone();
    // A new message, or (changed) a message shown before in a new state.
    void printMessage(const protocol::ChatMessage &message, bool changed = false);
    // Prints the messages received so far, in order, waiting for the name of a new chat.
    QCoro::Task<> printReceived();
    void finish(int exitCode);
    [[nodiscard]] int unsent() const;

    ConnectOptions m_options;
    client::ChatConnection m_connection;
    std::unique_ptr<client::ApiClient> m_api;
    std::unique_ptr<ChatCommands> m_commands; // account sessions only
    StdinReader m_stdin;
    std::deque<QString> m_lines;
    struct Received {
        protocol::ChatMessage message;
        bool changed = false;
    };
    std::deque<Received> m_received; // not printed yet
    // One line: "~ " marks a message shown before in its new state, "[label] " another chat's.
    [[nodiscard]] QString receivedLine(const Received &received, const QString &label) const;
    bool m_printing = false;
    bool m_busy = false; // a command (or the first load of the chat list) is running
    bool m_loaded = false;
    bool m_welcomedBefore = false;
    bool m_inputEnded = false;
    bool m_closing = false;
    bool m_finished = false;
    bool m_interrupted = false;
    QTimer m_interruptGrace;
    int m_exitCode = 0;
};

// ws://host:port/ws with the guest name added to the query, or an error text.
[[nodiscard]] std::variant<QUrl, QString> guestUrl(const QString &address, const QString &name);

} // namespace neonchat::cli
