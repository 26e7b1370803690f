// SPDX-License-Identifier: MIT
// `chat-cli connect`: socket to stdout as readable lines, stdin lines to the socket.
#pragma once

#include "client/chatconnection.h"
#include "output.h"
#include "stdinreader.h"

#include <QObject>
#include <QUrl>

namespace neonchat::cli {

class ConnectCommand : public QObject {
    Q_OBJECT
public:
    ConnectCommand(QUrl url, OutputStyle style, QObject *parent = nullptr);

    void start();
    // SIGINT / SIGTERM: close with 1000 and finish.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onLine(const QString &line);
    void onEndOfInput();
    void onDisconnected(int closeCode, const QString &reason, bool wasWelcomed);
    void printMessage(const protocol::ChatMessage &message);
    void finish(int exitCode);

    QUrl m_url;
    OutputStyle m_style;
    client::ChatConnection m_connection;
    StdinReader m_stdin;
    bool m_inputEnded = false;
    bool m_closing = false;
    bool m_finished = false;
    int m_exitCode = 0;
};

// ws://host:port/ws with the guest name added to the query, or an error text.
[[nodiscard]] std::variant<QUrl, QString> guestUrl(const QString &address, const QString &name);

} // namespace neonchat::cli
