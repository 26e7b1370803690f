// SPDX-License-Identifier: MIT
#include "poller.h"

#include "obs/log.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

namespace neonchat::server {

Poller::Poller(QObject *parent)
    : QObject(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_readBuffer(kReadBufferSize) {
    if (m_epoll < 0) {
        qCCritical(lcServer).noquote()
            << u"epoll_create1 failed: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Poller::dispatch);
}

Poller::~Poller() {
    if (m_epoll >= 0) {
        delete m_notifier;
        ::close(m_epoll);
    }
}

bool Poller::add(int descriptor, Client *client, std::uint32_t events) {
    if (m_epoll < 0) {
        errno = EBADF;
        return false;
    }
    epoll_event event{};
    event.events = events;
    event.data.ptr = client;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event) == 0;
}

bool Poller::modify(int descriptor, Client *client, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = client;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, descriptor, &event) == 0;
}

void Poller::remove(int descriptor, Client *client) {
    // A descriptor about to be closed leaves the set by itself; removing it first keeps a
    // duplicate of it (none is made today) from reporting to a client that is gone.
    if (m_epoll >= 0 && ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, nullptr) != 0 &&
        errno != ENOENT && errno != EBADF) {
        qCWarning(lcServer).noquote()
            << u"epoll_ctl(DEL) failed: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    std::replace(m_ready.begin(), m_ready.end(), client, static_cast<Client *>(nullptr));
    if (client->m_flushScheduled) {
        client->m_flushScheduled = false;
        std::replace(m_toFlush.begin(), m_toFlush.end(), client, static_cast<Client *>(nullptr));
        std::replace(m_flushing.begin(), m_flushing.end(), client, static_cast<Client *>(nullptr));
    }
}

void Poller::scheduleFlush(Client *client) {
    if (client->m_flushScheduled) {
        return;
    }
    client->m_flushScheduled = true;
    m_toFlush.push_back(client);
    if (!m_flushPosted) {
        // Behind whatever the thread has queued already (deliveries, other sockets' events):
        // those frames join this write.
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &Poller::flushScheduled, Qt::QueuedConnection);
    }
}

void Poller::dispatch() {
    std::array<epoll_event, kEventsPerWait> events{};
    const int count = ::epoll_wait(m_epoll, events.data(), kEventsPerWait, 0);
    if (count < 0) {
        if (errno != EINTR) {
            qCWarning(lcServer).noquote()
                << u"epoll_wait failed: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
        }
        return;
    }
    m_ready.clear();
    m_readyEvents.clear();
    for (int i = 0; i < count; ++i) {
        m_ready.push_back(static_cast<Client *>(events[i].data.ptr));
        m_readyEvents.push_back(events[i].events);
    }
    for (std::size_t i = 0; i < m_ready.size(); ++i) {
        if (Client *client = m_ready[i]) {
            client->pollEvents(m_readyEvents[i]);
        }
    }
    m_ready.clear();
}

void Poller::flushScheduled() {
    m_flushPosted = false;
    m_flushing.swap(m_toFlush);
    for (Client *&client : m_flushing) {
        if (Client *due = std::exchange(client, nullptr)) {
            due->m_flushScheduled = false;
            due->flushTurn();
        }
    }
    m_flushing.clear();
}

} // namespace neonchat::server
