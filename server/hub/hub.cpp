// SPDX-License-Identifier: MIT
#include "hub.h"

#include "auth/access.h"
#include "obs/log.h"
#include "protocol/codec.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

QStringList othersThan(QStringList members, const QString &userId) {
    members.removeAll(userId);
    return members;
}

// Sets the delivery's fan-out frame; returns the frame's JSON, for the other instances.
QByteArray setFanOutFrame(Delivery &delivery, const protocol::ServerFrame &frame) {
    QByteArray json = protocol::encode(frame);
    delivery.fanOutFrame = ws::encodeFrame(ws::Opcode::Text, json);
    return json;
}

// Messages of a gap are read this many at a time.
constexpr int kGapPage = 500;

} // namespace

Hub::Hub(ChatStore &store, Metrics &metrics, OnlineUsers &online, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics)
    , m_online(online) {
    qRegisterMetaType<DeliveryPtr>();
    qRegisterMetaType<Submission>();
    qRegisterMetaType<SyncSubmission>();
    qRegisterMetaType<ChatSignal>();
    qRegisterMetaType<ChangeNotice>();
}

void Hub::submit(const Submission &submission) {
    m_store.append(
        submission.record, this,
        [this, submission](const Outcome<AppendOutcome> &result) { stored(submission, result); });
}

void Hub::stored(const Submission &submission, const Outcome<AppendOutcome> &result) {
    const std::optional<QString> &requestId = submission.record.requestId;
    auto delivery = std::make_shared<Delivery>();
    delivery->chatId = submission.record.chatId;
    delivery->originSession = submission.sessionKey;
    if (const auto *failure = std::get_if<Failure>(&result)) {
        if (failure->kind == FailureKind::Forbidden || failure->kind == FailureKind::Invalid) {
            delivery->originFrames.append(
                wireFrame(protocol::ErrorFrame{QString(failure->kind == FailureKind::Forbidden
                                                           ? protocol::ErrorCode::Forbidden
                                                           : protocol::ErrorCode::InvalidMessage),
                                               failure->message, requestId}));
        } else {
            qCWarning(lcHub) << "storing a message failed:" << failure->message;
            m_metrics.messageSent(delivery->chatId == protocol::kLobbyId
                                      ? std::optional(protocol::ChatKind::Lobby)
                                      : std::nullopt,
                                  SendStatus::Failed);
            delivery->originFrames.append(wireFrame(protocol::ErrorFrame{
                QString(protocol::ErrorCode::Internal),
                u"the message could not be stored; it was not sent"_s, requestId}));
        }
        Q_EMIT delivered(delivery);
        return;
    }
    const auto &outcome = std::get<AppendOutcome>(result);
    delivery->originFrames.append(wireFrame(protocol::MessageSent{requestId, outcome.message}));
    m_metrics.messageSent(outcome.audience.kind,
                          outcome.duplicate ? SendStatus::Duplicate : SendStatus::Delivered);
    if (outcome.duplicate) {
        Q_EMIT delivered(delivery);
        return;
    }
    m_metrics.messageIn();
    const QByteArray json = setFanOutFrame(*delivery, protocol::NewMessage{outcome.message});
    delivery->toEveryone = outcome.audience.kind == protocol::ChatKind::Lobby;
    delivery->recipientIds = outcome.audience.memberIds;
    delivery->receivedAt = submission.receivedAt;
    delivery->deliverySeconds = &m_metrics.deliverySeconds();
    fanOut(delivery, json, outcome.message.seq);
}

