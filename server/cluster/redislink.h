// SPDX-License-Identifier: MIT
// This instance's link to the other instances of its cluster: publishes its fan-out events on
// one Redis channel and hands over the others'. Events published while Redis is away are lost
// on purpose: the database has everything, and listening(afterLoss = true) tells the hub to read
// what it missed. Lives on the hub's thread.
#pragma once

#include "clusterevent.h"
#include "redisconnection.h"

#include <QObject>

namespace neonchat::server {

class Metrics;

class RedisLink : public QObject {
    Q_OBJECT
public:
    RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
              RedisConnection::Options options = {}, QObject *parent = nullptr);

    // Connects (on the thread the link lives on).
    void open();
    // Fire and forget: an event that cannot be published is left to the others' healing.
    void publish(ClusterEvent event);
    [[nodiscard]] const QString &instanceId() const { return m_instanceId; }

Q_SIGNALS:
    // Another instance's event.
    void received(const neonchat::server::ClusterEvent &event);
    // The subscription is in place: what is published from now on arrives. afterLoss: it had
    // been lost, and whatever was published meanwhile must be read from the database.
    void listening(bool afterLoss);
    // Another instance could not publish for a while: what it stored meanwhile must be read
    // from the database.
    void othersMissedEvents();

private:
    void deliver(const QByteArray &channel, const QByteArray &payload);

    QString m_instanceId;
    Metrics &m_metrics;
    QByteArray m_channel;
    RedisConnection m_commands;
    RedisConnection m_subscriber;
    bool m_lost = false;
    bool m_publishFailed = false; // since the command connection was last up
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::ClusterEvent)
