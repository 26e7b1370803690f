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
#include <QSet>
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

    // The first session of an account on this instance opened, or its last one closed. The
    // cluster-wide presence follows (now, or once Redis is back), and presenceChanged(…, true)
    // says when that made the account come online or go offline for everyone.
    void accountArrived(const QString &userId);
    void accountDeparted(const QString &userId);

Q_SIGNALS:
    // Another instance's event.
    void received(const neonchat::server::ClusterEvent &event);
    // The subscription is (again) in place: what is published from now on arrives, and what was
    // published before it may be missing and must be read from the database.
    void listening();
    // Another instance could not publish for a while: what it stored meanwhile must be read
    // from the database.
    void othersMissedEvents();
    // An account came online or went offline cluster-wide. announce: this instance caused it
    // (or found the instance that had the account gone) and tells the account's contacts; when
    // false another instance does.
    void presenceChanged(const QString &userId, bool online, bool announce);
    // Every account online in the cluster, read after (re)subscribing; the presenceChanged
    // signals that follow are the changes since.
    void presenceRead(const QStringList &userIds);

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

Q_DECLARE_METATYPE(neonchat::server::ClusterEvent)