void Hub::fanOut(const std::shared_ptr<Delivery> &delivery, const QByteArray &frameJson,
                 qint64 seq) {
    if (!m_peers) {
        Q_EMIT delivered(delivery);
        return;
    }
    ClusterEvent event;
    event.chatId = delivery->chatId;
    event.seq = seq;
    event.toEveryone = delivery->toEveryone;
    event.recipientIds = delivery->recipientIds;
    event.frameJson = frameJson;
    m_peers->publish(std::move(event));
    if (seq == 0) {
        Q_EMIT delivered(delivery);
        return;
    }
    // The sender's answer goes now; the fan-out takes its place in the chat's seq order.
    if (!delivery->originFrames.isEmpty()) {
        auto answer = std::make_shared<Delivery>();
        answer->chatId = delivery->chatId;
        answer->originSession = delivery->originSession;
        answer->originFrames = std::exchange(delivery->originFrames, {});
        Q_EMIT delivered(answer);
    }
    sequence(delivery->chatId, seq, delivery);
}

void Hub::joinCluster(Peers &peers, const ChatSeqs &seqs) {
    m_peers = &peers;
    for (const auto &[chatId, lastSeq] : seqs) {
        m_sequencer.setDelivered(chatId, lastSeq);
    }
    connect(&peers, &Peers::received, this, &Hub::receivedFromCluster);
    connect(&peers, &Peers::listening, this, &Hub::heal);
    connect(&peers, &Peers::othersMissedEvents, this, &Hub::heal);
    connect(&peers, &Peers::presenceChanged, this, &Hub::clusterPresenceChanged);
    connect(&peers, &Peers::presenceRead, this, &Hub::clusterPresenceRead);
    QMetaObject::invokeMethod(&peers, &Peers::open, Qt::QueuedConnection);
}

void Hub::sequence(const QString &chatId, qint64 seq, DeliveryPtr delivery) {
    apply(m_sequencer.arrived(chatId, seq, std::move(delivery)));
}

void Hub::apply(ChatSequencer<DeliveryPtr>::Actions actions) {
    for (const DeliveryPtr &delivery : actions.deliver) {
        Q_EMIT delivered(delivery);
    }
    if (actions.read) {
        readGap(*actions.read);
    }
}

void Hub::readGap(const GapRead &read) {
    m_store.relayPage(read.chatId, read.afterSeq, read.upToSeq, kGapPage, this,
                      [this, chatId = read.chatId](const Outcome<RelayPage> &outcome) {
                          const auto *relay = std::get_if<RelayPage>(&outcome);
                          if (!relay) {
                              qCWarning(lcHub).noquote()
                                  << u"reading missed messages of chat %1 failed: %2"_s.arg(
                                         chatId, std::get<Failure>(outcome).message);
                              apply(m_sequencer.filled(chatId, {}, true));
                              return;
                          }
                          QList<std::pair<qint64, DeliveryPtr>> page;
                          for (const protocol::ChatMessage &message : relay->messages) {
                              auto delivery = std::make_shared<Delivery>();
                              delivery->chatId = chatId;
                              delivery->fanOutFrame = wireFrame(protocol::NewMessage{message});
                              delivery->toEveryone =
                                  relay->audience.kind == protocol::ChatKind::Lobby;
                              delivery->recipientIds = relay->audience.memberIds;
                              page.append({message.seq, std::move(delivery)});
                          }
                          apply(m_sequencer.filled(chatId, page));
                      });
}

void Hub::heal() {
    m_store.lastSeqs(this, [this](const Outcome<ChatSeqs> &outcome) {
        const auto *seqs = std::get_if<ChatSeqs>(&outcome);
        if (!seqs) {
            qCWarning(lcHub).noquote()
                << u"reading the chats' last seq failed: %1; again in 1 s"_s.arg(
                       std::get<Failure>(outcome).message);
            QTimer::singleShot(1000, this, &Hub::heal);
            return;
        }
        for (const auto &[chatId, lastSeq] : *seqs) {
            apply(m_sequencer.heal(chatId, lastSeq));
        }
    });
}

