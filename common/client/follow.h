// SPDX-License-Identifier: MIT
// Following a chat on a session: its newest stored message is where the connection's tracking
// starts, and the chat list's last_mod_seq where its tracking of changes starts, so that a
// reconnect replays whatever the chat receives, and every change made, while the session is down.
#pragma once

#include "apiclient.h"
#include "chatconnection.h"

#include <optional>

namespace neonchat::client {

// Reads the chat's newest message and starts tracking the chat after it, and its changes after
// chat.lastModSeq (as the chat list said it). The error, if any.
QCoro::Task<std::optional<ApiError>> followChat(ApiClient &api, ChatConnection &connection,
                                                ChatSummary chat);

} // namespace neonchat::client
