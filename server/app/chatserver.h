// SPDX-License-Identifier: MIT
// One chat-server instance: the HTTP and WebSocket front on one port, the hub on its thread, the
// session workers on theirs, and the lifecycle of CONTRACT §1 (ready, reload, graceful stop).
#pragma once

#include "auth/tokens.h"
#include "config/config.h"
#include "hub/onlineusers.h"
#include "net/httpapi.h"
#include "net/httpfront.h"
#include "net/poller.h"
#include "net/sessionworker.h"
#include "net/uploads.h"
#include "obs/metrics.h"
#include "store/sqlstore.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace neonchat::server {

class Peers;

class Hub;

class ChatServer : public QObject {
    Q_OBJECT
public:
    explicit ChatServer(Config config, QObject *parent = nullptr);
    ~ChatServer() override;

    ChatServer(const ChatServer &) = delete;
    ChatServer &operator=(const ChatServer &) = delete;

    // Listens and starts the threads. Returns why it could not.
    [[nodiscard]] std::optional<QString> start();
    [[nodiscard]] quint16 port() const { return m_port; }

    // Applies the reloadable settings of a new configuration (SIGHUP).
    void reload(const Config &reloaded);

    // Graceful stop: not ready, no new connections, every session closed with 1001, then stopped().
    void stop();

Q_SIGNALS:
    void stopped(bool withinTimeout);
    void limitsChanged(const neonchat::server::RuntimeLimits &limits);

private:
    enum class State { Starting, Ready, Stopping };

    void setUpRoutes();
    // A TCP socket whose /ws upgrade request the front has read and checked: answers the
    // handshake, then admits the session to a worker or refuses it with a close code.
    void acceptWebSocket(QTcpSocket *socket, const http::RequestHead &request);
    // The session's identity, or the close code and reason that refuse it.
    [[nodiscard]] std::variant<SessionIdentity, std::pair<protocol::CloseCode, QString>>
    admit(const WsConnection &connection);
    void refuse(WsConnection *connection, protocol::CloseCode code, const QString &reason);
    // Counts the session against --max-connections and hands it to a worker.
    void startSession(WsConnection *connection, const SessionIdentity &identity);
    void workerDrained();
    void finishStop(bool withinTimeout);

    [[nodiscard]] FrontLimits frontLimits() const;
    // Loads --tls-cert/--tls-key into the front; returns why it could not.
    [[nodiscard]] std::optional<QString> setUpTls();
    // --redis: reads the chats' last seqs and links the hub to the other instances.
    [[nodiscard]] std::optional<QString> joinCluster(const DatabaseTarget &target);
    void probeDatabase();

    Peers *m_cluster = nullptr; // a child of the hub, on its thread; with --redis only
    Config m_config;
    Metrics m_metrics;
    // WebSockets wait here between the upgrade and their worker (or their refusal).
    Poller m_frontPoller;
    OnlineUsers m_online;
    std::unique_ptr<SqlStore> m_store;
    std::unique_ptr<TokenSigner> m_tokens;
    // Signs guests' resume tokens under a key of its own: one never passes for an account token.
    std::unique_ptr<TokenSigner> m_guestTokens;
    // Logins counted here, or in Redis for the cluster; before m_api, which uses it.
    std::unique_ptr<LoginAttempts> m_loginAttempts;
    // Before m_front: the streamed exchanges of its connections use it until they are destroyed.
    std::unique_ptr<Uploads> m_uploads;
    QHttpServer m_http;
    // Qt's HTTP server is bound to m_backend only: every connection comes in through m_front.
    BackendListener m_backend;
    std::unique_ptr<HttpFront> m_front;
    // Sessions admitted and not yet destroyed: what --max-connections is checked against. Kept
    // here, where admission happens, so a burst cannot overshoot it.
    int m_admittedSessions = 0;
    std::unique_ptr<HttpApi> m_api;
    quint16 m_port = 0;
    State m_state = State::Starting;

    // Hub and workers are deleted by their own thread when it finishes (deleteLater on finished),
    // so they die on the thread they live on; the threads are owned here.
    QThread m_hubThread;
    Hub *m_hub = nullptr;
    std::vector<std::unique_ptr<QThread>> m_workerThreads;
    std::vector<SessionWorker *> m_workers;

    quint64 m_nextSessionKey = 0;
    size_t m_nextWorker = 0;
    size_t m_drainedWorkers = 0;
    QTimer m_shutdownTimer;
    // /readyz's database check: a query every few seconds on the reader connection.
    QTimer m_databaseProbe;
    QElapsedTimer m_probeSent;
    bool m_probePending = false;
    bool m_databaseUp = true;
};

} // namespace neonchat::server
