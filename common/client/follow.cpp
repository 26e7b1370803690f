// SPDX-License-Identifier: MIT
#include "follow.h"

#include <QPointer>

namespace neonchat::client {

QCoro::Task<std::optional<ApiError>> followChat(ApiClient &api, ChatConnection &connection,
                                                QString chatId) {
    QPointer<ChatConnection> alive(&connection);
    const auto newest = co_await api.history(chatId, 1);
    if (const auto *error = std::get_if<ApiError>(&newest)) {
        co_return *error;
    }
    if (alive) {
        const auto &messages = std::get<HistoryPage>(newest).messages;
        connection.requestSync(chatId, messages.isEmpty() ? 0 : messages.last().seq);
    }
    co_return std::nullopt;
}

} // namespace neonchat::client
