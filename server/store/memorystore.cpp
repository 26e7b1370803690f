// SPDX-License-Identifier: MIT
#include "memorystore.h"

#include <QUuid>

namespace neonchat::server {

void MemoryStore::append(NewMessageRecord record, std::function<void(AppendResult)> done) {
    if (record.requestId) {
        const auto found = m_byRequest.constFind({record.senderId, *record.requestId});
        if (found != m_byRequest.cend()) {
            done(AppendOutcome{*found, true});
            return;
        }
    }
    Chat &chat = m_chats[record.chatId];
    protocol::ChatMessage message{QUuid::createUuid().toString(QUuid::WithoutBraces),
                                  record.chatId,
                                  ++chat.lastSeq,
                                  record.senderId,
                                  record.senderName,
                                  record.text,
                                  QDateTime::currentDateTimeUtc()};
    chat.messages.append(message);
    if (chat.messages.size() > m_historyLimit) {
        chat.messages.remove(0, chat.messages.size() - m_historyLimit);
    }
    if (record.requestId) {
        m_byRequest.insert({record.senderId, *record.requestId}, message);
    }
    done(AppendOutcome{std::move(message), false});
}

QList<protocol::ChatMessage> MemoryStore::messagesAfter(const QString &chatId, qint64 afterSeq,
                                                        int limit) const {
    QList<protocol::ChatMessage> result;
    const auto chat = m_chats.constFind(chatId);
    if (chat == m_chats.cend()) {
        return result;
    }
    for (const protocol::ChatMessage &message : chat->messages) {
        if (message.seq > afterSeq && result.size() < limit) {
            result.append(message);
        }
    }
    return result;
}

} // namespace neonchat::server
