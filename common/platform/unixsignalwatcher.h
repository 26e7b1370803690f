// SPDX-License-Identifier: MIT
// Delivers Unix signals as a Qt signal through signalfd, so no process-global handler state is
// needed. Construct it in main() before any thread starts: threads inherit the blocked mask, and a
// thread that did not block the signals would receive them with their default action.
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <initializer_list>
#include <memory>

namespace neonchat::platform {

class UnixSignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit UnixSignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    UnixSignalWatcher(const UnixSignalWatcher &) = delete;
    UnixSignalWatcher &operator=(const UnixSignalWatcher &) = delete;

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readPending();

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace neonchat::platform