void Hub::receivedFromCluster(const ClusterEvent &event) {
    auto delivery = std::make_shared<Delivery>();
    delivery->chatId = event.chatId;
    delivery->fanOutFrame = ws::encodeFrame(ws::Opcode::Text, event.frameJson);
    delivery->toEveryone = event.toEveryone;
    delivery->recipientIds = event.recipientIds;
    if (event.seq > 0) {
        sequence(event.chatId, event.seq, std::move(delivery));
    } else {
        Q_EMIT delivered(delivery);
    }
}

void Hub::sync(const SyncSubmission &request) {
    m_store.replay(
        ReplayQuery{request.userId, request.chatId, request.changes, request.after,
                    request.limit + 1},
        this, [this, request](const Outcome<ReplayPage> &result) {
            auto delivery = std::make_shared<Delivery>();
            delivery->chatId = request.chatId;
            delivery->originSession = request.sessionKey;
            SyncPage page{request.chatId, false, -1, false};
            if (const auto *failure = std::get_if<Failure>(&result)) {
                page.failed = true;
                const bool forbidden = failure->kind == FailureKind::Forbidden;
                if (!forbidden) {
                    qCWarning(lcHub) << "reading messages for sync failed:" << failure->message;
                }
                delivery->originFrames.append(wireFrame(protocol::ErrorFrame{
                    QString(forbidden ? protocol::ErrorCode::Forbidden
                                      : protocol::ErrorCode::Internal),
                    forbidden ? failure->message
                              : u"the history could not be read; try sync again"_s,
                    std::nullopt}));
            } else {
                const auto &read = std::get<ReplayPage>(result);
                const qsizetype count = std::min<qsizetype>(read.messages.size(), request.limit);
                for (qsizetype i = 0; i < count; ++i) {
                    const protocol::ChatMessage &message = read.messages[i];
                    delivery->originFrames.append(request.changes
                                                      ? wireFrame(protocol::MessageUpdated{message})
                                                      : wireFrame(protocol::NewMessage{message}));
                }
                page.hasMore = read.messages.size() > request.limit;
                if (count > 0) {
                    const protocol::ChatMessage &last = read.messages[count - 1];
                    page.last = request.changes ? last.modSeq : last.seq;
                }
                page.chatLastSeq = read.lastSeq;
                page.chatLastModSeq = read.lastModSeq;
            }
            delivery->syncPage = page;
            Q_EMIT delivered(delivery);
        });
}

void Hub::announceChange(const ChangeNotice &notice) {
    const MessageChange &change = notice.change;
    auto delivery = std::make_shared<Delivery>();
    delivery->chatId = change.message.chatId;
    const QByteArray json = setFanOutFrame(*delivery, protocol::MessageUpdated{change.message});
    delivery->toEveryone = change.audience.kind == protocol::ChatKind::Lobby;
    delivery->recipientIds = change.audience.memberIds;
    fanOut(delivery, json);
}

void Hub::relay(const ChatSignal &signal) {
    if (signal.kind == ChatSignal::Kind::Typing) {
        relayTyping(signal);
    } else {
        relayRead(signal);
    }
}

void Hub::relayTyping(const ChatSignal &signal) {
    m_store.audienceFor(
        signal.userId, signal.chatId, this, [this, signal](const Outcome<ChatAudience> &audience) {
            if (const auto *failure = std::get_if<Failure>(&audience)) {
                if (failure->kind != FailureKind::Internal) {
                    sendError(signal.sessionKey, protocol::ErrorCode::Forbidden,
                              u"you are not a member of that chat"_s);
                }
                return;
            }
            const auto &members = std::get<ChatAudience>(audience);
            if (!access::relaysToMembers(members.kind)) {
                return;
            }
            auto delivery = std::make_shared<Delivery>();
            delivery->chatId = signal.chatId;
            delivery->originSession = signal.sessionKey;
            const QByteArray json = setFanOutFrame(
                *delivery, protocol::TypingNotice{signal.chatId, signal.userId, signal.isTyping});
            delivery->recipientIds = othersThan(members.memberIds, signal.userId);
            fanOut(delivery, json);
        });
}

