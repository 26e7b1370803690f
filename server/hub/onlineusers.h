// SPDX-License-Identifier: MIT
// Which accounts have a session open right now, on any instance of the cluster. The hub writes it
// as sessions come and go (here, or on other instances as Redis reports); HTTP handlers read it
// for the "online" fields of CONTRACT §2 without waiting on anything. Guests are not in it.
#pragma once

#include <QReadWriteLock>
#include <QSet>
#include <QString>
#include <QStringList>

namespace neonchat::server {

class OnlineUsers {
public:
    [[nodiscard]] bool isOnline(const QString &userId) const {
        const QReadLocker lock(&m_lock);
        return m_online.contains(userId);
    }

    // Up to limit of the users online now, in no particular order.
    [[nodiscard]] QStringList some(qsizetype limit) const {
        const QReadLocker lock(&m_lock);
        QStringList ids;
        for (auto id = m_online.cbegin(); id != m_online.cend() && ids.size() < limit; ++id) {
            ids.append(*id);
        }
        return ids;
    }

    void setOnline(const QString &userId, bool online) {
        const QWriteLocker lock(&m_lock);
        if (online) {
            m_online.insert(userId);
        } else {
            m_online.remove(userId);
        }
    }

    void replaceAll(QSet<QString> online) {
        const QWriteLocker lock(&m_lock);
        m_online = std::move(online);
    }

private:
    mutable QReadWriteLock m_lock;
    QSet<QString> m_online;
};

} // namespace neonchat::server
