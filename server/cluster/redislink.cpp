// SPDX-License-Identifier: MIT
#include "redislink.h"

#include "obs/log.h"
#include "obs/metrics.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

RedisLink::RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
                     RedisConnection::Options options, QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_metrics(metrics)
    // Pub/sub ignores Redis's database number: the channel carries it, so clusters that share
    // a Redis on different databases stay apart.
    , m_channel("neonchat:" + QByteArray::number(endpoint.database) + ":events")
    , m_commands(endpoint, RedisRole::Commands, options, this)
    , m_subscriber(endpoint, RedisRole::Subscriber, options, this) {
    qRegisterMetaType<ClusterEvent>();
    connect(&m_subscriber, &RedisConnection::messageReceived, this, &RedisLink::deliver);
    connect(&m_subscriber, &RedisConnection::subscribed, this, [this] {
        m_metrics.setRedisConnected(true);
        const bool afterLoss = m_lost;
        m_lost = false;
        Q_EMIT listening(afterLoss);
    });
    connect(&m_subscriber, &RedisConnection::disconnected, this, [this] {
        m_metrics.setRedisConnected(false);
        m_lost = true;
    });
    connect(&m_subscriber, &RedisConnection::connected, this,
            [this] { m_metrics.redisReconnected(m_subscriber.reconnects()); });
    // Events this instance failed to publish are gone; the others may be listening already and
    // would not know to look. Told once the publishing connection is back.
    connect(&m_commands, &RedisConnection::connected, this, [this] {
        if (std::exchange(m_publishFailed, false)) {
            ClusterEvent hint;
            hint.missedHint = true;
            publish(hint);
        }
    });
}

void RedisLink::open() {
    m_subscriber.subscribe(m_channel);
    m_subscriber.open();
    m_commands.open();
}

void RedisLink::publish(ClusterEvent event) {
    event.origin = m_instanceId;
    m_commands.command({"PUBLISH", m_channel, encodeClusterEvent(event)},
                       [this](const RedisResult &result) {
                           if (std::holds_alternative<RedisReply>(result)) {
                               m_metrics.clusterEventPublished();
                           } else {
                               m_publishFailed = true;
                           }
                       });
}

void RedisLink::deliver(const QByteArray &channel, const QByteArray &payload) {
    if (channel != m_channel) {
        return;
    }
    std::optional<ClusterEvent> event = decodeClusterEvent(payload);
    if (!event) {
        qCWarning(lcCluster) << "ignored an event that is not of this version:"
                             << payload.left(120);
        return;
    }
    if (event->origin == m_instanceId) {
        return;
    }
    m_metrics.clusterEventReceived();
    if (event->missedHint) {
        Q_EMIT othersMissedEvents();
        return;
    }
    Q_EMIT received(*event);
}

} // namespace neonchat::server
