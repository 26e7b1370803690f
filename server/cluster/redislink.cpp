// SPDX-License-Identifier: MIT
#include "redislink.h"

#include "obs/log.h"
#include "obs/metrics.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

RedisLink::RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
                     std::chrono::milliseconds quietTimeout, RedisConnection::Options options,
                     QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_metrics(metrics)
    // Pub/sub ignores Redis's database number: the channel carries it, so clusters that share
    // a Redis on different databases stay apart.
    , m_channel("neonchat:" + QByteArray::number(endpoint.database) + ":events")
    , m_nodesKey("neonchat:" + QByteArray::number(endpoint.database) + ":nodes")
    , m_commands(endpoint, RedisRole::Commands, options, this)
    , m_subscriber(endpoint, RedisRole::Subscriber, options, this)
    , m_quietTimeout(quietTimeout)
    , m_echoTimeout(std::max(quietTimeout / 6, std::chrono::milliseconds(1))) {
    qRegisterMetaType<ClusterEvent>();
    connect(&m_watchdog, &QTimer::timeout, this, &RedisLink::watch);
    connect(&m_heartbeat, &QTimer::timeout, this, &RedisLink::heartbeat);
    connect(&m_commands, &RedisConnection::connected, this, &RedisLink::heartbeat);
    connect(&m_subscriber, &RedisConnection::messageReceived, this, &RedisLink::deliver);
    connect(&m_subscriber, &RedisConnection::subscribed, this, [this] {
        m_subscribed = true;
        m_probing = false;
        m_lastHeard.start();
        m_metrics.setRedisConnected(true);
        Q_EMIT listening();
    });
    connect(&m_subscriber, &RedisConnection::disconnected, this, [this] {
        m_subscribed = false;
        m_probing = false;
        m_metrics.setRedisConnected(false);
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
    m_watchdog.start(std::max(m_echoTimeout / 2, std::chrono::milliseconds(1)));
    m_heartbeat.start(m_echoTimeout);
}

void RedisLink::leave() {
    m_heartbeat.stop();
    // Best effort: if this does not get through, the heartbeat expires instead.
    m_commands.command({"ZREM", m_nodesKey, m_instanceId.toUtf8()}, [](const RedisResult &) {});
}

void RedisLink::heartbeat() {
    // An instance counts as gone two quiet timeouts after its last heartbeat (60 s by default).
    // Expiry times are on Redis's clock, so instances whose clocks disagree still agree here.
    static constexpr char kScript[] =
        "local t = redis.call('TIME') "
        "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
        "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
        "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) "
        "return redis.call('ZCARD', KEYS[1])";
    const auto lifetime = 2 * m_quietTimeout;
    m_commands.command({"EVAL", kScript, "1", m_nodesKey, m_instanceId.toUtf8(),
                        QByteArray::number(static_cast<qint64>(lifetime.count()))},
                       [this](const RedisResult &result) {
                           const auto *reply = std::get_if<RedisReply>(&result);
                           if (reply && reply->kind == RedisReply::Kind::Integer) {
                               m_metrics.setClusterNodes(reply->integer);
                           } else if (reply) {
                               qCWarning(lcCluster).noquote() << u"the heartbeat failed: %1"_s.arg(
                                   QString::fromUtf8(reply->text));
                           }
                       });
}

void RedisLink::watch() {
    if (!m_subscribed) {
        return; // the connection is being made again anyway
    }
    if (m_probing) {
        if (m_probeSent.elapsed() > m_echoTimeout.count()) {
            m_metrics.redisStalled();
            m_subscribed = false;
            m_probing = false;
            m_subscriber.reconnect(u"the subscription did not deliver a probe within %1 ms"_s.arg(
                m_echoTimeout.count()));
        }
        return;
    }
    if (m_lastHeard.elapsed() > m_quietTimeout.count()) {
        ClusterEvent probe;
        probe.probe = true;
        m_probing = true;
        m_probeSent.start();
        publish(probe);
    }
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
    m_lastHeard.start();
    std::optional<ClusterEvent> event = decodeClusterEvent(payload);
    if (!event) {
        qCWarning(lcCluster) << "ignored an event that is not of this version:"
                             << payload.left(120);
        return;
    }
    if (event->origin == m_instanceId) {
        if (event->probe) {
            m_probing = false; // the subscription delivers
        }
        return;
    }
    if (event->probe) {
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
