// SPDX-License-Identifier: MIT
// The epoll set of a session thread on real socket pairs: events reach the client registered for
// them and never one removed meanwhile, and flush turns come once per client, after the work the
// thread had queued already.
#include "net/poller.h"

#include <QSignalSpy>
#include <QTest>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <functional>

using neonchat::server::Poller;

namespace {

// Both ends of a connected Unix stream pair, closed with the object.
class SocketPair {
public:
    SocketPair() {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, m_ends.data()) !=
            0) {
            m_ends = {-1, -1};
        }
    }
    ~SocketPair() {
        for (int end : m_ends) {
            if (end >= 0) {
                ::close(end);
            }
        }
    }
    SocketPair(const SocketPair &) = delete;
    SocketPair &operator=(const SocketPair &) = delete;

    [[nodiscard]] bool isValid() const { return m_ends[0] >= 0; }
    [[nodiscard]] int watched() const { return m_ends[0]; }
    [[nodiscard]] bool writeToWatched(char byte) const { return ::write(m_ends[1], &byte, 1) == 1; }

private:
    std::array<int, 2> m_ends{-1, -1};
};

class RecordingClient : public Poller::Client {
public:
    void pollEvents(std::uint32_t events) override {
        lastEvents = events;
        ++eventCalls;
        if (onEvents) {
            onEvents();
        }
    }
    void flushTurn() override {
        ++flushTurns;
        if (onFlush) {
            onFlush();
        }
    }

    std::uint32_t lastEvents = 0;
    int eventCalls = 0;
    int flushTurns = 0;
    std::function<void()> onEvents;
    std::function<void()> onFlush;
};

} // namespace

class TestPoller : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readableDescriptorReachesItsClient() {
        Poller poller;
        QVERIFY(poller.isValid());
        SocketPair pair;
        QVERIFY(pair.isValid());
        RecordingClient client;
        QVERIFY(poller.add(pair.watched(), &client, EPOLLIN));
        QVERIFY(pair.writeToWatched('x'));
        QTRY_VERIFY(client.eventCalls > 0);
        QVERIFY(client.lastEvents & EPOLLIN);
        poller.remove(pair.watched(), &client);
    }

    void writableIsReportedOnlyWhenAskedFor() {
        Poller poller;
        SocketPair pair;
        RecordingClient client;
        QVERIFY(poller.add(pair.watched(), &client, EPOLLIN));
        QTest::qWait(50); // nothing to read: no event may come
        QCOMPARE(client.eventCalls, 0);
        QVERIFY(poller.modify(pair.watched(), &client, EPOLLIN | EPOLLOUT));
        QTRY_VERIFY(client.eventCalls > 0);
        QVERIFY(client.lastEvents & EPOLLOUT);
        poller.remove(pair.watched(), &client);
    }

    void clientRemovedDuringAWakeUpGetsNothingMore() {
        // Both are ready in the same wake-up; whichever comes first removes the other (and
        // itself), as a session ending another's connection would.
        Poller poller;
        SocketPair first;
        SocketPair second;
        RecordingClient one;
        RecordingClient two;
        QVERIFY(poller.add(first.watched(), &one, EPOLLIN));
        QVERIFY(poller.add(second.watched(), &two, EPOLLIN));
        auto removeBoth = [&] {
            poller.remove(second.watched(), &two);
            poller.remove(first.watched(), &one);
        };
        one.onEvents = removeBoth;
        two.onEvents = removeBoth;
        QVERIFY(first.writeToWatched('a'));
        QVERIFY(second.writeToWatched('b'));
        QTRY_VERIFY(one.eventCalls + two.eventCalls > 0);
        QTest::qWait(50);
        QCOMPARE(one.eventCalls + two.eventCalls, 1);
    }

    void flushTurnComesOncePerClient() {
        Poller poller;
        RecordingClient client;
        poller.scheduleFlush(&client);
        poller.scheduleFlush(&client);
        poller.scheduleFlush(&client);
        QCOMPARE(client.flushTurns, 0); // never from inside the caller
        QTRY_COMPARE(client.flushTurns, 1);
        QTest::qWait(20);
        QCOMPARE(client.flushTurns, 1);
        // A client may ask again after its turn, and gets another.
        poller.scheduleFlush(&client);
        QTRY_COMPARE(client.flushTurns, 2);
    }

    void flushTurnComesAfterWorkQueuedBefore() {
        // Deliveries already queued on the thread add their frames before the write; work queued
        // after the request waits for the next turn.
        Poller poller;
        RecordingClient client;
        QStringList order;
        client.onFlush = [&] { order << u"flush"_qs; };
        QMetaObject::invokeMethod(
            &poller,
            [&] {
                order << u"first delivery"_qs;
                poller.scheduleFlush(&client);
            },
            Qt::QueuedConnection);
        QMetaObject::invokeMethod(
            &poller,
            [&] {
                order << u"second delivery"_qs;
                poller.scheduleFlush(&client);
            },
            Qt::QueuedConnection);
        QTRY_COMPARE(order.size(), 3);
        QCOMPARE(order, (QStringList{u"first delivery"_qs, u"second delivery"_qs, u"flush"_qs}));
        QCOMPARE(client.flushTurns, 1);
    }

    void clientRemovedBeforeItsTurnIsNotFlushed() {
        Poller poller;
        SocketPair pair;
        RecordingClient gone;
        RecordingClient stays;
        QVERIFY(poller.add(pair.watched(), &gone, EPOLLIN));
        poller.scheduleFlush(&gone);
        poller.scheduleFlush(&stays);
        poller.remove(pair.watched(), &gone);
        QTRY_COMPARE(stays.flushTurns, 1);
        QCOMPARE(gone.flushTurns, 0);
    }

    void clientRemovedDuringAnotherOnesTurnIsNotFlushed() {
        Poller poller;
        SocketPair pair;
        RecordingClient first;
        RecordingClient second;
        QVERIFY(poller.add(pair.watched(), &second, EPOLLIN));
        first.onFlush = [&] { poller.remove(pair.watched(), &second); };
        poller.scheduleFlush(&first);
        poller.scheduleFlush(&second);
        QTRY_COMPARE(first.flushTurns, 1);
        QTest::qWait(20);
        QCOMPARE(second.flushTurns, 0);
    }
};

QTEST_GUILESS_MAIN(TestPoller)
#include "tst_poller.moc"
