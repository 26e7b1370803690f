// SPDX-License-Identifier: MIT
// Who may do what in which chat (CONTRACT §2 and §3), decided in this one place for the session
// workers, the hub and the store:
// - the lobby is every account's and every guest's: anyone may send to it and read it;
// - every other chat is its members' only; a guest is a member of nothing but the lobby;
// - the lobby has too many members for typing or read receipts to help: neither is relayed there
//   (an account's lobby read marker still moves, for its unread count).
#pragma once

#include "protocol/protocol.h"

#include <QString>

namespace neonchat::server::access {

enum class Action { Send, Sync, Typing, Read };

enum class Decision {
    Allow,           // go ahead
    Ignore,          // allowed, and there is nothing to do (a guest's typing in the lobby)
    Refuse,          // forbidden: answered with an error
    CheckMembership, // the store decides, from the chat's members, in the transaction that acts
};

[[nodiscard]] inline bool isLobby(const QString &chatId) {
    return chatId == protocol::kLobbyId;
}

// Whether acting in chatId needs the actor to be one of its members.
[[nodiscard]] inline bool needsMembership(const QString &chatId) {
    return !isLobby(chatId);
}

// What a session may do, before anything is read from the database.
[[nodiscard]] inline Decision forSession(bool guest, const QString &chatId, Action action) {
    if (guest) {
        if (!isLobby(chatId)) {
            return Decision::Refuse;
        }
        // A guest keeps no read marker, and the lobby relays no typing.
        return action == Action::Send || action == Action::Sync ? Decision::Allow
                                                                : Decision::Ignore;
    }
    return needsMembership(chatId) ? Decision::CheckMembership : Decision::Allow;
}

// Whether typing notices and read receipts of a chat of this kind go to its other members.
[[nodiscard]] inline bool relaysToMembers(protocol::ChatKind kind) {
    return kind != protocol::ChatKind::Lobby;
}

} // namespace neonchat::server::access
