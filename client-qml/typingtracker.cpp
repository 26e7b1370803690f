// SPDX-License-Identifier: MIT
#include "typingtracker.h"

#include <algorithm>
#include <iterator>

namespace neonchat::desktop {

TypingTracker::TypingTracker(QObject *parent)
    : TypingTracker(Timing{}, parent) {}

TypingTracker::TypingTracker(Timing timing, QObject *parent)
    : QObject(parent)
    , m_timing(timing) {
    m_clock.start();
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_timing.idleMs);
    connect(&m_idle, &QTimer::timeout, this, &TypingTracker::stop);
    // Often enough that an expired typer leaves the line within a fraction of the expiry.
    m_expiry.setInterval(static_cast<int>(std::clamp<qint64>(m_timing.expiryMs / 8, 10, 1000)));
    connect(&m_expiry, &QTimer::timeout, this, &TypingTracker::update);
}

void TypingTracker::learnName(const QString &userId, const QString &username) {
    m_names.insert(userId, username);
}

void TypingTracker::setChat(const QString &chatId) {
    if (chatId == m_chatId) {
        return;
    }
    stop();
    m_chatId = chatId;
    update();
}

void TypingTracker::edited(const QString &text) {
    if (m_chatId.isEmpty()) {
        return;
    }
    if (text.isEmpty()) {
        stop();
        return;
    }
    const qint64 now = m_clock.elapsed();
    if (m_announcedAtMs < 0 || now - m_announcedAtMs >= m_timing.repeatMs) {
        m_announcedAtMs = now;
        Q_EMIT announce(m_chatId, true);
    }
    m_idle.start();
}

void TypingTracker::stop() {
    m_idle.stop();
    const bool announced = m_announcedAtMs >= 0;
    m_announcedAtMs = -1;
    if (announced && !m_chatId.isEmpty()) {
        Q_EMIT announce(m_chatId, false);
    }
}

void TypingTracker::heard(const QString &chatId, const QString &userId, bool typing) {
    if (userId == m_ownUserId) {
        return;
    }
    if (typing) {
        m_typers[chatId].insert(userId, m_clock.elapsed());
    } else if (auto typers = m_typers.find(chatId); typers != m_typers.end()) {
        typers->remove(userId);
    }
    update();
}

void TypingTracker::clear() {
    stop();
    m_typers.clear();
    m_names.clear();
    m_chatId.clear();
    update();
}

void TypingTracker::update() {
    const qint64 now = m_clock.elapsed();
    QStringList names;
    // Every chat's: the clock stops once no one anywhere types.
    for (auto chat = m_typers.begin(); chat != m_typers.end();) {
        for (auto typer = chat->begin(); typer != chat->end();) {
            if (now - typer.value() > m_timing.expiryMs) {
                typer = chat->erase(typer);
                continue;
            }
            if (chat.key() == m_chatId) {
                names.append(m_names.value(typer.key(), tr("Someone")));
            }
            ++typer;
        }
        chat = chat->isEmpty() ? m_typers.erase(chat) : std::next(chat);
    }
    names.sort(Qt::CaseInsensitive);
    QString text;
    if (names.size() == 1) {
        text = tr("%1 is typing…").arg(names.constFirst());
    } else if (names.size() == 2) {
        text = tr("%1 and %2 are typing…").arg(names[0], names[1]);
    } else if (names.size() > 2) {
        text = tr("%n people are typing…", nullptr, static_cast<int>(names.size()));
    }
    if (m_typers.isEmpty()) {
        m_expiry.stop();
    } else if (!m_expiry.isActive()) {
        m_expiry.start();
    }
    if (text != m_text) {
        m_text = text;
        Q_EMIT textChanged();
    }
}

} // namespace neonchat::desktop
