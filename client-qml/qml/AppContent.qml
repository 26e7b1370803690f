// SPDX-License-Identifier: MIT
import QtQuick
import NeonChat

// Everything inside the main window: the login page until a session is signed in, then the chat
// page. Kept apart from Main.qml so that tests can run the whole app inside their own window.
Item {
    id: content

    property alias session: chatSession
    property alias appearance: appearanceSettings
    // Whether the user sees the window (messages count as read, no notification).
    property bool active: true

    Appearance {
        id: appearanceSettings
    }

    ChatSession {
        id: chatSession
        viewActive: content.active
    }

    Loader {
        id: page
        anchors.fill: parent
        sourceComponent: chatSession.account.loggedIn ? chatPage : loginPage
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
