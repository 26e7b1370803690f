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
           "Connections dropped because their send queue exceeded --send-buffer.");
    sample("broadcast_dropped_total", m_dropped.load());
    return out;
}

} // namespace neonchat::server
