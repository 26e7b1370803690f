// SPDX-License-Identifier: MIT
// Chats (CONTRACT §2, §9): direct chats, the chat list, history and members.
#include "httpapi.h"

#include "httpparameters.h"

#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kMembersLimit = 200;

} // namespace

QJsonObject HttpApi::chatJson(const ChatSummary &chat) const {
    protocol::ChatSummary summary{chat.id,
                                  chat.kind,
                                  chat.name,
                                  std::nullopt,
                                  std::nullopt,
                                  chat.unreadCount,
                                  QDateTime::fromMSecsSinceEpoch(chat.updatedAtMs, Qt::UTC),
                                  chat.lastSeq,
                                  chat.lastModSeq,
                                  chat.roomCreatorId};
    if (chat.partner) {
        summary.partner = protocol::UserSummary{chat.partner->id, chat.partner->username,
                                                m_online.isOnline(chat.partner->id)};
    }
    if (chat.lastMessage) {
        summary.lastMessage = protocol::LastMessage{
            chat.lastMessage->id, chat.lastMessage->text, chat.lastMessage->senderId,
            QDateTime::fromMSecsSinceEpoch(chat.lastMessage->createdAtMs, Qt::UTC)};
    }
    return protocol::toJson(summary);
}

QCoro::Task<> HttpApi::openDirectChat(ExchangePtr exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        co_return;
    }
    const QString partnerId = body->value("partner_id"_L1).toString();
    if (!protocol::isUuid(partnerId)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"partner_id must be a user id"_s);
        co_return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto openedCall = store<DirectChat>([&](auto done) {
        m_store.openDirectChat(exchange->account->userId, partnerId, now, this, std::move(done));
    });
    const Outcome<DirectChat> opened = co_await openedCall;
    if (const auto *failure = std::get_if<Failure>(&opened)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &direct = std::get<DirectChat>(opened);
    exchange->reply(direct.created ? StatusCode::Created : StatusCode::Ok, chatJson(direct.chat));
}

QCoro::Task<> HttpApi::listChats(ExchangePtr exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    const std::optional<bool> unreadOnly =
        page ? boolParameter(exchange, u"unread_only"_s) : std::nullopt;
    if (!unreadOnly) {
        co_return;
    }
    auto listedCall = store<ChatPage>([&](auto done) {
        m_store.listChats(exchange->account->userId, page->limit, page->offset, *unreadOnly, this,
                          std::move(done));
    });
    const Outcome<ChatPage> listed = co_await listedCall;
    if (const auto *failure = std::get_if<Failure>(&listed)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &chats = std::get<ChatPage>(listed);
    QJsonArray list;
    for (const ChatSummary &chat : chats.chats) {
        list.append(chatJson(chat));
    }
    QJsonObject answer;
    answer.insert("chats"_L1, list);
    answer.insert("total"_L1, chats.total);
    answer.insert("has_more"_L1, chats.hasMore);
    exchange->reply(StatusCode::Ok, answer);
}

QCoro::Task<> HttpApi::history(ExchangePtr exchange, QString chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        co_return;
    }
    HistoryQuery query;
    query.chatId = chatId;
    const std::optional<int> limit = intParameter(exchange, u"limit"_s, 50, 1, 200);
    if (!limit) {
        co_return;
    }
    query.limit = *limit;
    const auto before = uuidParameter(exchange, u"before_id"_s);
    if (!before) {
        co_return;
    }
    const auto after = uuidParameter(exchange, u"after_id"_s);
    if (!after) {
        co_return;
    }
    const auto around = uuidParameter(exchange, u"around_id"_s);
    if (!around) {
        co_return;
    }
    if (int(before->has_value()) + int(after->has_value()) + int(around->has_value()) > 1) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"give one of before_id, after_id and around_id"_s);
        co_return;
    }
    query.beforeId = *before;
    query.afterId = *after;
    query.aroundId = *around;
    auto readCall = store<HistoryPage>([&](auto done) {
        m_store.history(exchange->account->userId, query, this, std::move(done));
    });
    const Outcome<HistoryPage> read = co_await readCall;
    if (const auto *failure = std::get_if<Failure>(&read)) {
        exchange->fail(*failure);
        co_return;
    }
    exchange->reply(StatusCode::Ok, protocol::toJson(std::get<HistoryPage>(read)));
}

QCoro::Task<> HttpApi::members(ExchangePtr exchange, QString chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        co_return;
    }
    // Every account is in the lobby: listing them all says nothing, so it lists who is online.
    std::optional<QStringList> onlyIds;
    if (chatId == protocol::kLobbyId) {
        onlyIds = m_online.some(kMembersLimit);
    }
    auto foundCall = store<QList<UserRecord>>([&](auto done) {
        m_store.chatMembers(exchange->account->userId, chatId, onlyIds, kMembersLimit, this,
                            std::move(done));
    });
    const Outcome<QList<UserRecord>> found = co_await foundCall;
    if (const auto *failure = std::get_if<Failure>(&found)) {
        exchange->fail(*failure);
        co_return;
    }
    QJsonArray members;
    for (const UserRecord &user : std::get<QList<UserRecord>>(found)) {
        members.append(userJson(user));
    }
    QJsonObject answer;
    answer.insert("members"_L1, members);
    exchange->reply(StatusCode::Ok, answer);
}

} // namespace neonchat::server
