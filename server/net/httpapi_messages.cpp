// SPDX-License-Identifier: MIT
// Changing a message after it was sent (CONTRACT §9): edit, delete, reactions.
#include "httpapi.h"

#include "protocol/codec.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponder::StatusCode;

// Why an emoji of a reaction path cannot be used, or nullopt: 1-32 bytes of UTF-8, no spaces
// and no control characters.
std::optional<QString> emojiProblem(const QString &emoji) {
    const qsizetype bytes = emoji.toUtf8().size();
    if (bytes == 0 || bytes > protocol::kEmojiMaxBytes || !emoji.isValidUtf16()) {
        return u"an emoji is 1-%1 bytes of UTF-8"_s.arg(protocol::kEmojiMaxBytes);
    }
    for (const uint c : emoji.toUcs4()) {
        const auto category = QChar::category(static_cast<char32_t>(c));
        if (category == QChar::Other_Control || category == QChar::Separator_Space ||
            category == QChar::Separator_Line || category == QChar::Separator_Paragraph ||
            QChar::isSpace(static_cast<char32_t>(c))) {
            return u"an emoji holds no spaces or control characters"_s;
        }
    }
    return std::nullopt;
}

} // namespace

void HttpApi::setUpMessageRoutes() {
    const QString message = u"/api/v1/messages/<arg>"_s;
    onWithId(Method::Patch, message, Access::Account,
             [this](const ExchangePtr &exchange, const QString &id) { editMessage(exchange, id); });
    onWithId(
        Method::Delete, message, Access::Account,
        [this](const ExchangePtr &exchange, const QString &id) { deleteMessage(exchange, id); });
    allowPreflight(message, true);

    const QString reaction = u"/api/v1/messages/<arg>/reactions/<arg>"_s;
    for (const auto &[method, change] : {std::pair{Method::Put, ReactionChange::Add},
                                         std::pair{Method::Delete, ReactionChange::Remove}}) {
        m_http.route(reaction, method,
                     [this, change, route = u"/api/v1/messages/{id}/reactions/{emoji}"_s](
                         const QString &id, const QString &emoji, const QHttpServerRequest &request,
                         QHttpServerResponder &&responder) {
                         auto exchange = std::make_shared<HttpExchange>(
                             request, std::move(responder), route, m_metrics);
                         if (admit(exchange, Access::Account)) {
                             changeReaction(exchange, id, emoji, change);
                         }
                     });
    }
    m_http.route(reaction, Method::Options,
                 [this](const QString &, const QString &, const QHttpServerRequest &request,
                        QHttpServerResponder &&responder) {
                     preflight(std::make_shared<HttpExchange>(
                         request, std::move(responder),
                         u"/api/v1/messages/{id}/reactions/{emoji}"_s, m_metrics));
                 });
}

QCoro::Task<> HttpApi::editMessage(ExchangePtr exchange, QString messageId) {
    const std::optional<QJsonObject> body = jsonBody(exchange);
    if (!body) {
        co_return;
    }
    if (!protocol::isUuid(messageId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such message"_s);
        co_return;
    }
    const QJsonValue text = body->value("text"_L1);
    if (!text.isString()) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1, u"field 'text' is required"_s);
        co_return;
    }
    if (const auto problem = protocol::messageTextProblem(text.toString())) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1, *problem);
        co_return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto resultCall = store<MessageChange>([&](auto done) {
        m_store.editMessage(exchange->account->userId, messageId, text.toString(), now, this,
                            std::move(done));
    });
    const Outcome<MessageChange> result = co_await resultCall;
    answerChange(exchange, result, true);
}

QCoro::Task<> HttpApi::deleteMessage(ExchangePtr exchange, QString messageId) {
    if (!protocol::isUuid(messageId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such message"_s);
        co_return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto resultCall = store<MessageChange>([&](auto done) {
        m_store.deleteMessage(exchange->account->userId, messageId, now, this, std::move(done));
    });
    const Outcome<MessageChange> result = co_await resultCall;
    answerChange(exchange, result, false);
}

QCoro::Task<> HttpApi::changeReaction(ExchangePtr exchange, QString messageId, QString emoji,
                                      ReactionChange change) {
    if (!protocol::isUuid(messageId)) {
        exchange->fail(StatusCode::NotFound, "not_found"_L1, u"no such message"_s);
        co_return;
    }
    // Qt's router hands the path segment over percent-decoded already.
    if (const auto problem = emojiProblem(emoji)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1, *problem);
        co_return;
    }
    auto resultCall = store<MessageChange>([&](auto done) {
        m_store.changeReaction(exchange->account->userId, messageId, emoji, change, this,
                               std::move(done));
    });
    const Outcome<MessageChange> result = co_await resultCall;
    answerChange(exchange, result, false);
}

void HttpApi::answerChange(const ExchangePtr &exchange, const Outcome<MessageChange> &result,
                           bool withMessage) {
    if (const auto *failure = std::get_if<Failure>(&result)) {
        exchange->fail(*failure);
        return;
    }
    const auto &change = std::get<MessageChange>(result);
    if (change.changed) {
        Q_EMIT messageChanged(ChangeNotice{change});
    }
    if (withMessage) {
        exchange->reply(StatusCode::Ok, protocol::messageToJson(change.message));
    } else {
        exchange->replyNoContent();
    }
}

} // namespace neonchat::server
