// SPDX-License-Identifier: MIT
// One thread's share of the WebSocket sessions. Qt's event loop polls every socket of its thread
// on each wake-up, so sessions are spread over several workers; each receives a hub delivery once
// and writes it to its own sessions.
#pragma once

#include "config/config.h"
#include "hub/delivery.h"
#include "net/poller.h"
#include "obs/metrics.h"
#include "protocol/protocol.h"
#include "protocol/tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_map>

namespace neonchat::server {

class WsConnection;

struct SessionIdentity {
    quint64 key = 0;   // unique within this server process
    QString sessionId; // what the client sees in welcome
    protocol::UserInfo user;
    QString resumeToken; // guests: what keeps their identity across a reconnect
};

class SessionWorker : public QObject {
    Q_OBJECT
public:
    SessionWorker(int index, Metrics &metrics, const RuntimeLimits &limits,
                  QObject *parent = nullptr);
    ~SessionWorker() override;

    // Takes ownership of a connection that was moved to this worker's thread. Call on that thread.
    void adopt(WsConnection *connection, const SessionIdentity &identity);

    [[nodiscard]] int index() const { return m_index; }

public Q_SLOTS:
    void deliver(const neonchat::server::DeliveryPtr &delivery);
    void applyLimits(const neonchat::server::RuntimeLimits &limits);
    // Closes every session with 1001; drained() follows once none is left.
    void closeAll();
    // Drops every remaining socket at once (the shutdown timeout ran out).
    void abortAll();

Q_SIGNALS:
    void submitted(const neonchat::server::Submission &submission);
    void syncRequested(const neonchat::server::SyncSubmission &request);
    void chatSignalled(const neonchat::server::ChatSignal &signal);
    void accountSessionStarted(const QString &userId);
    void accountSessionEnded(const QString &userId);
    void drained();

private:
    struct Session {
        Session(WsConnection *webSocket, SessionIdentity id, int rateLimit, qint64 nowMs)
            : socket(webSocket)
            , identity(std::move(id))
            , bucket(rateLimit, 2.0 * rateLimit, nowMs)
            , lastActivityMs(nowMs)
            , lastPingMs(nowMs) {}

        WsConnection *socket = nullptr; // owned: deleted with deleteLater when the session ends
        SessionIdentity identity;
        protocol::TokenBucket bucket;
        qint64 lastActivityMs = 0;
        qint64 lastPingMs = 0;
        qint64 pingOutstandingSinceMs = 0; // 0: no ping awaits its pong
        qint64 floodStartMs = 0;           // first rejection of the current flood, 0: none
        qint64 lastRejectionMs = 0;
        bool closing = false;
        DisconnectReason closeReason = DisconnectReason::ClientClosed;
        // Per chat: the typing state last relayed and when, to coalesce repeats.
        struct Typing {
            bool isTyping = false;
            qint64 relayedAtMs = 0;
        };
        QHash<QString, Typing> typing;
        // Sync requests; the first is replayed a page at a time, each page written as the socket
        // drains, so a client catching up is never taken for one that does not read.
        struct Sync {
            QString chatId;
            qint64 after = 0; // seq, or mod_seq once replaying changes
            std::optional<qint64> afterModSeq;
            bool changes = false; // the messages are replayed; the changes are next
            // How far the replay has brought the client: sync_done's last_seq and last_mod_seq.
            qint64 seqReached = 0;
            qint64 modSeqReached = 0;
        };
        std::deque<Sync> syncs;
        int replayed = 0; // messages of syncs.front() written so far
        int pages = 0;    // pages of syncs.front() received so far
        bool pageRequested = false;
        bool pageHadMore = false;
        std::deque<QByteArray> replayFrames; // what is left of the current page
    };

    void onText(quint64 key, const QString &text);
    void onPing(quint64 key, const QByteArray &payload);
    // Counts a frame against the session's rate; false if it is over (and the flood may have
    // closed the session).
    [[nodiscard]] bool takeRateToken(Session &session, qint64 now);
    void onDisconnected(quint64 key);
    void handleFrame(Session &session, const QString &text);
    void handleTyping(Session &session, const protocol::TypingUpdate &typing);
    void startSync(Session &session, const protocol::SyncRequest &sync);
    void takeSyncPage(Session &session, const DeliveryPtr &delivery);
    // Writes the page's frames while the socket holds little; asks for the next page, or ends the
    // replay with sync_done, once the page is written.
    void pumpReplay(Session &session);
    // A frame encoded already (wireFrame): the same bytes for every receiver.
    void send(Session &session, const QByteArray &frame);
    // Drops a session whose unsent bytes or messages are over the budget; true if it did.
    bool dropIfSlow(Session &session);
    void sendError(Session &session, QLatin1StringView code, const QString &message,
                   const std::optional<QString> &requestId);
    void close(Session &session, protocol::CloseCode code, const QString &reason,
               DisconnectReason why);
    void sweep();
    void restartSweepTimer();
    [[nodiscard]] qint64 nowMs() const { return m_clock.elapsed(); }

    int m_index;
    Metrics &m_metrics;
    RuntimeLimits m_limits;
    Poller m_poller; // the sessions' sockets
    QElapsedTimer m_clock;
    QTimer m_sweepTimer;
    std::unordered_map<quint64, Session> m_sessions;
    QMultiHash<QString, quint64> m_sessionsByUser; // account sessions by user id
    bool m_shuttingDown = false;
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::RuntimeLimits)
