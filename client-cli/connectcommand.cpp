// SPDX-License-Identifier: MIT
#include "connectcommand.h"

#include "exitcodes.h"
#include "protocol/codec.h"

#include <QUrlQuery>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

std::variant<QUrl, QString> guestUrl(const QString &address, const QString &name) {
    QUrl url(address, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1) ||
        url.host().isEmpty()) {
        return u"--addr must be a ws:// or wss:// URL, e.g. ws://localhost:8080/ws"_s;
    }
    if (!protocol::normalizedDisplayName(name)) {
        return u"--name must be 1-%1 printable characters"_s.arg(protocol::kDisplayNameMaxChars);
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

ConnectCommand::ConnectCommand(QUrl url, OutputStyle style, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_style(style)
    , m_stdin(STDIN_FILENO) {
    connect(&m_connection, &client::ChatConnection::welcomed, this, [this] {
        printLine(stderr, u"* connected to %1 as %2"_s.arg(m_url.toString(QUrl::RemoveQuery),
                                                           m_connection.welcome().user.username));
    });
    connect(&m_connection, &client::ChatConnection::messageReceived, this,
            &ConnectCommand::printMessage);
    connect(&m_connection, &client::ChatConnection::messageRejected, this,
            [this](const QString &, const protocol::ErrorFrame &error) {
                printLine(stderr, u"! message not sent: %1 (%2)"_s.arg(error.message, error.code));
                m_exitCode = ExitCode::Rejected;
            });
    connect(&m_connection, &client::ChatConnection::errorReceived, this,
            [](const protocol::ErrorFrame &error) {
                printLine(stderr, u"! server: %1 (%2)"_s.arg(error.message, error.code));
            });
    connect(&m_connection, &client::ChatConnection::allAcknowledged, this, [this] {
        if (m_inputEnded && !m_closing) {
            m_closing = true;
            m_connection.close();
        }
    });
    connect(&m_connection, &client::ChatConnection::disconnected, this,
            &ConnectCommand::onDisconnected);
    connect(&m_stdin, &StdinReader::lineRead, this, &ConnectCommand::onLine);
    connect(&m_stdin, &StdinReader::endOfInput, this, &ConnectCommand::onEndOfInput);
}

void ConnectCommand::start() {
    m_connection.open(m_url);
    m_stdin.start();
}

void ConnectCommand::interrupt() {
    m_closing = true;
    m_connection.close();
}

void ConnectCommand::onLine(const QString &line) {
    if (line.trimmed().isEmpty()) {
        return;
    }
    if (const auto problem = protocol::messageTextProblem(line)) {
        printLine(stderr, u"! line not sent: %1"_s.arg(*problem));
        m_exitCode = ExitCode::Rejected;
        return;
    }
    const QString requestId = m_connection.send(line);
    Q_UNUSED(requestId) // acknowledgements are matched inside the connection
}

void ConnectCommand::onEndOfInput() {
    m_inputEnded = true;
    if (m_connection.unacknowledged() == 0 && !m_closing &&
        m_connection.state() == client::ChatConnection::State::Online) {
        m_closing = true;
        m_connection.close();
    }
}

void ConnectCommand::onDisconnected(int closeCode, const QString &reason, bool wasWelcomed) {
    if (m_closing && m_connection.unacknowledged() == 0) {
        finish(m_exitCode);
        return;
    }
    const QString why = reason.isEmpty() ? u"connection closed (%1)"_s.arg(closeCode) : reason;
    if (closeCode == QWebSocketProtocol::CloseCodePolicyViolated) {
        printLine(stderr, u"chat-cli: the server refused the session: %1"_s.arg(why));
        finish(ExitCode::AuthFailed);
        return;
    }
    printLine(stderr, wasWelcomed ? u"chat-cli: connection lost: %1"_s.arg(why)
                                  : u"chat-cli: cannot connect to %1: %2"_s.arg(
                                        m_url.toString(QUrl::RemoveQuery), why));
    if (m_connection.unacknowledged() > 0) {
        printLine(stderr, u"chat-cli: %1 message(s) were not acknowledged"_s.arg(
                              m_connection.unacknowledged()));
    }
    finish(ExitCode::Unreachable);
}

void ConnectCommand::printMessage(const protocol::ChatMessage &message) {
    cli::printMessage(message, m_style);
}

void ConnectCommand::finish(int exitCode) {
    if (!m_finished) {
        m_finished = true;
        Q_EMIT finished(exitCode);
    }
}

} // namespace neonchat::cli
