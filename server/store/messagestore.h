// SPDX-License-Identifier: MIT
// Where the hub keeps messages. Appending is asynchronous: `done` runs on the caller's thread once
// the message is durable (or failed), so the hub acknowledges only stored messages and never waits.
#pragma once

#include "protocol/protocol.h"

#include <QString>

#include <functional>
#include <optional>
#include <variant>

namespace neonchat::server {

struct NewMessageRecord {
    QString chatId;
    QString senderId;
    QString senderName;
    QString text;
    std::optional<QString> requestId;
};

struct AppendOutcome {
    protocol::ChatMessage message;
    bool duplicate = false; // the sender's request_id was stored before: this is that message
};

struct StoreError {
    QString message;
};

using AppendResult = std::variant<AppendOutcome, StoreError>;

class MessageStore {
public:
    virtual ~MessageStore() = default;

    virtual void append(NewMessageRecord record, std::function<void(AppendResult)> done) = 0;

    // Messages of a chat with seq > afterSeq, oldest first, at most limit of them.
    [[nodiscard]] virtual QList<protocol::ChatMessage>
    messagesAfter(const QString &chatId, qint64 afterSeq, int limit) const = 0;
};

} // namespace neonchat::server
