// SPDX-License-Identifier: MIT
// Following a chat on a session: its newest stored message is where the connection's tracking
// starts, so that a reconnect replays whatever the chat receives while the session is down.
#pragma once

#include "apiclient.h"
#include "chatconnection.h"

#include <optional>

namespace neonchat::client {

// Reads the chat's newest message and starts tracking the chat after it. The error, if any.
QCoro::Task<std::optional<ApiError>> followChat(ApiClient &api, ChatConnection &connection,
                                                QString chatId);

} // namespace neonchat::client
