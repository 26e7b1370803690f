// SPDX-License-Identifier: MIT
#include "chatlistmodel.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

QString activityText(const QDateTime &at, const QDateTime &now) {
    if (!at.isValid()) {
        return {};
    }
    const QDateTime local = at.toLocalTime();
    const qint64 daysAgo = local.date().daysTo(now.toLocalTime().date());
    const QLocale locale;
    if (daysAgo <= 0) {
        return locale.toString(local.time(), QLocale::ShortFormat);
    }
    if (daysAgo == 1) {
        return ChatListModel::tr("Yesterday");
    }
    if (daysAgo < 7) {
        return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat);
    }
    return locale.toString(local.date(), QLocale::ShortFormat);
}

ChatListModel::ChatListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int ChatListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant ChatListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Entry &entry = m_entries.at(index.row());
    const client::ChatSummary &chat = entry.chat;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        if (chat.partner) {
            return chat.partner->username;
        }
        if (chat.kind == "room"_L1) {
            return u"#"_s + chat.name; // as everywhere a room is named
        }
        return chat.kind == "lobby"_L1 ? tr("Lobby") : chat.name;
    case IdRole:
        return chat.id;
    case KindRole:
        return chat.kind;
    case UnreadRole:
        return chat.unreadCount;
    case PartnerIdRole:
        return chat.partner ? chat.partner->id : QString();
    case PartnerOnlineRole:
        return chat.partner && chat.partner->online;
    case LastMessageRole:
        return preview(entry);
    case LastActivityRole:
        return entry.lastActivity;
    case MutedRole:
        return m_muted.contains(chat.id);
    case ActivityTextRole:
        // A chat without messages has no time to show (its creation is not activity).
        return chat.lastMessageSenderId.isEmpty()
                   ? QString()
                   : activityText(entry.lastActivity, QDateTime::currentDateTime());
    default:
        return {};
    }
}

QHash<int, QByteArray> ChatListModel::roleNames() const {
    return {{IdRole, "chatId"},
            {KindRole, "kind"},
            {TitleRole, "title"},
            {UnreadRole, "unreadCount"},
            {PartnerIdRole, "partnerId"},
            {PartnerOnlineRole, "partnerOnline"},
            {LastMessageRole, "lastMessage"},
            {LastActivityRole, "lastActivity"},
            {ActivityTextRole, "activityText"},
            {MutedRole, "muted"}};
}

void ChatListModel::reset(const QList<client::ChatSummary> &chats) {
    beginResetModel();
    m_entries.clear();
    for (const client::ChatSummary &chat : chats) {
        m_entries.append({chat, chat.updatedAt, {}});
    }
    endResetModel();
    Q_EMIT totalUnreadChanged();
}

QVariantList ChatListModel::matching(const QString &text) const {
    QVariantList found;
    const QString wanted = text.trimmed();
    for (int row = 0; row < m_entries.size(); ++row) {
        const QModelIndex at = index(row);
        const QString title = data(at, TitleRole).toString();
        if (title.contains(wanted, Qt::CaseInsensitive)) {
            found.append(QVariantMap{{u"chatId"_s, data(at, IdRole)},
                                     {u"title"_s, title},
                                     {u"kind"_s, data(at, KindRole)},
                                     {u"unreadCount"_s, data(at, UnreadRole)}});
        }
    }
    return found;
}

int ChatListModel::rowOf(const QString &chatId) const {
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].chat.id == chatId) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

bool ChatListModel::messageArrived(const protocol::ChatMessage &message, bool own, bool chatOpen) {
    const int row = rowOf(message.chatId);
    if (row < 0) {
        return false;
    }
    Entry &entry = m_entries[row];
    entry.chat.lastMessageText = message.text;
    entry.chat.lastMessageSenderId = message.senderId;
    entry.lastSender = message.sender;
    entry.lastActivity = message.createdAt;
    const bool counts = !own && !chatOpen;
    if (counts) {
        ++entry.chat.unreadCount;
    }
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed,
                       {UnreadRole, LastMessageRole, LastActivityRole, ActivityTextRole});
    moveToTop(row);
    if (counts) {
        Q_EMIT totalUnreadChanged();
    }
    return true;
}

