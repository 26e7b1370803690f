// SPDX-License-Identifier: MIT
// Typing, both ways, for the open chat. The user's edits become notices to send (typing again at
// most every few seconds while the edits go on; stopped after a pause, a send, an emptied composer
// or another chat), and what others' notices said becomes one line: "bob is typing…", "bob and
// carol are typing…", "3 people are typing…". Someone whose notices stop counts as typing only
// for a while: a client that went away never says it stopped.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class TypingTracker : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    // Who else types in the open chat, for the line above the composer; empty when no one does.
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
public:
    struct Timing {
        qint64 repeatMs = 3000; // the chat is told again that the user types at most this often
        int idleMs = 5000;      // and that they stopped after this long without an edit
        qint64 expiryMs = 8000; // another counts as typing until this long after their notice
    };

    explicit TypingTracker(QObject *parent = nullptr);
    explicit TypingTracker(Timing timing, QObject *parent = nullptr);

    [[nodiscard]] const QString &text() const { return m_text; }

    // The user's own notices (which arrive back from the server) are not someone else's.
    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }
    // Names others by their id in the line.
    void learnName(const QString &userId, const QString &username);
    // The open chat (empty: none). The user stops typing in the one before.
    void setChat(const QString &chatId);
    // The composer's text changed: the user types, or stopped when it is empty.
    Q_INVOKABLE void edited(const QString &text);
    // The user stopped typing (a send, a logout).
    void stop();
    // A notice from the server about someone typing in a chat, or not any more.
    void heard(const QString &chatId, const QString &userId, bool typing);
    // A logout: no one types, and no name is known.
    void clear();

Q_SIGNALS:
    void textChanged();
    // Tell the server that the user types in this chat, or stopped.
    void announce(const QString &chatId, bool typing);

private:
    void update();

    Timing m_timing;
    QString m_ownUserId;
    QString m_chatId;
    QHash<QString, QString> m_names; // user id → username, as learnt
    QElapsedTimer m_clock;
    qint64 m_announcedAtMs = -1; // -1: the open chat is not told the user is typing
    QTimer m_idle;
    QHash<QString, QHash<QString, qint64>> m_typers; // chat → user → when last heard (ms)
    QTimer m_expiry;
    QString m_text;
};

} // namespace neonchat::desktop
