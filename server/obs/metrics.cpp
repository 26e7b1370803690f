// SPDX-License-Identifier: MIT
#include "metrics.h"

namespace neonchat::server {

const char *disconnectReasonName(DisconnectReason reason) {
    switch (reason) {
    case DisconnectReason::ClientClosed:
        return "client_closed";
    case DisconnectReason::SlowConsumer:
        return "slow_consumer";
    case DisconnectReason::RateLimited:
        return "rate_limited";
    case DisconnectReason::ProtocolError:
        return "protocol_error";
    case DisconnectReason::TooLarge:
        return "too_large";
    case DisconnectReason::IdleTimeout:
        return "idle_timeout";
    case DisconnectReason::PongTimeout:
        return "pong_timeout";
    case DisconnectReason::Shutdown:
        return "shutdown";
    case DisconnectReason::Refused:
        return "refused";
    case DisconnectReason::NetworkError:
        return "network_error";
    case DisconnectReason::Count_:
        break;
    }
    return "unknown";
}

namespace {

QByteArray chatKindLabel(size_t kindIndex) {
    if (kindIndex > static_cast<size_t>(protocol::ChatKind::Room)) {
        return "unknown";
    }
    const QLatin1StringView name =
        protocol::chatKindName(static_cast<protocol::ChatKind>(kindIndex));
    return QByteArray(name.data(), name.size());
}

const char *sendStatusName(SendStatus status) {
    switch (status) {
    case SendStatus::Delivered:
        return "delivered";
    case SendStatus::Duplicate:
        return "duplicate";
    case SendStatus::Failed:
    case SendStatus::Count_:
        break;
    }
    return "failed";
}

} // namespace

void Metrics::httpRequest(const QByteArray &method, const QString &route, int status,
                          std::chrono::nanoseconds took) {
    QByteArray labels = "{method=\"" + method + "\",route=\"" + route.toUtf8() + "\",status=\"" +
                        QByteArray::number(status) + "\"}";
    m_httpSeconds.observe(took);
    const QMutexLocker lock(&m_httpMutex);
    ++m_httpRequests[labels];
}

QByteArray Metrics::renderPrometheus() const {
    QByteArray out;
    auto family = [&out](const char *name, const char *type, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    auto sample = [&out](const char *nameAndLabels, auto value) {
        out += QByteArray(nameAndLabels) + ' ' + QByteArray::number(value) + '\n';
    };

    family("broadcast_connected_clients", "gauge", "Sessions joined to the hub.");
    sample("broadcast_connected_clients", connectedClients());
    family("websocket_connections_current", "gauge", "Open WebSocket connections.");
    sample("websocket_connections_current", websocketConnections());
    family("broadcast_messages_total", "counter",
           "Chat messages accepted from clients (in) and frames delivered to clients (out).");
    sample("broadcast_messages_total{direction=\"in\"}", m_messagesIn.load());
    sample("broadcast_messages_total{direction=\"out\"}", m_messagesOut.load());
    family("broadcast_disconnects_total", "counter", "Closed sessions by reason.");
    for (size_t i = 0; i < m_disconnects.size(); ++i) {
        const QByteArray labels = QByteArray("broadcast_disconnects_total{reason=\"") +
                                  disconnectReasonName(static_cast<DisconnectReason>(i)) + "\"}";
        sample(labels.constData(), m_disconnects[i].load());
    }
    family("broadcast_dropped_total", "counter",
           "Connections dropped because their send queue exceeded --send-buffer or "
           "--send-buffer-bytes.");
    sample("broadcast_dropped_total", m_dropped.load());
    family("auth_password_hashes_total", "counter",
           "Argon2id password hashes and verifications run.");
    sample("auth_password_hashes_total", m_passwordHashes.load());
    family("auth_hash_queue_full_total", "counter",
           "Register and login requests answered 503 because the hashing queue was full.");
    sample("auth_hash_queue_full_total", m_hashQueueFull.load());
    family("chat_messages_sent_total", "counter",
           "Chat messages by chat type and outcome (delivered, duplicate request_id, failed).");
    for (size_t kind = 0; kind < m_messagesSent.size(); ++kind) {
        for (size_t status = 0; status < m_messagesSent[kind].size(); ++status) {
            const QByteArray labels = QByteArray("chat_messages_sent_total{chat_type=\"") +
                                      chatKindLabel(kind) + "\",status=\"" +
                                      sendStatusName(static_cast<SendStatus>(status)) + "\"}";
            sample(labels.constData(), m_messagesSent[kind][status].load());
        }
    }
    // A family of one sample without labels.
    const auto single = [&](const char *name, const char *type, const char *help, auto value) {
        family(name, type, help);
        sample(name, value);
    };
    const char *nodesHelp = "Server instances this one sees alive, itself included.";
    single("chat_cluster_nodes", "gauge", nodesHelp, m_clusterNodes.load());
    single("cluster_nodes", "gauge", nodesHelp, m_clusterNodes.load());
    single("chat_redis_configured", "gauge", "1 when --redis is set.",
           static_cast<int>(m_redisConfigured.load()));
    single("chat_redis_connected", "gauge", "1 while the connection to Redis is up.",
           static_cast<int>(m_redisConnected.load()));
    single("redis_up", "gauge", "1 while this instance is subscribed to its cluster's Redis.",
           static_cast<int>(m_redisConnected.load()));
    single("redis_reconnects_total", "counter", "Connections to Redis made again after a loss.",
           m_redisReconnects.load());
    single("redis_stalls_total", "counter",
           "Subscriptions that looked up, did not deliver a probe, and were made again.",
           m_redisStalls.load());
    family("cluster_events_total", "counter",
           "Fan-out events published to and received from the other instances.");
    sample("cluster_events_total{direction=\"published\"}", m_clusterEventsOut.load());
    sample("cluster_events_total{direction=\"received\"}", m_clusterEventsIn.load());
    single("upload_bytes_total", "counter", "Bytes of uploaded files stored.",
           m_uploadBytes.load());
    family("uploads_total", "counter",
           "Uploads by how they ended: stored, discarded (the client left or the request failed "
           "midway) or expired (never attached to a message).");
    sample("uploads_total{result=\"stored\"}", m_uploadsStored.load());
    sample("uploads_total{result=\"discarded\"}", m_uploadsDiscarded.load());
    sample("uploads_total{result=\"expired\"}", m_uploadsExpired.load());
    m_deliverySeconds.render(out, "chat_message_delivery_seconds",
                             "Receipt of a message to its last fan-out write.");
    m_dbWriteSeconds.render(out, "chat_db_write_seconds",
                            "Database write transactions, begin to commit.");
    family("http_requests_total", "counter", "Answered HTTP requests by method, route and status.");
    {
        const QMutexLocker lock(&m_httpMutex);
        for (auto request = m_httpRequests.cbegin(); request != m_httpRequests.cend(); ++request) {
            out += "http_requests_total" + request.key() + ' ' +
                   QByteArray::number(request.value()) + '\n';
        }
    }
    m_httpSeconds.render(out, "http_request_duration_seconds",
                         "HTTP requests, arrival to the response written.");
    return out;
}

} // namespace neonchat::server
