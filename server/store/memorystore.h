// SPDX-License-Identifier: MIT
// Messages kept in process memory: the lobby's store until the SQL stores land. Not durable across
// restarts; everything else about it (seq per chat, idempotent request ids) is what SQL will do.
#pragma once

#include "messagestore.h"

#include <QHash>
#include <QList>

namespace neonchat::server {

class MemoryStore final : public MessageStore {
public:
    // Keeps at most historyLimit messages per chat so memory stays bounded on a long-running lobby.
    explicit MemoryStore(int historyLimit = 10'000)
        : m_historyLimit(historyLimit) {}

    void append(NewMessageRecord record, std::function<void(AppendResult)> done) override;
    [[nodiscard]] QList<protocol::ChatMessage> messagesAfter(const QString &chatId, qint64 afterSeq,
                                                             int limit) const override;

private:
    struct Chat {
        qint64 lastSeq = 0;
        QList<protocol::ChatMessage> messages;
    };

    int m_historyLimit;
    QHash<QString, Chat> m_chats;
    // (sender id, request id) → the message stored for it.
    QHash<std::pair<QString, QString>, protocol::ChatMessage> m_byRequest;
};

} // namespace neonchat::server
