// SPDX-License-Identifier: MIT
// What the hub hands to the session workers: frames serialised once, shared by every receiver.
#pragma once

#include "net/wsframing.h"
#include "obs/histogram.h"
#include "protocol/codec.h"
#include "store/chatstore.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

namespace neonchat::server {

class SessionWorker;

using SteadyTime = std::chrono::steady_clock::time_point;

// One page of a sync replay, read for the session that asked (the worker paces the pages and
// ends the replay with sync_done).
struct SyncPage {
    QString chatId;
    bool hasMore = false; // more messages (or changes) are stored after this page
    qint64 last = -1;     // seq (mod_seq for changes) of the page's last message; -1: empty
    bool failed = false;  // the replay cannot go on; originFrames holds the error
    // The chat's counters when the page was read, for sync_done.
    qint64 chatLastSeq = 0;
    qint64 chatLastModSeq = 0;
};

// A server frame as it goes on the wire: its JSON in one WebSocket text frame. Encoded once by
// whoever makes it; every receiver's socket gets the same bytes.
[[nodiscard]] inline QByteArray wireFrame(const protocol::ServerFrame &frame) {
    return ws::encodeFrame(ws::Opcode::Text, protocol::encode(frame));
}

struct Delivery {
    Delivery() = default;
    Delivery(const Delivery &) = delete;
    Delivery &operator=(const Delivery &) = delete;
    // Every worker holds the delivery until it has written it to its sessions, so it is released
    // at the last fan-out write: the end of chat_message_delivery_seconds.
    ~Delivery() {
        if (deliverySeconds) {
            deliverySeconds->observe(std::chrono::steady_clock::now() - receivedAt);
        }
    }

    QString chatId;
    quint64 originSession = 0; // the session that caused it; 0 when none
    // Frames as they go on the wire (wireFrame), encoded once whatever the number of receivers.
    QList<QByteArray> originFrames;       // to the origin session only, in order (ack, sync, error)
    QByteArray fanOutFrame;               // to every other session of the recipients; empty: none
    bool toEveryone = false;              // the lobby: every session receives fanOutFrame
    QStringList recipientIds;             // otherwise: the users whose sessions receive it
    SteadyTime receivedAt;                // when the session read the message
    Histogram *deliverySeconds = nullptr; // set for a new message's fan-out
    std::optional<SyncPage> syncPage;     // set for a page of a sync replay
};

using DeliveryPtr = std::shared_ptr<const Delivery>;

// A client's message, checked by its session, on its way to the hub.
struct Submission {
    quint64 sessionKey = 0;
    NewMessageRecord record;
    SteadyTime receivedAt = std::chrono::steady_clock::now();
};

// A page of a sync replay: at most limit messages of chatId after seq after, or for changes the
// messages changed after mod_seq after.
struct SyncSubmission {
    quint64 sessionKey = 0;
    QString userId;
    QString chatId;
    bool changes = false;
    qint64 after = 0;
    int limit = 50;
};

// A change of a message made through the REST API, for the hub to tell the chat's members.
struct ChangeNotice {
    MessageChange change;
};

// An account's typing state or read marker for a chat, on its way to the hub.
struct ChatSignal {
    enum class Kind { Typing, Read };
    Kind kind = Kind::Typing;
    quint64 sessionKey = 0;
    QString userId;
    QString chatId;
    bool isTyping = false; // Typing
    QString messageId;     // Read
};

} // namespace neonchat::server

Q_DECLARE_METATYPE(neonchat::server::DeliveryPtr)
Q_DECLARE_METATYPE(neonchat::server::Submission)
Q_DECLARE_METATYPE(neonchat::server::SyncSubmission)
Q_DECLARE_METATYPE(neonchat::server::ChatSignal)
Q_DECLARE_METATYPE(neonchat::server::ChangeNotice)
