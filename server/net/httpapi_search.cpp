// SPDX-License-Identifier: MIT
// Message search (CONTRACT §9): GET /api/v1/search.
#include "httpapi.h"

#include "httpparameters.h"

#include "protocol/codec.h"
#include "store/searchtext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kDefaultResults = 20;
constexpr int kMaxResults = 50;
constexpr qsizetype kMaxQueryChars = 512;

} // namespace

QCoro::Task<> HttpApi::search(ExchangePtr exchange) {
    const QString q = exchange->query().queryItemValue(u"q"_s, QUrl::FullyDecoded);
    if (q.size() > kMaxQueryChars) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"q is longer than %1 characters"_s.arg(kMaxQueryChars));
        co_return;
    }
    SearchQuery query;
    query.userId = exchange->account->userId;
    query.words = search::words(q).mid(0, search::kMaxQueryWords);
    if (query.words.isEmpty()) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"q must hold at least one word (letters or digits)"_s);
        co_return;
    }
    const std::optional<int> limit =
        intParameter(exchange, u"limit"_s, kDefaultResults, 1, kMaxResults);
    if (!limit) {
        co_return;
    }
    query.limit = *limit;
    const auto chat = uuidParameter(exchange, u"chat_id"_s, u"a chat id"_s);
    const auto before = chat ? uuidParameter(exchange, u"before_id"_s) : std::nullopt;
    if (!chat || !before) {
        co_return;
    }
    query.chatId = *chat;
    query.beforeId = *before;
    auto readCall =
        store<SearchPage>([&](auto done) { m_store.search(query, this, std::move(done)); });
    const Outcome<SearchPage> read = co_await readCall;
    if (const auto *failure = std::get_if<Failure>(&read)) {
        exchange->fail(*failure);
        co_return;
    }
    const auto &found = std::get<SearchPage>(read);
    protocol::SearchPage page{{}, found.hasMore};
    for (const protocol::ChatMessage &message : found.messages) {
        page.results.append(
            protocol::SearchResult{message, search::snippet(message.text, query.words)});
    }
    exchange->reply(StatusCode::Ok, protocol::toJson(page));
}

} // namespace neonchat::server
