// SPDX-License-Identifier: MIT
// One thread's epoll set for the WebSockets it serves. Qt 6.4's event dispatcher poll()s every
// socket notifier of a thread on every wake-up, so a thread with thousands of sockets spends its
// time scanning them; here Qt waits on the epoll descriptor alone and a wake-up costs what
// happened. It also gathers writes: a connection asks for a flush, and every connection that did
// is written once, after the events and deliveries already queued on the thread are handled, so a
// busy socket gets many frames in one write and an idle one gets its frame at once.
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <cstdint>
#include <vector>

namespace neonchat::server {

class Poller : public QObject {
    Q_OBJECT
public:
    // What is registered: told of its descriptor's events and of its flush turn.
    class Client {
    public:
        Client() = default;
        Client(const Client &) = delete;
        Client &operator=(const Client &) = delete;

    protected:
        ~Client() = default;

    private:
        friend class Poller;
        // EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR, EPOLLRDHUP as epoll reported them.
        virtual void pollEvents(std::uint32_t events) = 0;
        virtual void flushTurn() = 0;
        bool m_flushScheduled = false;
    };

    explicit Poller(QObject *parent = nullptr);
    ~Poller() override;

    Poller(const Poller &) = delete;
    Poller &operator=(const Poller &) = delete;

    // False (errno set) if epoll refused the descriptor; events are EPOLLIN/EPOLLOUT/EPOLLRDHUP.
    [[nodiscard]] bool add(int descriptor, Client *client, std::uint32_t events);
    [[nodiscard]] bool modify(int descriptor, Client *client, std::uint32_t events);
    // Before the descriptor is closed or the client goes; no event or flush reaches it after.
    void remove(int descriptor, Client *client);
    void scheduleFlush(Client *client);

    // Room for one read, shared by the thread's connections (one read is handled at a time).
    [[nodiscard]] char *readBuffer() { return m_readBuffer.data(); }
    [[nodiscard]] static constexpr qsizetype readBufferSize() { return kReadBufferSize; }

    [[nodiscard]] bool isValid() const { return m_epoll >= 0; }

private:
    static constexpr qsizetype kReadBufferSize = 64 * 1024;
    static constexpr int kEventsPerWait = 256;

    void dispatch();
    void flushScheduled();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr; // child
    std::vector<char> m_readBuffer;
    std::vector<Client *> m_ready; // this wake-up's events still to dispatch (nulled on remove)
    std::vector<std::uint32_t> m_readyEvents;
    std::vector<Client *> m_toFlush;  // clients whose flush turn comes (nulled on remove)
    std::vector<Client *> m_flushing; // the turn being taken now (nulled on remove)
    bool m_flushPosted = false;
};

} // namespace neonchat::server
