// SPDX-License-Identifier: MIT
// The app's icon in the desktop's system tray, where there is one: it shows the unread count,
// opens the window on a click, and has a menu to open the window or quit. With it the window
// closes to the tray instead of quitting (Main.qml). QSystemTrayIcon is Qt's only tray API
// (Qt Widgets: the app runs as a QApplication for it); without a tray, or in a plain
// QGuiApplication (the QML tests), the object does nothing and `available` is false.
#pragma once

#include <QImage>
#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace neonchat::desktop {

// The icon with the unread count in a red badge over its lower right corner ("99+" above 99);
// the icon itself for none.
[[nodiscard]] QImage withUnreadBadge(const QImage &icon, qint64 unread);
// The tray's tooltip: the app's name, and the unread count if any.
[[nodiscard]] QString trayToolTip(qint64 unread);

class TrayIcon : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool available READ available CONSTANT)
    Q_PROPERTY(qint64 unread READ unread WRITE setUnread NOTIFY unreadChanged)
    // The menu's "Mute all notifications" check, kept in step with the app's setting.
    Q_PROPERTY(bool allMuted READ allMuted WRITE setAllMuted NOTIFY allMutedChanged)
public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    [[nodiscard]] bool available() const { return m_tray != nullptr; }
    [[nodiscard]] qint64 unread() const { return m_unread; }
    void setUnread(qint64 unread);
    [[nodiscard]] bool allMuted() const { return m_allMuted; }
    void setAllMuted(bool muted);

    // A short balloon from the tray (once the window has gone there, say).
    Q_INVOKABLE void showMessage(const QString &title, const QString &text);

Q_SIGNALS:
    void unreadChanged();
    // allMuted changed, from the tray's menu or from the app.
    void allMutedChanged();
    // The icon was clicked, or Open chosen from its menu.
    void showRequested();

private:
    void updateIcon();

    QImage m_baseIcon;
    qint64 m_unread = 0;
    bool m_allMuted = false;
    std::unique_ptr<QMenu> m_menu;
    QAction *m_muteAll = nullptr; // owned by m_menu
    std::unique_ptr<QSystemTrayIcon> m_tray;
};

} // namespace neonchat::desktop
