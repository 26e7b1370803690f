// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import NeonChat

ApplicationWindow {
    id: window

    readonly property ChatSession session: content.session
    readonly property Appearance appearance: content.appearance

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

    AppContent {
        id: content
        anchors.fill: parent
        active: window.active
    }

    Component.onCompleted: session.restore()
}
