// SPDX-License-Identifier: MIT
#include "follow.h"

#include <QPointer>

namespace neonchat::client {

QCoro::Task<std::optional<ApiError>> followChat(ApiClient &api, ChatConnection &connection,
                                                ChatSummary chat) {
    QPointer<ChatConnection> alive(&connection);
    const auto newest = co_await api.history(chat.id, 1);
    if (const auto *error = std::get_if<ApiError>(&newest)) {
        co_return *error;
    }
    if (alive) {
        // The list was read before the history: a change in between is replayed, not missed.
        const auto &messages = std::get<HistoryPage>(newest).messages;
        connection.requestSync(chat.id, messages.isEmpty() ? 0 : messages.last().seq,
                               chat.lastModSeq);
    }
    co_return std::nullopt;
}

} // namespace neonchat::client
