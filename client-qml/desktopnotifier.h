// SPDX-License-Identifier: MIT
// Desktop notifications through the freedesktop.org notification service on the session bus
// (what GNOME, KDE, XFCE and most Linux desktops run). Qt has no notification API of its own;
// QtDBus talks to the service directly. Without a session bus or a notification service, a
// notification is dropped and the reason logged once.
#pragma once

#include <QDBusConnection>
#include <QObject>

namespace neonchat::desktop {

class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QDBusConnection bus = QDBusConnection::sessionBus(),
                             QObject *parent = nullptr);

    // Shows title and body as plain text (the service's markup is escaped). A newer notification
    // replaces the previous one, so a busy chat does not stack dozens.
    void show(const QString &title, const QString &body);

Q_SIGNALS:
    // The service answered: the notification's id, or the error it gave.
    void shown(uint id);
    void failed(const QString &error);

private:
    QDBusConnection m_bus;
    uint m_lastId = 0;
    bool m_failureLogged = false;
};

} // namespace neonchat::desktop
