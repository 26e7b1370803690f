// SPDX-License-Identifier: MIT
// What the New chat dialog lists: the people whose name starts with what the user typed, and the
// server's rooms (marked when the user is in one already). Read from the server on request.
#pragma once

#include "chatlistmodel.h"
#include "client/apiclient.h"
#include "remotelistmodel.h"

#include <QPointer>

namespace neonchat::desktop {

class PeopleModel : public RemoteListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
public:
    enum Role { UserIdRole = Qt::UserRole + 1, UsernameRole, OnlineRole };
    Q_ENUM(Role)

    using RemoteListModel::RemoteListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Where people are found, and who is left out (the user).
    void setSource(client::ApiClient *api, const QString &ownUserId);
    // The people whose name starts with prefix (everyone, for an empty one).
    Q_INVOKABLE void search(const QString &prefix);

private:
    QCoro::Task<> fetch(QString prefix);

    QPointer<client::ApiClient> m_api;
    QString m_ownUserId;
    QList<client::UserSummary> m_people;
};

class RoomDirectoryModel : public RemoteListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
public:
    enum Role { RoomIdRole = Qt::UserRole + 1, NameRole, MembersRole, JoinedRole };
    Q_ENUM(Role)

    using RemoteListModel::RemoteListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Where rooms are listed, and the chats that say which ones the user is in.
    void setSource(client::ApiClient *api, const ChatListModel *chats);
    // Reads the rooms again.
    Q_INVOKABLE void refresh();

private:
    QCoro::Task<> fetch();

    QPointer<client::ApiClient> m_api;
    const ChatListModel *m_chats = nullptr;
    QList<client::RoomSummary> m_rooms;
};

} // namespace neonchat::desktop
