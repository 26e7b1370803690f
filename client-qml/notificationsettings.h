// SPDX-License-Identifier: MIT
// Which new messages the user is told about: all notifications can be muted (do not disturb),
// and single chats can be muted. A message that mentions the user (@name) is told about even in a
// muted chat; "all muted" silences mentions too. Kept in QSettings per account, on this device:
// the server has no notion of it (a muted chat still counts its unread messages there).
#pragma once

#include <QObject>
#include <QSet>
#include <QSettings>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class NotificationSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the session")
    Q_PROPERTY(bool allMuted READ allMuted WRITE setAllMuted NOTIFY allMutedChanged)
    // For bindings: the muted chats' ids.
    Q_PROPERTY(QStringList mutedChatIds READ mutedChatIds NOTIFY mutedChatsChanged)
public:
    explicit NotificationSettings(QObject *parent = nullptr);

    // The account whose muted chats are read and written (empty: none, after logout).
    void setAccount(const QString &userId);

    [[nodiscard]] bool allMuted() const { return m_allMuted; }
    void setAllMuted(bool muted);
    [[nodiscard]] Q_INVOKABLE bool isMuted(const QString &chatId) const {
        return m_mutedChats.contains(chatId);
    }
    Q_INVOKABLE void setMuted(const QString &chatId, bool muted);
    [[nodiscard]] const QSet<QString> &mutedChats() const { return m_mutedChats; }
    [[nodiscard]] QStringList mutedChatIds() const {
        return {m_mutedChats.begin(), m_mutedChats.end()};
    }

    // Whether a new message of this chat is to be shown as a notification.
    [[nodiscard]] bool allows(const QString &chatId, bool mentionsUser) const {
        return !m_allMuted && (mentionsUser || !isMuted(chatId));
    }

Q_SIGNALS:
    void allMutedChanged();
    void mutedChatsChanged();

private:
    [[nodiscard]] QString mutedChatsKey() const;

    QSettings m_settings;
    QString m_userId;
    bool m_allMuted = false;
    QSet<QString> m_mutedChats;
};

} // namespace neonchat::desktop
