// SPDX-License-Identifier: MIT
// Counters of CONTRACT §4, updated lock-free from every thread and rendered in the Prometheus text
// format. One instance per server, passed by reference to whoever counts.
#pragma once

#include "histogram.h"
#include "protocol/protocol.h"

#include <QByteArray>
#include <QMap>
#include <QMutex>
#include <QString>

#include <array>
#include <atomic>

namespace neonchat::server {

enum class DisconnectReason {
    ClientClosed,
    SlowConsumer,
    RateLimited,
    ProtocolError,
    TooLarge,
    IdleTimeout,
    PongTimeout,
    Shutdown,
    Refused,
    NetworkError,
    Count_
};

// The status label: stored and sent on, a repeated request_id answered from storage, or not stored.
enum class SendStatus { Delivered, Duplicate, Failed, Count_ };

class Metrics {
public:
    void connectionOpened() { m_websocketConnections.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { m_websocketConnections.fetch_sub(1, std::memory_order_relaxed); }
    void clientJoined() { m_connectedClients.fetch_add(1, std::memory_order_relaxed); }
    void clientLeft(DisconnectReason reason) {
        m_connectedClients.fetch_sub(1, std::memory_order_relaxed);
        disconnected(reason);
    }
    void disconnected(DisconnectReason reason) {
        m_disconnects[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
    }
    void messageIn() { m_messagesIn.fetch_add(1, std::memory_order_relaxed); }
    void messagesOut(quint64 count) { m_messagesOut.fetch_add(count, std::memory_order_relaxed); }
    void dropped() { m_dropped.fetch_add(1, std::memory_order_relaxed); }
    // Argon2id runs (hashes and verifications), and requests refused because too many waited.
    void passwordHashed() { m_passwordHashes.fetch_add(1, std::memory_order_relaxed); }
    void hashQueueFull() { m_hashQueueFull.fetch_add(1, std::memory_order_relaxed); }
    // kind is the chat_type label; nullopt ("unknown") when a failed message's chat could not be
    // told.
    void messageSent(std::optional<protocol::ChatKind> kind, SendStatus status) {
        const size_t kindIndex = kind ? static_cast<size_t>(*kind) : kUnknownChatKind;
        m_messagesSent[kindIndex][static_cast<size_t>(status)].fetch_add(1,
                                                                         std::memory_order_relaxed);
    }
    // Multi-instance state for dashboards and alerts (chat_cluster_nodes, chat_redis_*, and the
    // names of CONTRACT §8).
    void setRedisConfigured(bool configured) {
        m_redisConfigured.store(configured, std::memory_order_relaxed);
    }
    void setRedisConnected(bool connected) {
        m_redisConnected.store(connected, std::memory_order_relaxed);
    }
    [[nodiscard]] bool redisConnected() const {
        return m_redisConnected.load(std::memory_order_relaxed);
    }
    // The subscription connection's reconnects so far (it only grows).
    void redisReconnected(int reconnects) {
        m_redisReconnects.store(reconnects, std::memory_order_relaxed);
    }
    // Instances of the cluster alive by their heartbeats, this one included.
    void setClusterNodes(qint64 nodes) { m_clusterNodes.store(nodes, std::memory_order_relaxed); }
    // A subscription that looked up did not deliver its probe and was made again.
    void redisStalled() { m_redisStalls.fetch_add(1, std::memory_order_relaxed); }
    void clusterEventPublished() { m_clusterEventsOut.fetch_add(1, std::memory_order_relaxed); }
    void clusterEventReceived() { m_clusterEventsIn.fetch_add(1, std::memory_order_relaxed); }
    // Files (CONTRACT §9): bytes stored, and uploads by how they ended.
    void uploadBytesStored(qint64 bytes) {
        m_uploadBytes.fetch_add(static_cast<quint64>(bytes), std::memory_order_relaxed);
    }
    void uploadStored() { m_uploadsStored.fetch_add(1, std::memory_order_relaxed); }
    void uploadDiscarded() { m_uploadsDiscarded.fetch_add(1, std::memory_order_relaxed); }
    void uploadsExpired(qint64 count) {
        m_uploadsExpired.fetch_add(static_cast<quint64>(count), std::memory_order_relaxed);
    }
    // One answered HTTP request. route is the route's pattern (/api/v1/users/{id}), never the
    // raw path, so the label set stays small.
    void httpRequest(const QByteArray &method, const QString &route, int status,
                     std::chrono::nanoseconds took);

    // Receipt of a message to its last fan-out write.
    [[nodiscard]] Histogram &deliverySeconds() { return m_deliverySeconds; }
    // One database write transaction, begin to commit.
    [[nodiscard]] Histogram &dbWriteSeconds() { return m_dbWriteSeconds; }

    [[nodiscard]] qint64 websocketConnections() const {
        return m_websocketConnections.load(std::memory_order_relaxed);
    }
    [[nodiscard]] qint64 connectedClients() const {
        return m_connectedClients.load(std::memory_order_relaxed);
    }

    [[nodiscard]] QByteArray renderPrometheus() const;

private:
    std::atomic<qint64> m_websocketConnections{0};
    std::atomic<qint64> m_connectedClients{0};
    std::atomic<quint64> m_messagesIn{0};
    std::atomic<quint64> m_messagesOut{0};
    std::atomic<quint64> m_dropped{0};
    std::atomic<quint64> m_passwordHashes{0};
    std::atomic<quint64> m_hashQueueFull{0};
    std::atomic<bool> m_redisConfigured{false};
    std::atomic<bool> m_redisConnected{false};
    std::atomic<qint64> m_redisReconnects{0};
    std::atomic<quint64> m_clusterEventsOut{0};
    std::atomic<quint64> m_redisStalls{0};
    std::atomic<qint64> m_clusterNodes{1};
    std::atomic<quint64> m_clusterEventsIn{0};
    std::atomic<quint64> m_uploadBytes{0};
    std::atomic<quint64> m_uploadsStored{0};
    std::atomic<quint64> m_uploadsDiscarded{0};
    std::atomic<quint64> m_uploadsExpired{0};
    std::array<std::atomic<quint64>, static_cast<size_t>(DisconnectReason::Count_)> m_disconnects{};
    // By chat kind (protocol::ChatKind, then one for unknown) and status.
    static constexpr size_t kUnknownChatKind = static_cast<size_t>(protocol::ChatKind::Room) + 1;
    std::array<std::array<std::atomic<quint64>, static_cast<size_t>(SendStatus::Count_)>,
               kUnknownChatKind + 1>
        m_messagesSent{};
    Histogram m_deliverySeconds;
    Histogram m_dbWriteSeconds;
    Histogram m_httpSeconds;
    mutable QMutex m_httpMutex;
    QMap<QByteArray, quint64> m_httpRequests; // rendered label set -> count
};

[[nodiscard]] const char *disconnectReasonName(DisconnectReason reason);

} // namespace neonchat::server
