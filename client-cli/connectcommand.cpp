// SPDX-License-Identifier: MIT
#include "connectcommand.h"

#include "exitcodes.h"
#include "protocol/codec.h"

#include <QPointer>
#include <QUrlQuery>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

std::variant<QUrl, QString> guestUrl(const QString &address, const QString &name) {
    QUrl url(address, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1) ||
        url.host().isEmpty()) {
        return ConnectCommand::tr(
            "--addr must be a ws:// or wss:// URL, e.g. ws://localhost:8080/ws");
    }
    // The server's rules, said before connecting (the server says the same with close 1008).
    const auto checked = protocol::checkDisplayName(name);
    if (const auto *problem = std::get_if<protocol::DisplayNameProblem>(&checked)) {
        switch (*problem) {
        case protocol::DisplayNameProblem::Empty:
            return ConnectCommand::tr("--name must show at least one character");
        case protocol::DisplayNameProblem::TooLong:
            return ConnectCommand::tr("--name must be at most %1 characters")
                .arg(protocol::kDisplayNameMaxChars);
        case protocol::DisplayNameProblem::Invisible:
            break;
        }
        return ConnectCommand::tr("--name must not hold control, format or invisible characters");
    }
    if (url.path().isEmpty()) {
        url.setPath(u"/ws"_s);
    }
    QUrlQuery query(url);
    query.removeAllQueryItems(u"name"_s);
    query.addQueryItem(u"name"_s, QString::fromUtf8(QUrl::toPercentEncoding(name)));
    url.setQuery(query);
    return url;
}

