// SPDX-License-Identifier: MIT
// Search results for the desktop (Ctrl+F): the messages with every word of a query, in one chat
// or in all of the user's chats, newest first, a page at a time, with loading and error states.
#pragma once

#include "chatlistmodel.h"
#include "client/apiclient.h"
#include "remotelistmodel.h"

#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class SearchModel : public RemoteListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    Q_PROPERTY(QString query READ query NOTIFY queryChanged)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY loadingChanged)
public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        ChatIdRole,
        ChatTitleRole,
        SenderRole,
        SnippetRole,
        TimeTextRole,
    };
    Q_ENUM(Role)

    static constexpr int kPage = 20;

    using RemoteListModel::RemoteListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Where results come from, and the chat list that names their chats.
    void setSource(client::ApiClient *api, const ChatListModel *chats);
    // Searches all chats (chatId empty) or one; an empty query clears the results.
    Q_INVOKABLE void search(const QString &query, const QString &chatId = {});
    // The next page of the same search.
    Q_INVOKABLE void loadMore();
    Q_INVOKABLE void clear();

    [[nodiscard]] const QString &query() const { return m_query; }
    [[nodiscard]] bool hasMore() const { return m_hasMore; }

Q_SIGNALS:
    void queryChanged();

private:
    QCoro::Task<> fetch(QString beforeId);

    QPointer<client::ApiClient> m_api;
    const ChatListModel *m_chats = nullptr;
    QString m_query;
    QString m_chatId;
    QList<client::SearchResult> m_results;
    bool m_hasMore = false;
};

} // namespace neonchat::desktop
