// SPDX-License-Identifier: MIT
// The other instances of a cluster through Redis: this instance's fan-out events on one channel,
// the others' handed to the hub, heartbeats, and presence kept in Redis (clusterscripts.h).
#pragma once

#include "hub/peers.h"
#include "redisconnection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>

namespace neonchat::server {

class Metrics;

class RedisLink final : public Peers {
    Q_OBJECT
public:
    // quietTimeout: silence on the subscription after which it is probed; the probe's echo is
    // awaited a sixth of that.
    RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
              std::chrono::milliseconds quietTimeout, RedisConnection::Options options = {},
              QObject *parent = nullptr);

    // Connects.
    void open() override;
    // Best effort: if it does not get through, the heartbeat expires instead.
    void leave() override;
    // Events published while Redis is away are lost on purpose: the database has everything.
    void publish(ClusterEvent event) override;
    // The cluster-wide presence follows now, or once Redis is back.
    void accountArrived(const QString &userId) override;
    void accountDeparted(const QString &userId) override;

private:
    void deliver(const QByteArray &channel, const QByteArray &payload);
    // A subscription can stop delivering while its TCP connection and every other check look
    // fine (seen after Redis failovers): when it has been quiet too long, a probe is published
    // through the command connection and must come back through the subscription.
    void watch();
    // Says this instance lives (a sorted set of instance ids by expiry time, Redis's clock) and
    // counts the instances that do, for cluster_nodes.
    void heartbeat();
    [[nodiscard]] QList<QByteArray> scriptCommand(const char *body,
                                                  const QList<QByteArray> &arguments) const;
    // Runs one of clusterscripts.h's presence scripts; done gets a reply that is not an error.
    void runScript(const char *body, const QList<QByteArray> &arguments,
                   std::function<void(const RedisReply &)> done);
    // Makes Redis's record of this instance's accounts match m_accountsHere.
    void resyncPresence();
    void readPresence();
    void receivedPresence(const ClusterEvent::PresenceChange &change);

    QString m_instanceId;
    Metrics &m_metrics;
    QByteArray m_prefix; // of every key and of the channel
    QByteArray m_channel;
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
    QSet<QString> m_accountsHere; // accounts with a session on this instance
    // Presence changes are applied after the read of the whole state they are newer than; the
    // ones that arrive while it is under way wait.
    bool m_readingPresence = false;
    qint64 m_presenceVersion = 0;
    QList<ClusterEvent::PresenceChange> m_heldPresence;
};

} // namespace neonchat::server
