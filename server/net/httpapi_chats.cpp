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
                                  chat.lastModSeq};
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

void HttpApi::openDirectChat(const ExchangePtr &exchange) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        return;
    }
    const QString partnerId = body->value("partner_id"_L1).toString();
    if (!protocol::isUuid(partnerId)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"partner_id must be a user id"_s);
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_store.openDirectChat(exchange->account->userId, partnerId, now, this,
                           [this, exchange](const Outcome<DirectChat> &opened) {
                               if (const auto *failure = std::get_if<Failure>(&opened)) {
                                   exchange->fail(*failure);
                                   return;
                               }
                               const auto &direct = std::get<DirectChat>(opened);
                               exchange->reply(direct.created ? StatusCode::Created
                                                              : StatusCode::Ok,
                                               chatJson(direct.chat));
                           });
}

void HttpApi::listChats(const ExchangePtr &exchange) {
    const std::optional<PageParameters> page = pageParameters(exchange);
    const std::optional<bool> unreadOnly =
        page ? boolParameter(exchange, u"unread_only"_s) : std::nullopt;
    if (!unreadOnly) {
        return;
    }
    m_store.listChats(exchange->account->userId, page->limit, page->offset, *unreadOnly, this,
                      [this, exchange](const Outcome<ChatPage> &listed) {
                          if (const auto *failure = std::get_if<Failure>(&listed)) {
                              exchange->fail(*failure);
                              return;
                          }
                          const auto &page = std::get<ChatPage>(listed);
                          QJsonArray chats;
                          for (const ChatSummary &chat : page.chats) {
                              chats.append(chatJson(chat));
                          }
                          exchange->reply(StatusCode::Ok, {{"chats"_L1, chats},
                                                           {"total"_L1, page.total},
                                                           {"has_more"_L1, page.hasMore}});
                      });
}

void HttpApi::history(const ExchangePtr &exchange, const QString &chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        return;
    }
    HistoryQuery query;
    query.chatId = chatId;
    const std::optional<int> limit = intParameter(exchange, u"limit"_s, 50, 1, 200);
    if (!limit) {
        return;
    }
    query.limit = *limit;
    const auto before = uuidParameter(exchange, u"before_id"_s);
    if (!before) {
        return;
    }
    const auto after = uuidParameter(exchange, u"after_id"_s);
    if (!after) {
        return;
    }
    const auto around = uuidParameter(exchange, u"around_id"_s);
    if (!around) {
        return;
    }
    if (int(before->has_value()) + int(after->has_value()) + int(around->has_value()) > 1) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"give one of before_id, after_id and around_id"_s);
        return;
    }
    query.beforeId = *before;
    query.afterId = *after;
    query.aroundId = *around;
    m_store.history(exchange->account->userId, query, this,
                    [exchange](const Outcome<HistoryPage> &read) {
                        if (const auto *failure = std::get_if<Failure>(&read)) {
                            exchange->fail(*failure);
                            return;
                        }
                        exchange->reply(StatusCode::Ok,
                                        protocol::toJson(std::get<HistoryPage>(read)));
                    });
}

void HttpApi::members(const ExchangePtr &exchange, const QString &chatId) {
    if (!protocol::isUuid(chatId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such chat"_s);
        return;
    }
    // Every account is in the lobby: listing them all says nothing, so it lists who is online.
    std::optional<QStringList> onlyIds;
    if (chatId == protocol::kLobbyId) {
        onlyIds = m_online.some(kMembersLimit);
    }
    m_store.chatMembers(exchange->account->userId, chatId, onlyIds, kMembersLimit, this,
                        [this, exchange](const Outcome<QList<UserRecord>> &found) {
                            if (const auto *failure = std::get_if<Failure>(&found)) {
                                exchange->fail(*failure);
                                return;
                            }
                            QJsonArray members;
                            for (const UserRecord &user : std::get<QList<UserRecord>>(found)) {
                                members.append(userJson(user));
                            }
                            exchange->reply(StatusCode::Ok, {{"members"_L1, members}});
                        });
}

} // namespace neonchat::server
