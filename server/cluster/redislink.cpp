// SPDX-License-Identifier: MIT
#include "redislink.h"

#include "clusterscripts.h"
#include "obs/log.h"
#include "obs/metrics.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

RedisLink::RedisLink(RedisEndpoint endpoint, QString instanceId, Metrics &metrics,
                     std::chrono::milliseconds quietTimeout, RedisConnection::Options options,
                     QObject *parent)
    : Peers(parent)
    , m_instanceId(std::move(instanceId))
    , m_metrics(metrics)
    // Pub/sub ignores Redis's database number: the channel carries it, so clusters that share
    // a Redis on different databases stay apart.
    , m_prefix("neonchat:" + QByteArray::number(endpoint.database) + ":")
    , m_channel(m_prefix + "events")
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
        readPresence();
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
        resyncPresence();
        if (m_subscribed) {
            readPresence(); // the read made when the subscription came may have failed
        }
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
    runScript(scripts::kLeave, {}, [](const RedisReply &) {});
}

QList<QByteArray> RedisLink::scriptCommand(const char *body,
                                           const QList<QByteArray> &arguments) const {
    QList<QByteArray> command{"EVAL", QByteArray(scripts::kPresenceLib) + body, "0", m_prefix,
                              m_instanceId.toUtf8()};
    command.append(arguments);
    return command;
}

void RedisLink::runScript(const char *body, const QList<QByteArray> &arguments,
                          std::function<void(const RedisReply &)> done) {
    m_commands.command(
        scriptCommand(body, arguments), [done = std::move(done)](const RedisResult &result) {
            const auto *reply = std::get_if<RedisReply>(&result);
            if (!reply) {
                return; // no connection: what the script was for is redone once there is one
            }
            if (reply->kind == RedisReply::Kind::Error) {
                qCWarning(lcCluster).noquote()
                    << u"a cluster script failed: %1"_s.arg(QString::fromUtf8(reply->text));
                return;
            }
            done(*reply);
        });
}

void RedisLink::heartbeat() {
    // An instance counts as gone two quiet timeouts after its last heartbeat (60 s by default;
    // with a heartbeat every sixth of that, its accounts are offline for everyone within 65 s).
    // Expiry times are on Redis's clock, so instances whose clocks disagree still agree here.
    const auto lifetime = 2 * m_quietTimeout;
    runScript(scripts::kHeartbeat, {QByteArray::number(static_cast<qint64>(lifetime.count()))},
              [this](const RedisReply &reply) {
                  if (reply.kind != RedisReply::Kind::Array || reply.elements.size() != 2) {
                      return;
                  }
                  m_metrics.setClusterNodes(reply.elements[0].integer);
                  for (const RedisReply &user : reply.elements[1].elements) {
                      Q_EMIT presenceChanged(QString::fromUtf8(user.text), false, true);
                  }
              });
}

void RedisLink::accountArrived(const QString &userId) {
    m_accountsHere.insert(userId);
    runScript(scripts::kArrive, {userId.toUtf8()}, [this, userId](const RedisReply &reply) {
        if (reply.integer == 1) {
            Q_EMIT presenceChanged(userId, true, true);
        }
    });
}

void RedisLink::accountDeparted(const QString &userId) {
    m_accountsHere.remove(userId);
    runScript(scripts::kDepart, {userId.toUtf8()}, [this, userId](const RedisReply &reply) {
        if (reply.integer == 1) {
            Q_EMIT presenceChanged(userId, false, true);
        }
    });
}

void RedisLink::resyncPresence() {
    QList<QByteArray> accounts;
    accounts.reserve(m_accountsHere.size());
    for (const QString &userId : std::as_const(m_accountsHere)) {
        accounts.append(userId.toUtf8());
    }
    runScript(scripts::kResync, accounts, [this](const RedisReply &reply) {
        for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2) {
            Q_EMIT presenceChanged(QString::fromUtf8(reply.elements[i].text),
                                   reply.elements[i + 1].text == "1", true);
        }
    });
}

void RedisLink::readPresence() {
    if (std::exchange(m_readingPresence, true)) {
        return;
    }
    m_commands.command(
        scriptCommand(scripts::kPresenceSnapshot, {}), [this](const RedisResult &result) {
            m_readingPresence = false;
            const auto *reply = std::get_if<RedisReply>(&result);
            if (reply && reply->kind == RedisReply::Kind::Array && reply->elements.size() == 2) {
                m_presenceVersion = reply->elements[0].integer;
                QStringList online;
                for (const RedisReply &user : reply->elements[1].elements) {
                    online.append(QString::fromUtf8(user.text));
                }
                Q_EMIT presenceRead(online);
            }
            // Without the read (Redis went away again) the changes held are still the best known.
            for (const ClusterEvent::PresenceChange &change : std::exchange(m_heldPresence, {})) {
                receivedPresence(change);
            }
        });
}

void RedisLink::receivedPresence(const ClusterEvent::PresenceChange &change) {
    if (m_readingPresence) {
        m_heldPresence.append(change);
    } else if (change.version > m_presenceVersion) {
        Q_EMIT presenceChanged(change.userId, change.online, false);
    }
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
    if (event->presence) {
        receivedPresence(*event->presence);
        return;
    }
    Q_EMIT received(*event);
}

} // namespace neonchat::server
