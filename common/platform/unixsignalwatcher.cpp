// SPDX-License-Identifier: MIT
#include "unixsignalwatcher.h"

#include <QtDebug>

#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

namespace neonchat::platform {

UnixSignalWatcher::UnixSignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent)
    : QObject(parent) {
    sigset_t mask;
    sigemptyset(&mask);
    for (int number : signalNumbers) {
        sigaddset(&mask, number);
    }
    if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
        qFatal("cannot block signals for signalfd");
    }
    m_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        qFatal("signalfd failed");
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &UnixSignalWatcher::readPending);
}

UnixSignalWatcher::~UnixSignalWatcher() {
    m_notifier.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void UnixSignalWatcher::readPending() {
    signalfd_siginfo info{};
    while (::read(m_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        Q_EMIT received(static_cast<int>(info.ssi_signo));
    }
}

} // namespace neonchat::platform
