// SPDX-License-Identifier: MIT
// What the hub hands to the session workers: frames serialised once, shared by every receiver.
#pragma once

#include "store/messagestore.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

namespace neonchat::server {

class SessionWorker;

struct Delivery {
    QString chatId;
    quint64 originSession = 0; // the session that caused it; 0 when none
    QStringList originFrames;  // sent to the origin session only, in order (ack, sync, error)
    QString fanOutFrame;       // sent to every other session in the chat; empty: none
};

using DeliveryPtr = std::shared_ptr<const Delivery>;

// A client's message, checked by its session, on its way to the hub.
struct Submission {
    quint64 sessionKey = 0;
    NewMessageRecord record;
};

struct SyncSubmission {
    quint64 sessionKey = 0;
    QString chatId;
    qint64 afterSeq = 0;
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::DeliveryPtr)
Q_DECLARE_METATYPE(neonchat::server::Submission)
Q_DECLARE_METATYPE(neonchat::server::SyncSubmission)
