// SPDX-License-Identifier: MIT
#include "notificationsettings.h"

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {
constexpr auto kAllMutedKey = "notifications/all_muted"_L1;
} // namespace

NotificationSettings::NotificationSettings(QObject *parent)
    : QObject(parent)
    , m_allMuted(m_settings.value(kAllMutedKey, false).toBool()) {}

QString NotificationSettings::mutedChatsKey() const {
    return u"notifications/muted_chats/"_s + m_userId;
}

void NotificationSettings::setAccount(const QString &userId) {
    if (userId == m_userId) {
        return;
    }
    m_userId = userId;
    m_mutedChats.clear();
    if (!m_userId.isEmpty()) {
        const QStringList stored = m_settings.value(mutedChatsKey()).toStringList();
        m_mutedChats = QSet<QString>(stored.begin(), stored.end());
    }
    Q_EMIT mutedChatsChanged();
}

void NotificationSettings::setAllMuted(bool muted) {
    if (muted == m_allMuted) {
        return;
    }
    m_allMuted = muted;
    m_settings.setValue(kAllMutedKey, muted);
    Q_EMIT allMutedChanged();
}

void NotificationSettings::setMuted(const QString &chatId, bool muted) {
    if (m_userId.isEmpty() || chatId.isEmpty() || muted == isMuted(chatId)) {
        return;
    }
    if (muted) {
        m_mutedChats.insert(chatId);
    } else {
        m_mutedChats.remove(chatId);
    }
    QStringList stored(m_mutedChats.begin(), m_mutedChats.end());
    stored.sort(); // the same set, the same file
    if (stored.isEmpty()) {
        m_settings.remove(mutedChatsKey());
    } else {
        m_settings.setValue(mutedChatsKey(), stored);
    }
    Q_EMIT mutedChatsChanged();
}

} // namespace neonchat::desktop
