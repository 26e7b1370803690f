// SPDX-License-Identifier: MIT
// Reads standard input line by line from the event loop, whether it is a terminal, a pipe or a
// file.
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace neonchat::cli {

class StdinReader : public QObject {
    Q_OBJECT
public:
    explicit StdinReader(int fd, QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    void lineRead(const QString &line);
    void endOfInput();

private:
    void readAvailable();

    int m_fd;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QByteArray m_partial;
};

} // namespace neonchat::cli
