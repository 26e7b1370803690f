// SPDX-License-Identifier: MIT
// Rooms (CONTRACT §2): create, list, join and leave.
#include "httpapi.h"

#include "httpparameters.h"

#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kRoomNameMaxChars = 80;

} // namespace

void HttpApi::createRoom(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString name = body->value("name"_L1).toString().trimmed();
    if (name.isEmpty() || protocol::characterCount(name) > kRoomNameMaxChars) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"name must be 1-%1 characters"_s.arg(kRoomNameMaxChars));
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_store.createRoom(
        exchange->account->userId, name, now, this, [exchange](const Outcome<RoomRecord> &created) {
            if (const auto *failure = std::get_if<Failure>(&created)) {
                exchange->fail(*failure);
                return;
            }
            const auto &room = std::get<RoomRecord>(created);
            exchange->reply(StatusCode::Created, {{"id"_L1, room.id},
                                                  {"name"_L1, room.name},
                                                  {"created_at"_L1, timestampText(room.createdAtMs)}});
        });
}

void HttpApi::listRooms(const ExchangePtr &exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    if (!page) {
        return;
    }
    m_store.listRooms(page->limit, page->offset, this, [exchange](const Outcome<RoomPage> &listed) {
        if (const auto *failure = std::get_if<Failure>(&listed)) {
            exchange->fail(*failure);
            return;
        }
        const auto &page = std::get<RoomPage>(listed);
        QJsonArray rooms;
        for (const RoomRecord &room : page.rooms) {
            rooms.append(protocol::toJson(protocol::RoomSummary{room.id, room.name, room.members}));
        }
        exchange->reply(
            StatusCode::Ok,
            {{"rooms"_L1, rooms}, {"total"_L1, page.total}, {"has_more"_L1, page.hasMore}});
    });
}

void HttpApi::joinOrLeaveRoom(const ExchangePtr &exchange, const QString &roomId, bool join) {
    if (!protocol::isUuid(roomId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such room"_s);
        return;
    }
    auto answered = [exchange](const Outcome<Done> &done) {
        if (const auto *failure = std::get_if<Failure>(&done)) {
            exchange->fail(*failure);
            return;
        }
        exchange->replyNoContent();
    };
    if (join) {
        m_store.joinRoom(exchange->account->userId, roomId, QDateTime::currentMSecsSinceEpoch(), this, std::move(answered));
    } else {
        m_store.leaveRoom(exchange->account->userId, roomId, this, std::move(answered));
    }
}

} // namespace neonchat::server
