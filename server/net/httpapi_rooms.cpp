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

QCoro::Task<> HttpApi::createRoom(ExchangePtr exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        co_return;
    }
    const QString name = body->value("name"_L1).toString().trimmed();
    if (name.isEmpty() || protocol::characterCount(name) > kRoomNameMaxChars) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"name must be 1-%1 characters"_s.arg(kRoomNameMaxChars));
        co_return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto createdCall = store<RoomRecord>([&](auto done) {
        m_store.createRoom(exchange->account->userId, name, now, this, std::move(done));
    });
    const Outcome<RoomRecord> created = co_await createdCall;
    if (const auto *failure = std::get_if<Failure>(&created)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &room = std::get<RoomRecord>(created);
    QJsonObject answer;
    answer.insert("id"_L1, room.id);
    answer.insert("name"_L1, room.name);
    answer.insert("created_at"_L1, timestampText(room.createdAtMs));
    exchange->reply(StatusCode::Created, answer);
}

QCoro::Task<> HttpApi::listRooms(ExchangePtr exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    if (!page) {
        co_return;
    }
    auto listedCall = store<RoomPage>(
        [&](auto done) { m_store.listRooms(page->limit, page->offset, this, std::move(done)); });
    const Outcome<RoomPage> listed = co_await listedCall;
    if (const auto *failure = std::get_if<Failure>(&listed)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &rooms = std::get<RoomPage>(listed);
    QJsonArray list;
    for (const RoomRecord &room : rooms.rooms) {
        list.append(protocol::toJson(protocol::RoomSummary{room.id, room.name, room.members}));
    }
    QJsonObject answer;
    answer.insert("rooms"_L1, list);
    answer.insert("total"_L1, rooms.total);
    answer.insert("has_more"_L1, rooms.hasMore);
    exchange->reply(StatusCode::Ok, answer);
}

QCoro::Task<> HttpApi::joinOrLeaveRoom(ExchangePtr exchange, QString roomId, bool join) {
    if (!protocol::isUuid(roomId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such room"_s);
        co_return;
    }
    const QString userId = exchange->account->userId;
    auto doneCall = store<Done>([&](auto answer) {
        if (join) {
            m_store.joinRoom(userId, roomId, QDateTime::currentMSecsSinceEpoch(), this,
                             std::move(answer));
        } else {
            m_store.leaveRoom(userId, roomId, this, std::move(answer));
        }
    });
    const Outcome<Done> done = co_await doneCall;
    if (const auto *failure = std::get_if<Failure>(&done)) {
        exchange->fail(*failure);
        co_return;
    }
    exchange->replyNoContent();
}

} // namespace neonchat::server
