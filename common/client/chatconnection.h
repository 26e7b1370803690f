// SPDX-License-Identifier: MIT
// One WebSocket session with a NeonChat server, shared by chat-cli and chat-desktop: welcome,
// an outbox of messages with request ids sent at the server's advertised rate, acknowledgements
// matched to what was sent, and incoming messages as typed signals.
//
// Each chat's messages are handed on exactly once and in seq order, however they arrive (live,
// replayed by sync, or as the acknowledgement of one's own message): a seq already seen is
// dropped, and a jump in seq is healed with a sync before anything after it is handed on. With
// automatic reconnection on, a lost session is opened again after an exponential backoff with
// full jitter; the new session syncs every chat from its last seen seq and sends again what was
// not acknowledged, under its old request id, so the server stores it once (a guest comes back
// as the same guest through the resume token of its welcome).
//
// Changes of messages (edits, deletions, reactions: CONTRACT §9) are tracked the same way by each
// chat's mod_seq: every change newer than the last one seen is handed on as messageUpdated (its
// receiver keeps, per message, the state with the highest mod_seq), and a jump in mod_seq, or a
// session that was lost, is healed by sync with after_mod_seq.
#pragma once

#include "platform/backoff.h"
#include "protocol/protocol.h"
#include "protocol/tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <deque>

namespace neonchat::client {

class ChatConnection : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateReason READ stateReason NOTIFY stateChanged)
public:
    enum class State { Offline, Connecting, Online, Reconnecting };
    Q_ENUM(State)
    // When a lost or failed connection is tried again (never after close(), or a policy refusal).
    enum class Reconnect {
        Never,        // report disconnected() instead
        AfterWelcome, // only a session that was welcomed: a first attempt that fails is reported
        Always,       // from the first attempt: an app started before its server or network
    };
    Q_ENUM(Reconnect)

    explicit ChatConnection(QObject *parent = nullptr);
    ~ChatConnection() override;

    void open(const QUrl &url);
    // Whether to connect again, after the backoff, instead of reporting disconnected(). Never by
    // default.
    void setReconnect(Reconnect policy) { m_reconnect = policy; }
    // While waiting to reconnect: tries now instead (a failure goes on with the backoff).
    void reconnectNow();
    void setBackoff(const platform::Backoff &backoff) { m_backoff = backoff; }
    // The server closes a session that sends nothing for its idle timeout (10 minutes by default),
    // though its user only reads. Once a chat is tracked, a session that has sent nothing for
    // two fifths of the timeout the welcome states (of 10 minutes if it states none) asks that
    // chat for what is new since its last message: nothing, usually, and the session stays.
    // What wss:// trusts (client::tlsConfiguration).
    void setTlsConfiguration(const QSslConfiguration &tls) { m_socket.setSslConfiguration(tls); }
    // Queues a message, in reply to another of the same chat if replyToId is set, carrying the
    // uploads attachmentIds names (text may then be empty); it goes out once the session is
    // welcomed. Returns its request id.
    QString send(const QString &text, const QString &chatId = {}, const QString &replyToId = {},
                 const QStringList &attachmentIds = {});
    // Asks for the messages of a chat after afterSeq, and the changes after afterModSeq; they
    // arrive as messageReceived() and messageUpdated(), then syncDone() once the chat is caught
    // up. For a chat not seen yet, the two are where its tracking starts (the chat list's
    // last_seq and last_mod_seq).
    void requestSync(const QString &chatId, qint64 afterSeq, qint64 afterModSeq = 0);
    // The seq of the last message handed on for a chat (0: none).
    [[nodiscard]] qint64 lastSeq(const QString &chatId) const {
        return m_chats.value(chatId).lastSeq;
    }
    // The mod_seq up to which every change of a chat has been handed on.
    [[nodiscard]] qint64 lastModSeq(const QString &chatId) const {
        return m_chats.value(chatId).lastModSeq;
    }
    // Tells the chat's other members whether the user is typing (dropped while offline: typing is
    // a passing state, not worth resending).
    void setTyping(const QString &chatId, bool isTyping);
    // Marks everything up to messageId read (dropped while offline; the next read marks it).
    void markRead(const QString &chatId, const QString &messageId);
    // Closes with 1000; disconnected() follows.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    // Why the connection is offline or reconnecting (a close reason or socket error), else empty.
    [[nodiscard]] QString stateReason() const { return m_stateReason; }
    [[nodiscard]] const protocol::Welcome &welcome() const { return m_welcome; }
    // Messages queued or sent and not yet acknowledged or rejected.
    [[nodiscard]] int unacknowledged() const {
        return static_cast<int>(m_outbox.size() + m_inFlight.size());
    }
    // A message sent with send() and not yet acknowledged or rejected.
    struct Outgoing {
        QString requestId;
        QString chatId;
        QString text;
        QString replyToId;
        QStringList attachmentIds;
        // Sent on a session that ended before its acknowledgement came: the server may hold it.
        bool maybeStored = false;
    };
    // Those messages, in the order they were sent. A rejected one is still listed while
    // messageRejected() is being emitted for it.
    [[nodiscard]] QList<Outgoing> unsettled() const;