void ChatListModel::moveToTop(int row) {
    if (row > 0 && !m_held) {
        beginMoveRows({}, row, row, {}, 0);
        m_entries.move(row, 0);
        endMoveRows();
    }
}

void ChatListModel::setHeld(bool held) {
    if (m_held == held) {
        return;
    }
    m_held = held;
    Q_EMIT heldChanged();
    if (held) {
        return;
    }
    // Released: each chat moves to where its last activity puts it, newest first.
    for (int target = 0; target < m_entries.size(); ++target) {
        const auto newest = std::max_element(
            m_entries.cbegin() + target, m_entries.cend(),
            [](const Entry &a, const Entry &b) { return a.lastActivity < b.lastActivity; });
        const int from = static_cast<int>(newest - m_entries.cbegin());
        if (from != target && newest->lastActivity > m_entries[target].lastActivity) {
            beginMoveRows({}, from, from, {}, target);
            m_entries.move(from, target);
            endMoveRows();
        }
    }
}

QString ChatListModel::preview(const Entry &entry) const {
    const client::ChatSummary &chat = entry.chat;
    if (chat.lastMessageSenderId.isEmpty()) {
        return {};
    }
    if (chat.lastMessageSenderId == m_ownUserId) {
        return tr("You: %1").arg(chat.lastMessageText);
    }
    // In a direct chat the partner's name is the title already.
    if (!chat.partner && !entry.lastSender.isEmpty()) {
        return tr("%1: %2").arg(entry.lastSender, chat.lastMessageText);
    }
    return chat.lastMessageText;
}

void ChatListModel::setPresence(const QString &userId, bool online) {
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        auto &partner = m_entries[row].chat.partner;
        if (partner && partner->id == userId && partner->online != online) {
            partner->online = online;
            const QModelIndex changed = index(static_cast<int>(row));
            Q_EMIT dataChanged(changed, changed, {PartnerOnlineRole});
        }
    }
}

void ChatListModel::setUnread(const QString &chatId, qint64 count) {
    const int row = rowOf(chatId);
    if (row < 0 || m_entries[row].chat.unreadCount == count) {
        return;
    }
    m_entries[row].chat.unreadCount = count;
    Q_EMIT dataChanged(index(row), index(row), {UnreadRole});
    Q_EMIT totalUnreadChanged();
}

void ChatListModel::clearPresence() {
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        auto &partner = m_entries[row].chat.partner;
        if (partner && partner->online) {
            partner->online = false;
            const QModelIndex changed = index(static_cast<int>(row));
            Q_EMIT dataChanged(changed, changed, {PartnerOnlineRole});
        }
    }
}

qint64 ChatListModel::unread(const QString &chatId) const {
    const int row = rowOf(chatId);
    return row < 0 ? 0 : m_entries[row].chat.unreadCount;
}

QString ChatListModel::roomCreator(const QString &chatId) const {
    const int row = rowOf(chatId);
    return row < 0 ? QString() : m_entries[row].chat.createdBy;
}

qint64 ChatListModel::totalUnread() const {
    qint64 total = 0;
    for (const Entry &entry : m_entries) {
        if (!m_muted.contains(entry.chat.id)) {
            total += entry.chat.unreadCount;
        }
    }
    return total;
}

void ChatListModel::setMutedChats(const QSet<QString> &chatIds) {
    if (chatIds == m_muted) {
        return;
    }
    m_muted = chatIds;
    if (!m_entries.isEmpty()) {
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {MutedRole});
    }
    Q_EMIT totalUnreadChanged();
}

} // namespace neonchat::desktop