ConnectCommand::ConnectCommand(ConnectOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_stdin(STDIN_FILENO) {
    m_connection.setReconnect(m_options.reconnect ? client::ChatConnection::Reconnect::AfterWelcome
                                                  : client::ChatConnection::Reconnect::Never);
    m_connection.setTlsConfiguration(m_options.tls);
    if (m_options.account) {
        m_api = std::make_unique<client::ApiClient>(
            client::ServerAccess{m_options.account->server, m_options.tls});
        m_api->setToken(m_options.account->token);
        m_commands = std::make_unique<ChatCommands>(*m_api, m_connection, m_options.style);
        // Lines wait until the chat list is read: a line before any /switch goes to the lobby,
        // and every chat is followed before anything is sent.
        m_busy = true;
    }
    connect(&m_connection, &client::ChatConnection::welcomed, this, &ConnectCommand::onWelcomed);
    connect(&m_connection, &client::ChatConnection::messageReceived, this,
            [this](const protocol::ChatMessage &message) { printMessage(message); });
    connect(&m_connection, &client::ChatConnection::messageUpdated, this,
            [this](const protocol::ChatMessage &message) { printMessage(message, true); });
    // One's own lines are on the terminal as typed: they count as shown for /edit and the rest.
    connect(&m_connection, &client::ChatConnection::messageAcknowledged, this,
            [this](const QString &, const protocol::ChatMessage &message) {
                if (m_commands) {
                    m_commands->remember(message);
                }
            });
    connect(&m_connection, &client::ChatConnection::messageRejected, this,
            [this](const QString &, const protocol::ErrorFrame &error) {
                printLine(stderr, tr("! message not sent: %1 (%2)").arg(error.message, error.code));
                m_exitCode = ExitCode::Rejected;
            });
    connect(&m_connection, &client::ChatConnection::errorReceived, this,
            [](const protocol::ErrorFrame &error) {
                printLine(stderr, tr("! server: %1 (%2)").arg(error.message, error.code));
            });
    connect(&m_connection, &client::ChatConnection::reconnectScheduled, this,
            [this](int milliseconds) {
                printLine(stderr, tr("* connection lost (%1); reconnecting in %2 s")
                                      .arg(m_connection.stateReason())
                                      .arg(milliseconds / 1000.0, 0, 'f', 1));
            });
    connect(&m_connection, &client::ChatConnection::allAcknowledged, this,
            &ConnectCommand::closeIfDone);
    connect(&m_connection, &client::ChatConnection::disconnected, this,
            &ConnectCommand::onDisconnected);
    connect(&m_stdin, &StdinReader::lineRead, this, &ConnectCommand::onLine);
    connect(&m_stdin, &StdinReader::endOfInput, this, &ConnectCommand::onEndOfInput);
}

void ConnectCommand::start() {
    m_connection.open(m_options.url);
    m_stdin.start();
}

void ConnectCommand::interrupt() {
    if (m_interrupted || m_connection.unacknowledged() == 0) {
        m_interrupted = true;
        m_closing = true;
        m_connection.close();
        return;
    }
    m_interrupted = true;
    // Nothing more is read or sent; what was sent gets a short while to be acknowledged.
    m_stdin.disconnect(this);
    m_inputEnded = true;
    if (!m_lines.empty()) {
        printLine(stderr, tr("chat-cli: %n line(s) read but not sent", nullptr,
                             static_cast<int>(m_lines.size())));
        m_lines.clear();
    }
    printLine(stderr, tr("* stopping: waiting for %n line(s) to be acknowledged", nullptr,
                         m_connection.unacknowledged()));
    m_interruptGrace.setSingleShot(true);
    connect(&m_interruptGrace, &QTimer::timeout, this, [this] {
        m_closing = true;
        m_connection.close();
    });
    m_interruptGrace.start(kInterruptGraceMs);
}

void ConnectCommand::onWelcomed() {
    const QString where = m_options.url.toString(QUrl::RemoveQuery);
    printLine(stderr,
              m_welcomedBefore
                  ? tr("* reconnected to %1").arg(where)
                  : tr("* connected to %1 as %2").arg(where, m_connection.welcome().user.username));
    const bool first = !std::exchange(m_welcomedBefore, true);
    if (m_commands && first) {
        auto loading = runCommand(QString());
        Q_UNUSED(loading) // runs on by itself; handled() takes its result
        return;
    }
    closeIfDone();
}

void ConnectCommand::onLine(const QString &line) {
    if (m_inputEnded || line.trimmed().isEmpty()) {
        return;
    }
    m_lines.push_back(line);
    handleLines();
}

void ConnectCommand::handleLines() {
    while (!m_busy && !m_lines.empty()) {
        const QString line = m_lines.front();
        m_lines.pop_front();
        if (m_commands && ChatCommands::isCommand(line)) {
            m_busy = true;
            auto running = runCommand(line);
            Q_UNUSED(running) // runs on by itself; handled() takes its result
            return;
        }
        sendLine(m_commands ? ChatCommands::messageText(line) : line);
    }
    closeIfDone();
}

void ConnectCommand::sendLine(const QString &line) {
    if (const auto problem = protocol::messageTextProblem(line)) {
        printLine(stderr, tr("! line not sent: %1").arg(*problem));
        m_exitCode = ExitCode::Rejected;
        return;
    }
    const QString chatId = m_commands ? m_commands->currentChat() : QString();
    const QString requestId = m_connection.send(line, chatId);
    Q_UNUSED(requestId) // acknowledgements are matched inside the connection
}

QCoro::Task<> ConnectCommand::runCommand(QString line) {
    QPointer<ConnectCommand> self(this);
    // An empty line is the first load of the chat list.
    const ChatCommands::Result result =
        line.isEmpty() ? co_await m_commands->load() : co_await m_commands->run(line);
    if (self) {
        handled(result);
    }
}

void ConnectCommand::handled(ChatCommands::Result result) {
    m_busy = false;
    if (result == ChatCommands::Result::Failed) {
        m_exitCode = ExitCode::Rejected;
    } else if (result == ChatCommands::Result::Quit) {
        // Nothing after /quit is read; what was sent before it is still seen through.
        m_inputEnded = true;
        m_lines.clear();
    }
    handleLines();
}

void ConnectCommand::onEndOfInput() {
    m_inputEnded = true;
    closeIfDone();
}

void ConnectCommand::closeIfDone() {
    // Not while the first connection is still being made: an unreachable server is reported.
    // After an interrupt a running command is not waited for.
    if (m_inputEnded && !m_closing && (!m_busy || m_interrupted) && unsent() == 0 &&
        m_connection.state() != client::ChatConnection::State::Connecting) {
        m_closing = true;
        m_connection.close();
    }
}

int ConnectCommand::unsent() const {
    return m_connection.unacknowledged() + static_cast<int>(m_lines.size());
}

void ConnectCommand::onDisconnected(int closeCode, const QString &reason, bool wasWelcomed) {
    if (m_closing && unsent() == 0) {
        finish(m_exitCode);
        return;
    }
    if (m_interrupted) {
        printLine(stderr, tr("chat-cli: %n line(s) were not acknowledged", nullptr, unsent()));
        finish(ExitCode::Unreachable);
        return;
    }
    const QString why = reason.isEmpty() ? tr("connection closed (%1)").arg(closeCode) : reason;
    if (closeCode == QWebSocketProtocol::CloseCodePolicyViolated) {
        printLine(stderr, tr("chat-cli: the server refused the session: %1").arg(why));
        finish(ExitCode::AuthFailed);
        return;
    }
    printLine(stderr, wasWelcomed ? tr("chat-cli: connection lost: %1").arg(why)
                                  : tr("chat-cli: cannot connect to %1: %2")
                                        .arg(m_options.url.toString(QUrl::RemoveQuery), why));
    if (unsent() > 0) {
        printLine(stderr, tr("chat-cli: %n line(s) were not acknowledged", nullptr, unsent()));
    }
    finish(ExitCode::Unreachable);
}

void ConnectCommand::printMessage(const protocol::ChatMessage &message, bool changed) {
    if (!m_commands || m_options.style.json) {
        if (changed && !m_options.style.json) {
            printLine(stdout, u"~ "_s + formatMessage(message, m_options.style));
        } else {
            cli::printMessage(message, m_options.style);
        }
        return;
    }
    m_received.push_back(Received{message, changed});
    if (!m_printing) {
        auto printing = printReceived();
        Q_UNUSED(printing) // runs on by itself until the queue is empty
    }
}

QCoro::Task<> ConnectCommand::printReceived() {
    QPointer<ConnectCommand> self(this);
    m_printing = true;
    while (!m_received.empty()) {
        const Received received = std::move(m_received.front());
        m_received.pop_front();
        const QString &chatId = received.message.chatId;
        // Another chat's message: said where it belongs. (Not a co_await inside ?: g++ 12
        // miscompiles that.)
        QString label;
        if (chatId != m_commands->currentChat()) {
            label = co_await m_commands->labelFor(chatId);
            if (!self) {
                co_return;
            }
        }
        printLine(stdout, receivedLine(received, label));
        m_commands->remember(received.message);
    }
    m_printing = false;
}

QString ConnectCommand::receivedLine(const Received &received, const QString &label) const {
    QString line = formatMessage(received.message, m_options.style, false,
                                 m_commands->quoteFor(received.message));
    if (!label.isEmpty()) {
        line = u"[%1] %2"_s.arg(label, line);
    }
    return received.changed ? u"~ "_s + line : line;
}

void ConnectCommand::finish(int exitCode) {
    if (!m_finished) {
        m_finished = true;
        // Whatever still waits for a chat's name is printed with what is known.
        for (const Received &received : std::exchange(m_received, {})) {
            printLine(stdout, receivedLine(received, m_commands->labelOf(received.message.chatId)));
        }
        Q_EMIT finished(exitCode);
    }
}

} // namespace neonchat::cli
