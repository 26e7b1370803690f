// SPDX-License-Identifier: MIT
// The hub: takes checked messages from every session worker, has them stored, and once stored
// serialises each outgoing frame once and hands it to every worker in one queued signal. It also
// relays the ephemeral signals (typing, read receipts, presence) to the members they concern.
#pragma once

#include "cluster/chatsequencer.h"
#include "delivery.h"
#include "obs/metrics.h"
#include "onlineusers.h"
#include "peers.h"
#include "store/chatstore.h"

#include <QHash>
#include <QObject>

namespace neonchat::server {

class Hub : public QObject {
    Q_OBJECT
public:
    Hub(ChatStore &store, Metrics &metrics, OnlineUsers &online, QObject *parent = nullptr);

    // Shares fan-out with the other instances of a cluster through peers (a child of the hub,
    // opened on the hub's thread). Each chat's last seq in seqs counts as delivered: read before
    // any session could start. Before the hub's thread starts.
    void joinCluster(Peers &peers, const ChatSeqs &seqs);

public Q_SLOTS:
    void submit(const neonchat::server::Submission &submission);
    void sync(const neonchat::server::SyncSubmission &request);
    void relay(const neonchat::server::ChatSignal &signal);
    // Sends message_updated to every session of the chat's members, here and on other instances.
    void announceChange(const neonchat::server::ChangeNotice &notice);
    // An account's session opened or closed on some worker.
    void accountSessionStarted(const QString &userId);
    void accountSessionEnded(const QString &userId);

Q_SIGNALS:
    void delivered(const neonchat::server::DeliveryPtr &delivery);

private:
    // The store's answer to a submission: ack or error for the sender, the fan-out frame for the
    // rest.
    void stored(const Submission &submission, const Outcome<AppendOutcome> &result);
    void relayTyping(const ChatSignal &signal);
    void relayRead(const ChatSignal &signal);
    void announcePresence(const QString &userId, bool online);
    void sendError(quint64 sessionKey, QLatin1StringView code, const QString &message);
    // The fan-out part of a delivery, to local sessions and, in a cluster, to the other
    // instances. frameJson is the frame's JSON (fanOutFrame is its WebSocket frame).
    void fanOut(const std::shared_ptr<Delivery> &delivery, const QByteArray &frameJson,
                qint64 seq = 0);

    // In a cluster: every stored message goes through the sequencer, so sessions get each chat's
    // messages in seq order once each, whichever instance stored them.
    void sequence(const QString &chatId, qint64 seq, DeliveryPtr delivery);
    void apply(ChatSequencer<DeliveryPtr>::Actions actions);
    void readGap(const GapRead &read);
    // Subscribed (again): whatever was stored while this instance was not listening is read.
    void heal();
    void receivedFromCluster(const ClusterEvent &event);
    void clusterPresenceChanged(const QString &userId, bool online, bool announce);
    void clusterPresenceRead(const QStringList &userIds);

    Peers *m_peers = nullptr;
    ChatSequencer<DeliveryPtr> m_sequencer;

    ChatStore &m_store;
    Metrics &m_metrics;
    OnlineUsers &m_online;
    QHash<QString, int> m_sessionsPerUser;
};

} // namespace neonchat::server
