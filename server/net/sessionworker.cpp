// SPDX-License-Identifier: MIT
#include "sessionworker.h"

#include "auth/access.h"
#include "net/wsconnection.h"
#include "obs/log.h"
#include "protocol/codec.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// A peer that does not answer our close frame is dropped after this long.
constexpr int kCloseGraceMs = 2000;
// Continuous flooding (rejections less than a second apart) for this long closes with 1008.
constexpr qint64 kFloodCloseMs = 5000;
constexpr qint64 kFloodGapMs = 1000;
// A client repeating "typing" more often than this is relayed once per period.
constexpr qint64 kTypingRelayPeriodMs = 3000;
// A sync replays at most kSyncLimit messages (CONTRACT §3), read kSyncPage at a time; a page's
// frames are written while the socket holds less than kReplayPaceBytes.
constexpr int kSyncLimit = 1000;
constexpr int kSyncPage = 50;
constexpr qint64 kReplayPaceBytes = 64 * 1024;
// Syncs one session may have waiting (a client resuming many chats sends one per chat).
constexpr std::size_t kMaxQueuedSyncs = 1000;

} // namespace

SessionWorker::SessionWorker(int index, Metrics &metrics, const RuntimeLimits &limits,
                             QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_metrics(metrics)
    , m_limits(limits)
    , m_poller(this)
    , m_sweepTimer(this) {
    m_clock.start();
    connect(&m_sweepTimer, &QTimer::timeout, this, &SessionWorker::sweep);
}

SessionWorker::~SessionWorker() {
    // Runs on the worker thread as it finishes; whatever is still open goes now.
    for (auto &[key, session] : m_sessions) {
        session.socket->disconnect(this);
        session.socket->abort();
        m_metrics.clientLeft(DisconnectReason::Shutdown);
        delete session.socket;
    }
}

void SessionWorker::adopt(WsConnection *socket, const SessionIdentity &identity) {
    const qint64 now = nowMs();
    const quint64 key = identity.key;
    socket->setMaxMessageBytes(m_limits.msgMaxBytes);
    socket->joinPoller(m_poller);

    m_sessions.emplace(key, Session(socket, identity, m_limits.rateLimit, now));
    m_metrics.clientJoined();
    if (!identity.user.guest) {
        m_sessionsByUser.insert(identity.user.id, key);
        Q_EMIT accountSessionStarted(identity.user.id);
    }

    connect(socket, &WsConnection::textReceived, this,
            [this, key](const QString &text) { onText(key, text); });
    connect(socket, &WsConnection::binaryReceived, this, [this, key] {
        auto found = m_sessions.find(key);
        if (found != m_sessions.end()) {
            close(found->second, protocol::CloseCode::PolicyViolation,
                  u"binary frames are not part of the protocol"_s, DisconnectReason::ProtocolError);
        }
    });
    connect(socket, &WsConnection::bytesWritten, this, [this, key] {
        if (auto found = m_sessions.find(key); found != m_sessions.end()) {
            pumpReplay(found->second);
        }
    });
    connect(socket, &WsConnection::pingReceived, this,
            [this, key](const QByteArray &payload) { onPing(key, payload); });
    connect(socket, &WsConnection::pongReceived, this, [this, key] {
        auto found = m_sessions.find(key);
        // A pong is a control frame like any other: it counts against the rate, and one over
        // the rate answers nothing.
        if (found != m_sessions.end() && !found->second.closing &&
            takeRateToken(found->second, nowMs())) {
            found->second.pingOutstandingSinceMs = 0;
        }
    });
    // Queued: a disconnect can be signalled from inside close() or a write while a delivery
    // iterates the sessions; removal waits until that loop is done.
    connect(
        socket, &WsConnection::disconnected, this, [this, key] { onDisconnected(key); },
        Qt::QueuedConnection);

    if (!m_sweepTimer.isActive()) {
        restartSweepTimer();
    }

    Session &added = m_sessions.at(key);
    qCInfo(lcWs).noquote() << u"session %1 opened: user=%2 guest=%3 peer=%4 worker=%5"_s.arg(
        identity.sessionId, identity.user.username, identity.user.guest ? "true"_L1 : "false"_L1,
        socket->peerAddress().toString(), QString::number(m_index));
    send(added, wireFrame(protocol::Welcome{
                    identity.sessionId, identity.user, QString(protocol::kLobbyId),
                    QStringLiteral(NEONCHAT_VERSION),
                    protocol::ServerLimits{
                        m_limits.msgMaxBytes, protocol::kTextMaxChars, m_limits.rateLimit,
                        // Rounded down: a client that keeps to it is never late.
                        std::max<qint64>(1, m_limits.idleTimeout.count() / 1000)},
                    identity.resumeToken}));
    if (m_shuttingDown) {
        close(added, protocol::CloseCode::GoingAway, u"server shutting down"_s,
              DisconnectReason::Shutdown);
    }
    socket->startReading();
}

void SessionWorker::onPing(quint64 key, const QByteArray &payload) {
    auto found = m_sessions.find(key);
    if (found == m_sessions.end() || found->second.closing) {
        return;
    }
    Session &session = found->second;
    // Every ping costs a pong: a flood of them is rate limited like messages (an unanswered ping
    // is dropped), and the pongs count against the send budget like any frame.
    if (!takeRateToken(session, nowMs())) {
        return;
    }
    session.socket->pong(payload);
    dropIfSlow(session);
}

bool SessionWorker::takeRateToken(Session &session, qint64 now) {
    if (session.bucket.tryTake(now)) {
        return true;
    }
    if (session.floodStartMs == 0 || now - session.lastRejectionMs > kFloodGapMs) {
        session.floodStartMs = now;
    }
    session.lastRejectionMs = now;
    if (now - session.floodStartMs >= kFloodCloseMs) {
        close(session, protocol::CloseCode::PolicyViolation, u"rate limit exceeded"_s,
              DisconnectReason::RateLimited);
    }
    return false;
}

void SessionWorker::onText(quint64 key, const QString &text) {
    auto found = m_sessions.find(key);
    if (found == m_sessions.end() || found->second.closing) {
        return;
    }
    handleFrame(found->second, text);
}

void SessionWorker::handleFrame(Session &session, const QString &text) {
    const qint64 now = nowMs();
    session.lastActivityMs = now;

    const auto decoded = protocol::decodeClientFrame(text.toUtf8());
    if (!decoded.ok() && decoded.error().kind == protocol::DecodeError::Kind::NotAnObject) {
        close(session, protocol::CloseCode::PolicyViolation, u"frame is not a JSON object"_s,
              DisconnectReason::ProtocolError);
        return;
    }
    // Every frame counts against the rate, valid or not; decoding first lets the error name the
    // request the client should retry.
    if (!takeRateToken(session, now)) {
        if (session.closing) {
            return;
        }
        const auto *message =
            decoded.ok() ? std::get_if<protocol::SendMessage>(&decoded.value()) : nullptr;
        sendError(session, protocol::ErrorCode::RateLimited,
                  u"more than %1 messages per second; message dropped"_s.arg(m_limits.rateLimit),
                  message        ? message->requestId
                  : decoded.ok() ? std::nullopt
                                 : decoded.error().requestId);
        return;
    }
    if (!decoded.ok()) {
        sendError(session, protocol::ErrorCode::InvalidMessage, decoded.error().message,
                  decoded.error().requestId);
        return;
    }

    // Membership of an account is checked by the store, in the transaction that acts on it.
    const QString &userId = session.identity.user.id;
    auto admitted = [&](const QString &chatId, access::Action action,
                        const std::optional<QString> &requestId) {
        switch (access::forSession(session.identity.user.guest, chatId, action)) {
        case access::Decision::Refuse:
            sendError(session, protocol::ErrorCode::Forbidden,
                      u"you are not a member of that chat"_s, requestId);
            return false;
        case access::Decision::Ignore:
            return false;
        case access::Decision::Allow:
        case access::Decision::CheckMembership:
            break;
        }
        return true;
    };
    const protocol::ClientFrame &frame = decoded.value();
    if (const auto *message = std::get_if<protocol::SendMessage>(&frame)) {
        const QString chatId = message->chatId.value_or(QString(protocol::kLobbyId));
        if (!admitted(chatId, access::Action::Send, message->requestId)) {
            return;
        }
        Q_EMIT submitted(Submission{session.identity.key,
                                    NewMessageRecord{chatId, userId, session.identity.user.username,
                                                     message->text, message->requestId,
                                                     message->replyToId, message->attachmentIds}});
    } else if (const auto *sync = std::get_if<protocol::SyncRequest>(&frame)) {
        if (!admitted(sync->chatId, access::Action::Sync, std::nullopt)) {
            return;
        }
        startSync(session, *sync);
    } else if (const auto *typing = std::get_if<protocol::TypingUpdate>(&frame)) {
        if (!admitted(typing->chatId, access::Action::Typing, std::nullopt)) {
            return;
        }
        handleTyping(session, *typing);
    } else {
        const auto &read = std::get<protocol::MarkRead>(frame);
        if (!admitted(read.chatId, access::Action::Read, std::nullopt)) {
            return;
        }
        ChatSignal signal;
        signal.kind = ChatSignal::Kind::Read;
        signal.sessionKey = session.identity.key;
        signal.userId = userId;
        signal.chatId = read.chatId;
        signal.messageId = read.messageId;
        Q_EMIT chatSignalled(signal);
    }
}

void SessionWorker::handleTyping(Session &session, const protocol::TypingUpdate &typing) {
    const qint64 now = nowMs();
    Session::Typing &last = session.typing[typing.chatId];
    const bool repeat = last.relayedAtMs != 0 && last.isTyping == typing.isTyping;
    if (repeat && (!typing.isTyping || now - last.relayedAtMs < kTypingRelayPeriodMs)) {
        return;
    }
    last = Session::Typing{typing.isTyping, now};
    ChatSignal signal;
    signal.kind = ChatSignal::Kind::Typing;
    signal.sessionKey = session.identity.key;
    signal.userId = session.identity.user.id;
    signal.chatId = typing.chatId;
    signal.isTyping = typing.isTyping;
    Q_EMIT chatSignalled(signal);
}

void SessionWorker::startSync(Session &session, const protocol::SyncRequest &sync) {
    if (session.syncs.size() >= kMaxQueuedSyncs) {
        sendError(session, protocol::ErrorCode::RateLimited,
                  u"too many syncs waiting; send it again when one is done"_s, std::nullopt);
        return;
    }
    session.syncs.push_back(Session::Sync{sync.chatId, sync.afterSeq, sync.afterModSeq, false,
                                          sync.afterSeq, sync.afterModSeq.value_or(0)});
    if (session.syncs.size() == 1) {
        pumpReplay(session);
    }
}

void SessionWorker::takeSyncPage(Session &session, const DeliveryPtr &delivery) {
    if (session.syncs.empty() || !session.pageRequested) {
        return;
    }
    session.pageRequested = false;
    if (delivery->syncPage->failed) {
        // The error says why; the next sync goes on.
        for (const QByteArray &frame : delivery->originFrames) {
            send(session, frame);
        }
        session.syncs.pop_front();
        session.replayed = 0;
        session.pages = 0;
        session.pageHadMore = false;
        if (!session.closing) {
            pumpReplay(session);
        }
        return;
    }
    session.replayFrames.insert(session.replayFrames.end(), delivery->originFrames.cbegin(),
                                delivery->originFrames.cend());
    session.replayed += static_cast<int>(delivery->originFrames.size());
    ++session.pages;
    session.pageHadMore = delivery->syncPage->hasMore;
    Session::Sync &sync = session.syncs.front();
    const SyncPage &page = *delivery->syncPage;
    if (page.last >= 0) {
        sync.after = page.last;
    }
    // A page that is not cut holds everything up to the chat's counter as it was read.
    qint64 &reached = sync.changes ? sync.modSeqReached : sync.seqReached;
    reached =
        std::max(reached, page.hasMore ? sync.after
                                       : (sync.changes ? page.chatLastModSeq : page.chatLastSeq));
    pumpReplay(session);
}

void SessionWorker::pumpReplay(Session &session) {
    session.socket->reportWrites(false);
    while (!session.closing && !session.syncs.empty() && !session.pageRequested) {
        while (!session.replayFrames.empty() && session.socket->unsentBytes() < kReplayPaceBytes &&
               !session.closing) {
            send(session, session.replayFrames.front());
            session.replayFrames.pop_front();
        }
        if (!session.replayFrames.empty() || session.closing) {
            // The rest when the socket has drained.
            session.socket->reportWrites(!session.closing);
            return;
        }
        Session::Sync &sync = session.syncs.front();
        const bool full = session.replayed >= kSyncLimit;
        if (session.pages == 0 || (session.pageHadMore && !full)) {
            session.pageRequested = true;
            Q_EMIT syncRequested(SyncSubmission{
                session.identity.key, session.identity.user.id, sync.chatId, sync.changes,
                sync.after, std::min(kSyncPage, kSyncLimit - session.replayed)});
            return;
        }
        // Every missed message is written: the changes made meanwhile come next (CONTRACT §9).
        if (!sync.changes && sync.afterModSeq && !session.pageHadMore && !full) {
            sync.changes = true;
            sync.after = *sync.afterModSeq;
            session.pages = 0;
            continue;
        }
        // Changes not replayed yet (the limit came first) are more for the client to ask.
        const bool changesLeft = !sync.changes && sync.afterModSeq.has_value();
        send(session, wireFrame(protocol::SyncDone{
                          sync.chatId, session.pageHadMore || changesLeft, sync.seqReached,
                          sync.afterModSeq ? std::optional(sync.modSeqReached) : std::nullopt}));
        session.syncs.pop_front();
        session.replayed = 0;
        session.pages = 0;
        session.pageHadMore = false;
    }
}

void SessionWorker::deliver(const DeliveryPtr &delivery) {
    if (delivery->syncPage) {
        if (auto origin = m_sessions.find(delivery->originSession); origin != m_sessions.end()) {
            takeSyncPage(origin->second, delivery);
        }
        return;
    }
    quint64 written = 0;
    if (auto origin = m_sessions.find(delivery->originSession); origin != m_sessions.end()) {
        for (const QByteArray &frame : delivery->originFrames) {
            if (origin->second.closing) {
                break;
            }
            send(origin->second, frame);
        }
    }
    if (delivery->fanOutFrame.isEmpty()) {
        return;
    }
    if (delivery->toEveryone) {
        for (auto &[key, session] : m_sessions) {
            if (key != delivery->originSession && !session.closing) {
                send(session, delivery->fanOutFrame);
                ++written;
            }
        }
    } else {
        for (const QString &userId : delivery->recipientIds) {
            for (auto key = m_sessionsByUser.constFind(userId);
                 key != m_sessionsByUser.cend() && key.key() == userId; ++key) {
                auto found = m_sessions.find(key.value());
                if (key.value() != delivery->originSession && found != m_sessions.end() &&
                    !found->second.closing) {
                    send(found->second, delivery->fanOutFrame);
                    ++written;
                }
            }
        }
    }
    m_metrics.messagesOut(written);
    if (written > 0) {
        // Held until after the flush turn its frames joined (queued before this call), where
        // the delivery's time, chat_message_delivery_seconds, ends.
        QMetaObject::invokeMethod(
            this, [held = delivery] {}, Qt::QueuedConnection);
    }
}

void SessionWorker::send(Session &session, const QByteArray &frame) {
    session.socket->sendFrame(frame);
    dropIfSlow(session);
}

bool SessionWorker::dropIfSlow(Session &session) {
    auto over = [&] {
        return session.socket->unsentFrames() > m_limits.sendBuffer ||
               session.socket->unsentBytes() > m_limits.sendBufferBytes;
    };
    if (!over()) {
        return false;
    }
    // Deliveries handled in one pass of the event loop pile up before the flush turn; only what
    // the kernel will not take either makes a peer slow.
    session.socket->flush();
    if (!over()) {
        return false;
    }
    m_metrics.dropped();
    qCWarning(lcWs).noquote()
        << u"session %1 is not reading: %2 messages, %3 bytes queued; dropping it"_s.arg(
               session.identity.sessionId, QString::number(session.socket->unsentFrames()),
               QString::number(session.socket->unsentBytes()));
    close(session, protocol::CloseCode::TryAgainLater, u"too slow: send queue is full"_s,
          DisconnectReason::SlowConsumer);
    return true;
}

void SessionWorker::sendError(Session &session, QLatin1StringView code, const QString &message,
                              const std::optional<QString> &requestId) {
    send(session, wireFrame(protocol::ErrorFrame{QString(code), message, requestId}));
}

void SessionWorker::close(Session &session, protocol::CloseCode code, const QString &reason,
                          DisconnectReason why) {
    if (session.closing) {
        return;
    }
    session.closing = true;
    session.closeReason = why;
    WsConnection *socket = session.socket;
    socket->close(static_cast<quint16>(code), reason);
    QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
}

void SessionWorker::onDisconnected(quint64 key) {
    auto found = m_sessions.find(key);
    if (found == m_sessions.end()) {
        return;
    }
    Session &session = found->second;
    DisconnectReason reason = session.closeReason;
    if (!session.closing) {
        // The connection closes by itself on an oversized message (1009), bad UTF-8 (1007) and
        // frames that break RFC 6455 (1002).
        const quint16 closeCode = session.socket->closeCode();
        const auto error = session.socket->socketError();
        reason = closeCode == ws::close::kTooBig ? DisconnectReason::TooLarge
                 : closeCode == ws::close::kInvalidPayload ||
                         (closeCode == ws::close::kProtocolError && session.socket->closeSent())
                     ? DisconnectReason::ProtocolError
                 : error != QAbstractSocket::RemoteHostClosedError &&
                         error != QAbstractSocket::UnknownSocketError
                     ? DisconnectReason::NetworkError
                     : DisconnectReason::ClientClosed;
    }
    qCInfo(lcWs).noquote() << u"session %1 closed: reason=%2 code=%3"_s.arg(
        session.identity.sessionId, QLatin1StringView(disconnectReasonName(reason)),
        QString::number(session.socket->closeCode()));
    m_metrics.clientLeft(reason);
    if (!session.identity.user.guest) {
        // Whoever saw this session typing learns that it stopped.
        for (auto typing = session.typing.cbegin(); typing != session.typing.cend(); ++typing) {
            if (typing->isTyping) {
                ChatSignal signal;
                signal.sessionKey = key;
                signal.userId = session.identity.user.id;
                signal.chatId = typing.key();
                Q_EMIT chatSignalled(signal);
            }
        }
        m_sessionsByUser.remove(session.identity.user.id, key);
        Q_EMIT accountSessionEnded(session.identity.user.id);
    }
    session.socket->deleteLater();
    m_sessions.erase(found);
    if (m_sessions.empty()) {
        m_sweepTimer.stop();
        if (m_shuttingDown) {
            Q_EMIT drained();
        }
    }
}

void SessionWorker::applyLimits(const RuntimeLimits &limits) {
    m_limits = limits;
    for (auto &[key, session] : m_sessions) {
        session.bucket.reconfigure(limits.rateLimit, 2.0 * limits.rateLimit);
        session.socket->setMaxMessageBytes(limits.msgMaxBytes);
    }
    if (m_sweepTimer.isActive()) {
        restartSweepTimer();
    }
}

void SessionWorker::closeAll() {
    m_shuttingDown = true;
    if (m_sessions.empty()) {
        Q_EMIT drained();
        return;
    }
    for (auto &[key, session] : m_sessions) {
        close(session, protocol::CloseCode::GoingAway, u"server shutting down"_s,
              DisconnectReason::Shutdown);
    }
}

void SessionWorker::abortAll() {
    for (auto &[key, session] : m_sessions) {
        session.socket->abort();
    }
}

void SessionWorker::restartSweepTimer() {
    // Often enough to keep the ping and idle deadlines to a quarter of their period.
    const qint64 period = std::min<qint64>(
        {1000, m_limits.pingInterval.count() / 4, m_limits.idleTimeout.count() / 4});
    m_sweepTimer.start(static_cast<int>(std::max<qint64>(10, period)));
}

void SessionWorker::sweep() {
    const qint64 now = nowMs();
    const qint64 pingMs = m_limits.pingInterval.count();
    for (auto &[key, session] : m_sessions) {
        if (session.closing) {
            continue;
        }
        if (now - session.lastActivityMs >= m_limits.idleTimeout.count()) {
            close(session, protocol::CloseCode::GoingAway, u"idle timeout"_s,
                  DisconnectReason::IdleTimeout);
        } else if (session.pingOutstandingSinceMs != 0 &&
                   now - session.pingOutstandingSinceMs >= 2 * pingMs) {
            close(session, protocol::CloseCode::GoingAway, u"no pong within two ping periods"_s,
                  DisconnectReason::PongTimeout);
        } else if (now - session.lastPingMs >= pingMs) {
            session.lastPingMs = now;
            if (session.pingOutstandingSinceMs == 0) {
                session.pingOutstandingSinceMs = now;
            }
            session.socket->ping();
        }
    }
}

} // namespace neonchat::server
