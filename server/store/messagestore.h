// SPDX-License-Identifier: MIT
// Where the hub keeps messages. Every call is asynchronous: the callback runs later on the thread
// of the `context` object, once the work is done (for append: once the message is durable), so the
// hub acknowledges only stored messages and never waits on storage.
#pragma once

#include "protocol/protocol.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

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
    QString chatKind;       // "lobby", "direct" or "room"
    QStringList memberIds;  // who receives it; empty for the lobby, where every session does
};

struct StoreError {
    QString message;
    bool forbidden = false; // the user is not a member of the chat (or there is no such chat)
};

using AppendResult = std::variant<AppendOutcome, StoreError>;
using MessagesResult = std::variant<QList<protocol::ChatMessage>, StoreError>;

class MessageStore {
public:
    virtual ~MessageStore() = default;

    virtual void append(NewMessageRecord record, QObject *context,
                        std::function<void(AppendResult)> done) = 0;

    // Messages of a chat with seq > afterSeq, oldest first, at most limit of them, if userId may
    // read the chat (anyone may read the lobby).
    virtual void messagesAfter(QString userId, QString chatId, qint64 afterSeq, int limit,
                               QObject *context, std::function<void(MessagesResult)> done) = 0;
};

} // namespace neonchat::server
