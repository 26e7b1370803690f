// SPDX-License-Identifier: MIT
// The user's chats for the chat list: lobby, rooms and direct chats, newest activity first, with
// unread counts, the partner's presence and the last message. Filled from the chat list of the
// REST API, then kept current by what the session receives.
#pragma once

#include "client/apiclient.h"
#include "protocol/protocol.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

// When a chat was last active, as the list shows it: the time today, "Yesterday", the weekday
// within a week, else the date (in the user's locale). Empty for an invalid time.
[[nodiscard]] QString activityText(const QDateTime &at, const QDateTime &now);

class ChatListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the session")
    // Unread messages of the chats that are not muted (the window title and the tray show it).
    Q_PROPERTY(qint64 totalUnread READ totalUnread NOTIFY totalUnreadChanged)
    // While the pointer is over the list, chats do not move (a new message would move a chat
    // from under a click); they take their places once it leaves.
    Q_PROPERTY(bool held READ held WRITE setHeld NOTIFY heldChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,
        TitleRole,
        UnreadRole,
        PartnerIdRole,
        PartnerOnlineRole,
        LastMessageRole, // the preview: "You: …", or "name: …" in rooms and the lobby
        LastActivityRole,
        ActivityTextRole, // when, as short as it can be said: a time today, a day, a date
        MutedRole,        // no notifications; its unread messages are not in the total
    };
    Q_ENUM(Role)

    explicit ChatListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Whose messages preview as "You: …".
    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }
    // Replaces the list with the server's, in its order.
    void reset(const QList<client::ChatSummary> &chats);
    // A message of one of the chats: it becomes the chat's last one and the chat moves to the
    // top; it counts as unread unless it is one's own or the chat is open. False for a chat not
    // in the list (the list is to be read again).
    bool messageArrived(const protocol::ChatMessage &message, bool own, bool chatOpen);
    void setPresence(const QString &userId, bool online);
    // Every partner shown offline (while the session is).
    void clearPresence();
    // The user has read the chat to its end (0), or up to where this many are left.
    void setUnread(const QString &chatId, qint64 count);
    void markRead(const QString &chatId) { setUnread(chatId, 0); }
    void setMutedChats(const QSet<QString> &chatIds);

    // The chats whose title contains text (ignoring case), in list order, as {chatId, title,
    // kind, unreadCount} maps: what the chat switcher (Ctrl+K) offers.
    Q_INVOKABLE QVariantList matching(const QString &text) const;

    [[nodiscard]] bool held() const { return m_held; }
    void setHeld(bool held);
    [[nodiscard]] qint64 totalUnread() const;
    [[nodiscard]] qint64 unread(const QString &chatId) const;
    // Who created the room (empty for other chats, and chats not in the list).
    [[nodiscard]] QString roomCreator(const QString &chatId) const;
    [[nodiscard]] int rowOf(const QString &chatId) const;

Q_SIGNALS:
    void totalUnreadChanged();
    void heldChanged();

private:
    struct Entry {
        client::ChatSummary chat;
        QDateTime lastActivity;
        QString lastSender; // the last message's sender's name, when known
    };

    // Moves the chat at row to the top, unless held.
    void moveToTop(int row);
    [[nodiscard]] QString preview(const Entry &entry) const;

    QList<Entry> m_entries;
    QString m_ownUserId;
    QSet<QString> m_muted;
    bool m_held = false;
};

} // namespace neonchat::desktop
