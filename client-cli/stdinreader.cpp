// SPDX-License-Identifier: MIT
#include "stdinreader.h"

#include <cerrno>
#include <unistd.h>

namespace neonchat::cli {

StdinReader::StdinReader(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd) {}

void StdinReader::start() {
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::readAvailable() {
    char buffer[16384];
    const ssize_t count = ::read(m_fd, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (count > 0) {
        m_partial.append(buffer, count);
        qsizetype newline = 0;
        while ((newline = m_partial.indexOf('\n')) >= 0) {
            QByteArray line = m_partial.left(newline);
            m_partial.remove(0, newline + 1);
            if (line.endsWith('\r')) {
                line.chop(1);
            }
            Q_EMIT lineRead(QString::fromUtf8(line));
        }
        return;
    }
    // End of input (or an unreadable stdin, which ends it just the same).
    m_notifier->setEnabled(false);
    if (!m_partial.isEmpty()) {
        Q_EMIT lineRead(QString::fromUtf8(std::exchange(m_partial, {})));
    }
    Q_EMIT endOfInput();
}

} // namespace neonchat::cli
