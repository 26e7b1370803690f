// SPDX-License-Identifier: MIT
// What the benches that drive a real chat-server share: running the event loop until something
// happened, and starting the server on a free port.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

#include <optional>

namespace neonchat::bench {

// Runs the event loop until done() or the deadline; whether done() came true. It sleeps between
// events: a bench that spun would take a core from the server it measures.
template <typename Done>
bool waitUntil(Done done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    QTimer wake; // the deadline is looked at even when nothing happens
    wake.start(50);
    while (!done()) {
        if (deadline.hasExpired()) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// Starts the server binary with arguments (which must include --port 0 and --log-format text)
// and waits until it says where it listens; its port, or nullopt with what it logged in log.
// From then on its log is read and dropped, so that it never blocks on a full pipe.
inline std::optional<quint16> startServer(QProcess &server, const QString &binary,
                                          const QStringList &arguments, QByteArray &log) {
    server.setReadChannel(QProcess::StandardError);
    server.start(binary, arguments);
    quint16 port = 0;
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]+:(\\d+)"));
    waitUntil(
        [&] {
            log += server.readAllStandardError();
            const auto match = listening.match(QString::fromUtf8(log));
            if (match.hasMatch()) {
                port = static_cast<quint16>(match.captured(1).toUInt());
            }
            return port != 0 || server.state() == QProcess::NotRunning;
        },
        20000);
    if (port == 0) {
        return std::nullopt;
    }
    QObject::connect(&server, &QProcess::readyReadStandardError,
                     [&server] { server.readAllStandardError(); });
    return port;
}

} // namespace neonchat::bench
