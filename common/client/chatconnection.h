// SPDX-License-Identifier: MIT
// One WebSocket session with a NeonChat server, shared by chat-cli and chat-desktop: welcome,
// an outbox of messages with request ids sent at the server's advertised rate, acknowledgements
// matched to what was sent, and incoming messages as typed signals.
#pragma once

#include "protocol/protocol.h"
#include "protocol/tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <deque>

namespace neonchat::client {

class ChatConnection : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Offline, Connecting, Online };
    Q_ENUM(State)

    explicit ChatConnection(QObject *parent = nullptr);

    void open(const QUrl &url);
    // Queues a message; it goes out once the session is welcomed. Returns its request id.
    QString send(const QString &text, const QString &chatId = {});
    // Asks for the messages of a chat after afterSeq; they arrive as messageReceived(), then
    // syncDone().
    void requestSync(const QString &chatId, qint64 afterSeq);
    // Closes with 1000; disconnected() follows.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] const protocol::Welcome &welcome() const { return m_welcome; }
    // Messages queued or sent and not yet acknowledged or rejected.
    [[nodiscard]] int unacknowledged() const {
        return static_cast<int>(m_outbox.size()) + m_inFlight.size();
    }

Q_SIGNALS:
    void stateChanged();
    void welcomed();
    void messageReceived(const neonchat::protocol::ChatMessage &message);
    void messageAcknowledged(const QString &requestId,
                             const neonchat::protocol::ChatMessage &message);
    void messageRejected(const QString &requestId, const neonchat::protocol::ErrorFrame &error);
    // An error frame not tied to a message we sent.
    void errorReceived(const neonchat::protocol::ErrorFrame &error);
    void syncDone(const QString &chatId, bool hasMore);
    void allAcknowledged();
    // wasWelcomed: the session was established before it ended (false: could not connect or
    // was refused during the handshake).
    void disconnected(int closeCode, const QString &reason, bool wasWelcomed);

private:
    struct Outgoing {
        QString requestId;
        QString chatId;
        QString text;
    };

    void onText(const QString &text);
    void onDisconnected();
    void flushOutbox();
    void settle(const QString &requestId);
    void setState(State state);

    QWebSocket m_socket;
    State m_state = State::Offline;
    protocol::Welcome m_welcome;
    bool m_welcomed = false;
    bool m_closeReported = false;
    std::deque<Outgoing> m_outbox;
    QHash<QString, Outgoing> m_inFlight;
    QElapsedTimer m_clock;
    protocol::TokenBucket m_pace;
    QTimer m_paceTimer;
};

} // namespace neonchat::client
