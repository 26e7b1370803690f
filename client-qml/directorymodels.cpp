// SPDX-License-Identifier: MIT
#include "directorymodels.h"

#include "servererror.h"

namespace neonchat::desktop {

int PeopleModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_people.size());
}

QVariant PeopleModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const client::UserSummary &user = m_people[index.row()];
    switch (role) {
    case UserIdRole:
        return user.id;
    case Qt::DisplayRole:
    case UsernameRole:
        return user.username;
    case OnlineRole:
        return user.online;
    default:
        return {};
    }
}

QHash<int, QByteArray> PeopleModel::roleNames() const {
    return {{UserIdRole, "userId"}, {UsernameRole, "username"}, {OnlineRole, "online"}};
}

void PeopleModel::setSource(client::ApiClient *api, const QString &ownUserId) {
    m_api = api;
    m_ownUserId = ownUserId;
    forgetRequests();
    beginResetModel();
    m_people.clear();
    endResetModel();
}

void PeopleModel::search(const QString &prefix) {
    if (m_api) {
        fetch(prefix.trimmed());
    }
}

QCoro::Task<> PeopleModel::fetch(QString prefix) {
    QPointer<PeopleModel> self(this);
    const quint64 request = startRequest();
    const auto answer = co_await m_api->searchUsers(prefix);
    if (!self || !isCurrent(request)) {
        co_return; // a newer search (the user typed on) or a logout
    }
    setLoading(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        setErrorText(requestErrorText(*error));
        co_return;
    }
    QList<client::UserSummary> found = std::get<QList<client::UserSummary>>(answer);
    found.removeIf([this](const client::UserSummary &user) { return user.id == m_ownUserId; });
    beginResetModel();
    m_people = std::move(found);
    endResetModel();
}

int RoomDirectoryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rooms.size());
}

QVariant RoomDirectoryModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const client::RoomSummary &room = m_rooms[index.row()];
    switch (role) {
    case RoomIdRole:
        return room.id;
    case Qt::DisplayRole:
    case NameRole:
        return room.name;
    case MembersRole:
        return room.members;
    case JoinedRole:
        return m_chats && m_chats->rowOf(room.id) >= 0;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomDirectoryModel::roleNames() const {
    return {{RoomIdRole, "roomId"},
            {NameRole, "name"},
            {MembersRole, "members"},
            {JoinedRole, "joined"}};
}

void RoomDirectoryModel::setSource(client::ApiClient *api, const ChatListModel *chats) {
    m_api = api;
    m_chats = chats;
    forgetRequests();
    beginResetModel();
    m_rooms.clear();
    endResetModel();
}

void RoomDirectoryModel::refresh() {
    if (m_api) {
        fetch();
    }
}

QCoro::Task<> RoomDirectoryModel::fetch() {
    QPointer<RoomDirectoryModel> self(this);
    const quint64 request = startRequest();
    const auto answer = co_await m_api->rooms();
    if (!self || !isCurrent(request)) {
        co_return;
    }
    setLoading(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        setErrorText(requestErrorText(*error));
        co_return;
    }
    beginResetModel();
    m_rooms = std::get<QList<client::RoomSummary>>(answer);
    endResetModel();
}

} // namespace neonchat::desktop