Q_SIGNALS:
    void stateChanged();
    void welcomed();
    void messageReceived(const neonchat::protocol::ChatMessage &message);
    // A message already handed on changed: this is its whole state now.
    void messageUpdated(const neonchat::protocol::ChatMessage &message);
    void messageAcknowledged(const QString &requestId,
                             const neonchat::protocol::ChatMessage &message);
    void messageRejected(const QString &requestId, const neonchat::protocol::ErrorFrame &error);
    // An error frame not tied to a message we sent.
    void errorReceived(const neonchat::protocol::ErrorFrame &error);
    void syncDone(const QString &chatId, bool hasMore);
    void presenceChanged(const QString &userId, bool online);
    void typingChanged(const QString &chatId, const QString &userId, bool isTyping);
    void readReceived(const QString &chatId, const QString &userId, const QString &messageId);
    // The session was lost; the next attempt starts in `milliseconds`.
    void reconnectScheduled(int milliseconds);
    void allAcknowledged();
    // wasWelcomed: the session was established before it ended (false: could not connect or
    // was refused during the handshake).
    void disconnected(int closeCode, const QString &reason, bool wasWelcomed);

private:
    // Where a chat stands: the last seq handed on and whether a sync is filling a gap.
    struct ChatCursor {
        qint64 lastSeq = 0;
        bool syncing = false;
        bool resyncAfter = false; // a message was held back during the sync: sync again after
        QSet<QString> ownAhead;   // own messages acknowledged past a gap, not to hand on again
        qint64 lastModSeq = 0;
        qint64 modSeqSeenInSync = 0; // the newest change that arrived while a sync was running
    };

    void onText(const QString &text);
    // Sends a frame if the session is welcomed; else drops it (its sender knows what to redo).
    void sendNow(const protocol::ClientFrame &frame);
    void onDisconnected();
    void flushOutbox();
    void settle(const QString &requestId);
    void setState(State state, const QString &reason = {});
    enum class Placement { Seen, Next, AfterGap };
    // Where a message stands in its chat; moves the cursor for the next one, starts a sync for
    // one after a gap.
    Placement place(const protocol::ChatMessage &message);
    // Hands a message on if it is the chat's next one.
    void accept(const protocol::ChatMessage &message);
    void acknowledged(const QString &requestId, const protocol::ChatMessage &message);
    // A replayed message of one's own that is a message still waiting for its acknowledgement
    // (sent before the session was lost): it is that acknowledgement. True if it was one.
    bool settleFromReplay(const protocol::ChatMessage &message);
    void updated(const protocol::ChatMessage &message);
    void syncFinished(const protocol::SyncDone &done);
    void startSync(const QString &chatId);
    void reconnect();
    void keepAlive();

    QWebSocket m_socket;
    State m_state = State::Offline;
    protocol::Welcome m_welcome;
    bool m_welcomed = false;
    bool m_closeReported = false;
    std::deque<Outgoing> m_outbox;
    std::deque<Outgoing> m_inFlight; // in the order sent, so a resend keeps the order
    QHash<QString, ChatCursor> m_chats;
    QUrl m_url;
    QString m_stateReason;
    Reconnect m_reconnect = Reconnect::Never;
    bool m_closeRequested = false;
    platform::Backoff m_backoff;
    QTimer m_reconnectTimer;
    QElapsedTimer m_clock;
    protocol::TokenBucket m_pace;
    QTimer m_paceTimer;
    QTimer m_keepAliveTimer;
    qint64 m_lastSentMs = 0; // when the last frame went to the server
};

} // namespace neonchat::client
