// SPDX-License-Identifier: MIT
#include "searchmodel.h"

#include "servererror.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

int SearchModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_results.size());
}

QVariant SearchModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const client::SearchResult &result = m_results[index.row()];
    const protocol::ChatMessage &message = result.message;
    switch (role) {
    case MessageIdRole:
        return message.id;
    case ChatIdRole:
        return message.chatId;
    case ChatTitleRole: {
        const int row = m_chats ? m_chats->rowOf(message.chatId) : -1;
        return row < 0 ? QString()
                       : m_chats->data(m_chats->index(row), ChatListModel::TitleRole).toString();
    }
    case SenderRole:
        return message.sender;
    case Qt::DisplayRole:
    case SnippetRole:
        return result.snippet;
    case TimeTextRole:
        return activityText(message.createdAt, QDateTime::currentDateTime());
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchModel::roleNames() const {
    return {{MessageIdRole, "messageId"}, {ChatIdRole, "chatId"},   {ChatTitleRole, "chatTitle"},
            {SenderRole, "sender"},       {SnippetRole, "snippet"}, {TimeTextRole, "timeText"}};
}

void SearchModel::setSource(client::ApiClient *api, const ChatListModel *chats) {
    m_api = api;
    m_chats = chats;
    clear();
}

void SearchModel::search(const QString &query, const QString &chatId) {
    clear();
    m_query = query.trimmed();
    m_chatId = chatId;
    Q_EMIT queryChanged();
    if (!m_query.isEmpty() && m_api) {
        fetch({});
    }
}

void SearchModel::loadMore() {
    if (m_hasMore && !loading() && !m_results.isEmpty()) {
        fetch(m_results.constLast().message.id);
    }
}

void SearchModel::clear() {
    forgetRequests();
    beginResetModel();
    m_results.clear();
    endResetModel();
    m_hasMore = false;
    if (!m_query.isEmpty()) {
        m_query.clear();
        Q_EMIT queryChanged();
    }
}

QCoro::Task<> SearchModel::fetch(QString beforeId) {
    QPointer<SearchModel> self(this);
    const quint64 request = startRequest();
    const auto answer = co_await m_api->search(m_query, m_chatId, beforeId, kPage);
    if (!self || !isCurrent(request)) {
        co_return;
    }
    setLoading(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        setErrorText(error->status == 0
                         ? tr("Not connected: search again once the connection is back.")
                         : tr("The search failed: %1").arg(serverErrorText(*error)));
        co_return;
    }
    const auto &page = std::get<client::SearchPage>(answer);
    if (!page.results.isEmpty()) {
        const int first = static_cast<int>(m_results.size());
        beginInsertRows({}, first, first + static_cast<int>(page.results.size()) - 1);
        m_results.append(page.results);
        endInsertRows();
    }
    m_hasMore = page.hasMore;
    Q_EMIT loadingChanged();
}

} // namespace neonchat::desktop
