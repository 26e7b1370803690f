// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import NeonChat

ApplicationWindow {
    id: window

    readonly property ChatSession session: content.session
    readonly property Appearance appearance: content.appearance
    readonly property TrayIcon tray: trayIcon
    // The balloon saying where the window went is shown once a run.
    property bool toldAboutTray: false

    width: 960
    height: 640
    minimumWidth: 480
    minimumHeight: 400
    visible: true
    title: session.chats.totalUnread > 0
           ? qsTr("(%1) NeonChat").arg(session.chats.totalUnread) : qsTr("NeonChat")

    Material.theme: appearance.theme === Appearance.Dark ? Material.Dark
                  : appearance.theme === Appearance.Light ? Material.Light
                  : Material.System
    Material.accent: Material.Teal
    Material.primary: Material.Teal

    // Ctrl+Q quits from anywhere in the app.
    Shortcut {
        sequence: StandardKey.Quit
        context: Qt.ApplicationShortcut
        onActivated: Qt.quit()
    }

    TrayIcon {
        id: trayIcon
        unread: window.session.chats.totalUnread
        allMuted: window.session.notifications.allMuted
        onAllMutedChanged: window.session.notifications.allMuted = allMuted
        onShowRequested: {
            window.show()
            window.raise()
            window.requestActivate()
        }
    }

    // With a tray, closing the window keeps the app running there (for notifications and the
    // unread count); Quit in the tray's menu or Ctrl+Q ends it.
    onClosing: close => {
        if (!trayIcon.available)
            return
        close.accepted = false
        window.hide()
        if (!window.toldAboutTray) {
            window.toldAboutTray = true
            trayIcon.showMessage(qsTr("NeonChat is still running"),
                                 qsTr("It stays in the tray. Quit it from the tray's menu or with Ctrl+Q."))
        }
    }

    AppContent {
        id: content
        anchors.fill: parent
        active: window.active
    }

    Component.onCompleted: session.account.restore()
}
