// SPDX-License-Identifier: MIT
// The hub: takes checked messages from every session worker, has them stored, and once stored
// serialises each outgoing frame once and hands it to every worker in one queued signal.
#pragma once

#include "delivery.h"
#include "obs/metrics.h"
#include "store/messagestore.h"

#include <QObject>

namespace neonchat::server {

class Hub : public QObject {
    Q_OBJECT
public:
    Hub(MessageStore &store, Metrics &metrics, QObject *parent = nullptr);

    // Most messages a sync request replays before sync_done says has_more.
    static constexpr int kSyncBatch = 1000;

public Q_SLOTS:
    void submit(const neonchat::server::Submission &submission);
    void sync(const neonchat::server::SyncSubmission &request);

Q_SIGNALS:
    void delivered(const neonchat::server::DeliveryPtr &delivery);

private:
    // The store's answer to a submission: ack or error for the sender, the fan-out frame for the
    // rest.
    void stored(const Submission &submission, const AppendResult &result);

    MessageStore &m_store;
    Metrics &m_metrics;
};

} // namespace neonchat::server
