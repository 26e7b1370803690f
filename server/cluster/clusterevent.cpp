// SPDX-License-Identifier: MIT
#include "clusterevent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {
constexpr int kVersion = 1;
}

QByteArray encodeClusterEvent(const ClusterEvent &event) {
    QJsonObject head{{"v"_L1, kVersion}, {"origin"_L1, event.origin}};
    if (!event.chatId.isEmpty()) {
        head.insert("chat_id"_L1, event.chatId);
    }
    if (event.seq > 0) {
        head.insert("seq"_L1, event.seq);
    }
    if (event.missedHint) {
        head.insert("missed"_L1, true);
    }
    if (event.probe) {
        head.insert("probe"_L1, true);
    }
    if (event.presence) {
        head.insert("presence"_L1, event.presence->userId);
        head.insert("online"_L1, event.presence->online);
        head.insert("version"_L1, event.presence->version);
    } else if (event.toEveryone) {
        head.insert("everyone"_L1, true);
    } else {
        head.insert("to"_L1, QJsonArray::fromStringList(event.recipientIds));
    }
    QByteArray bytes = QJsonDocument(head).toJson(QJsonDocument::Compact);
    bytes += '\n';
    bytes += event.frameJson;
    return bytes;
}

std::optional<ClusterEvent> decodeClusterEvent(const QByteArray &bytes) {
    const qsizetype split = bytes.indexOf('\n');
    if (split < 0) {
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes.left(split), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    const QJsonObject head = document.object();
    if (head.value("v"_L1).toInt() != kVersion || !head.value("origin"_L1).isString()) {
        return std::nullopt;
    }
    ClusterEvent event;
    event.origin = head.value("origin"_L1).toString();
    event.chatId = head.value("chat_id"_L1).toString();
    event.seq = head.value("seq"_L1).toInteger();
    event.toEveryone = head.value("everyone"_L1).toBool();
    for (const QJsonValue &id : head.value("to"_L1).toArray()) {
        event.recipientIds.append(id.toString());
    }
    event.missedHint = head.value("missed"_L1).toBool();
    event.probe = head.value("probe"_L1).toBool();
    if (const QJsonValue user = head.value("presence"_L1); user.isString()) {
        event.presence =
            ClusterEvent::PresenceChange{user.toString(), head.value("online"_L1).toBool(),
                                         head.value("version"_L1).toInteger()};
    }
    event.frameJson = bytes.mid(split + 1);
    const bool framed = !event.missedHint && !event.probe && !event.presence;
    if ((framed && event.frameJson.isEmpty()) || event.seq < 0) {
        return std::nullopt;
    }
    return event;
}

} // namespace neonchat::server
