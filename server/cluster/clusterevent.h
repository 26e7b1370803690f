// SPDX-License-Identifier: MIT
// What one instance tells the others through Redis: a fan-out it made (a stored message, typing,
// a read receipt, presence), with the frame its sessions got, so the others hand the same JSON
// to theirs. Published only after the commit it reports.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace neonchat::server {

struct ClusterEvent {
    QString origin;           // the instance that published it; an instance ignores its own
    QString chatId;           // empty for presence
    qint64 seq = 0;           // a stored message's seq; 0 for the frames that are not ordered by it
    bool toEveryone = false;  // the lobby: every session
    QStringList recipientIds; // otherwise the accounts whose sessions receive it
    QByteArray frameJson;     // the server frame's JSON text (CONTRACT §3)
    // Instead of a frame: the origin could not publish for a while, so the others read from the
    // database what they may have missed.
    bool missedHint = false;
    // Instead of a frame: the origin checks that its subscription still delivers (it waits for
    // its own probe to come back). Other instances only take it as a sign of life.
    bool probe = false;
    // Instead of a frame: an account came online or went offline cluster-wide. Published by the
    // scripts that change presence (clusterscripts.h); version orders it against a read of the
    // whole state.
    struct PresenceChange {
        QString userId;
        bool online = false;
        qint64 version = 0;
    };
    std::optional<PresenceChange> presence;
};

// Bytes on the channel: a line of JSON with the routing fields, then the frame's JSON as it is,
// so the frame is neither escaped nor parsed again on the way.
[[nodiscard]] QByteArray encodeClusterEvent(const ClusterEvent &event);
// nullopt for anything that is not an event of this version: a newer instance's or garbage.
[[nodiscard]] std::optional<ClusterEvent> decodeClusterEvent(const QByteArray &bytes);

} // namespace neonchat::server
