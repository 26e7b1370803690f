// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import NeonChat

ApplicationWindow {
    id: window

    property alias session: chatSession
    property alias appearance: appearanceSettings

    width: 960
    height: 640
    minimumWidth: 560
    minimumHeight: 400
    visible: true
    title: chatSession.chats.totalUnread > 0
           ? qsTr("(%1) NeonChat").arg(chatSession.chats.totalUnread) : qsTr("NeonChat")

    Material.theme: appearanceSettings.theme === Appearance.Dark ? Material.Dark
                  : appearanceSettings.theme === Appearance.Light ? Material.Light
                  : Material.System
    Material.accent: Material.Teal
    Material.primary: Material.Teal

    Appearance {
        id: appearanceSettings
    }

    ChatSession {
        id: chatSession
        viewActive: window.active
    }

    Component.onCompleted: chatSession.restore()

    Loader {
        id: page
        anchors.fill: parent
        sourceComponent: chatSession.loggedIn ? chatPage : loginPage
    }

    Component {
        id: loginPage
        LoginPage {
            session: chatSession
        }
    }

    Component {
        id: chatPage
        ChatPage {
            session: chatSession
            appearance: appearanceSettings
        }
    }
}
