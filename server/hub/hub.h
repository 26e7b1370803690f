// SPDX-License-Identifier: MIT
// The hub: takes checked messages from every session worker, has them stored, and once stored
// serialises each outgoing frame once and hands it to every worker in one queued signal. It also
// relays the ephemeral signals (typing, read receipts, presence) to the members they concern.
#pragma once

#include "delivery.h"
#include "obs/metrics.h"
#include "onlineusers.h"
#include "store/sqlstore.h"

#include <QHash>
#include <QObject>

namespace neonchat::server {

class Hub : public QObject {
    Q_OBJECT
public:
    Hub(SqlStore &store, Metrics &metrics, OnlineUsers &online, QObject *parent = nullptr);

public Q_SLOTS:
    void submit(const neonchat::server::Submission &submission);
    void sync(const neonchat::server::SyncSubmission &request);
    void relay(const neonchat::server::ChatSignal &signal);
    // An account's session opened or closed on some worker.
    void accountSessionStarted(const QString &userId);
    void accountSessionEnded(const QString &userId);

Q_SIGNALS:
    void delivered(const neonchat::server::DeliveryPtr &delivery);

private:
    // The store's answer to a submission: ack or error for the sender, the fan-out frame for the
    // rest.
    void stored(const Submission &submission, const AppendResult &result);
    void relayTyping(const ChatSignal &signal);
    void relayRead(const ChatSignal &signal);
    void announcePresence(const QString &userId, bool online);
    void sendError(quint64 sessionKey, QLatin1StringView code, const QString &message);

    SqlStore &m_store;
    Metrics &m_metrics;
    OnlineUsers &m_online;
    QHash<QString, int> m_sessionsPerUser;
};

} // namespace neonchat::server