void Hub::relayRead(const ChatSignal &signal) {
    m_store.markRead(
        signal.userId, signal.chatId, signal.messageId, this,
        [this, signal](const Outcome<ReadMark> &mark) {
            if (const auto *failure = std::get_if<Failure>(&mark)) {
                switch (failure->kind) {
                case FailureKind::Invalid:
                    sendError(signal.sessionKey, protocol::ErrorCode::InvalidMessage,
                              failure->message);
                    break;
                case FailureKind::Internal:
                    sendError(signal.sessionKey, protocol::ErrorCode::Internal,
                              u"the read marker could not be stored"_s);
                    break;
                default:
                    sendError(signal.sessionKey, protocol::ErrorCode::Forbidden,
                              u"you are not a member of that chat"_s);
                }
                return;
            }
            const auto &read = std::get<ReadMark>(mark);
            // Receipts go to the other members when the marker moved.
            if (!read.moved || !access::relaysToMembers(read.audience.kind)) {
                return;
            }
            auto delivery = std::make_shared<Delivery>();
            delivery->chatId = signal.chatId;
            delivery->originSession = signal.sessionKey;
            const QByteArray json = setFanOutFrame(
                *delivery, protocol::ReadReceipt{signal.chatId, signal.userId, signal.messageId});
            delivery->recipientIds = othersThan(read.audience.memberIds, signal.userId);
            fanOut(delivery, json);
        });
}

void Hub::accountSessionStarted(const QString &userId) {
    if (++m_sessionsPerUser[userId] != 1) {
        return;
    }
    m_online.setOnline(userId, true);
    if (m_peers) {
        m_peers->accountArrived(userId); // announced if no other instance had the account
    } else {
        announcePresence(userId, true);
    }
}

void Hub::accountSessionEnded(const QString &userId) {
    auto found = m_sessionsPerUser.find(userId);
    if (found == m_sessionsPerUser.end() || --found.value() > 0) {
        return;
    }
    m_sessionsPerUser.erase(found);
    if (m_peers) {
        m_peers->accountDeparted(userId); // offline once no other instance has the account
        return;
    }
    m_online.setOnline(userId, false);
    announcePresence(userId, false);
}

void Hub::clusterPresenceChanged(const QString &userId, bool online, bool announce) {
    // A session here outranks what Redis last said (it may have counted this instance gone).
    m_online.setOnline(userId, online || m_sessionsPerUser.contains(userId));
    if (announce) {
        announcePresence(userId, online);
    }
}

void Hub::clusterPresenceRead(const QStringList &userIds) {
    QSet<QString> online(userIds.cbegin(), userIds.cend());
    for (auto user = m_sessionsPerUser.cbegin(); user != m_sessionsPerUser.cend(); ++user) {
        online.insert(user.key());
    }
    m_online.replaceAll(std::move(online));
}

void Hub::announcePresence(const QString &userId, bool online) {
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    // A failure is logged where it happens; presence is announced all the same.
    m_store.touchLastSeen(userId, nowMs, this, [](const Outcome<Done> &) {});
    m_store.contactsOf(
        userId, this, [this, userId, online, nowMs](const Outcome<QStringList> &contacts) {
            if (!succeeded(contacts) || std::get<QStringList>(contacts).isEmpty()) {
                return;
            }
            auto delivery = std::make_shared<Delivery>();
            const QByteArray json = setFanOutFrame(
                *delivery,
                protocol::Presence{online, userId, QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)});
            delivery->recipientIds = std::get<QStringList>(contacts);
            fanOut(delivery, json);
        });
}

void Hub::sendError(quint64 sessionKey, QLatin1StringView code, const QString &message) {
    auto delivery = std::make_shared<Delivery>();
    delivery->originSession = sessionKey;
    delivery->originFrames.append(
        wireFrame(protocol::ErrorFrame{QString(code), message, std::nullopt}));
    Q_EMIT delivered(delivery);
}

} // namespace neonchat::server
