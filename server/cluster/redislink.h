// SPDX-License-Identifier: MIT
// This instance's link to the other instances of its cluster: publishes its fan-out events on
// one Redis channel and hands over the others'. Events published while Redis is away are lost
// on purpose: the database has everything, and listening() tells the hub to read what it may have
// missed. Lives on the hub's thread.
#pragma once

#include "clusterevent.h"
#include "redisconnection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace neonchat::server {

class Metrics;

class RedisLink : public QObject {
    Q_OBJECT
public:
    // quietTimeout: silence on the subscription after which it is probed; the probe's echo is
    // awaited a sixth of that.
    RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
              std::chrono::milliseconds quietTimeout, RedisConnection::Options options = {},
              QObject *parent = nullptr);

    // Connects (on the thread the link lives on).
    void open();
    // The instance stops: it is no longer counted (best effort; else its heartbeat expires).
    void leave();
    // Fire and forget: an event that cannot be published is left to the others' healing.
    void publish(ClusterEvent event);

Q_SIGNALS:
    // Another instance's event.
    void received(const neonchat::server::ClusterEvent &event);
    // The subscription is (again) in place: what is published from now on arrives, and what was
    // published before it may be missing and must be read from the database.
    void listening();
    // Another instance could not publish for a while: what it stored meanwhile must be read
    // from the database.
    void othersMissedEvents();

private:
    void deliver(const QByteArray &channel, const QByteArray &payload);
    // A subscription can stop delivering while its TCP connection and every other check look
    // fine (seen after Redis failovers): when it has been quiet too long, a probe is published
    // through the command connection and must come back through the subscription.
    void watch();
    // Says this instance lives (a sorted set of instance ids by expiry time, Redis's clock) and
    // counts the instances that do, for cluster_nodes.
    void heartbeat();

    QString m_instanceId;
    Metrics &m_metrics;
    QByteArray m_channel;
    QByteArray m_nodesKey;
    RedisConnection m_commands;
    RedisConnection m_subscriber;
    std::chrono::milliseconds m_quietTimeout;
    std::chrono::milliseconds m_echoTimeout;
    QTimer m_watchdog{this};
    QTimer m_heartbeat{this};
    QElapsedTimer m_lastHeard;
    QElapsedTimer m_probeSent;
    bool m_subscribed = false;
    bool m_probing = false;
    bool m_publishFailed = false; // since the command connection was last up
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::ClusterEvent)
