// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import NeonChat

Pane {
    id: pane

    required property ChatSession session
    required property Appearance appearance

    signal newChatRequested()
    signal chatChosen(string chatId)

    padding: 0

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 12
                Label {
                    Layout.fillWidth: true
                    text: pane.session.account.username
                    textFormat: Text.PlainText
                    font.bold: true
                    elide: Text.ElideRight
                }
                ToolButton {
                    objectName: "newChatButton"
                    text: "+"
                    font.pixelSize: 20
                    Accessible.name: qsTr("New chat")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("New chat")
                    onClicked: pane.newChatRequested()
                }
                ToolButton {
                    text: "⋮"
                    font.pixelSize: 20
                    Accessible.name: qsTr("Menu")
                    onClicked: menu.open()
                    FittingMenu {
                        id: menu
                        y: parent.height
                        // One theme at a time, shown as a choice among the three.
                        ActionGroup {
                            id: themeChoices
                            exclusive: true
                        }
                        ChoiceMenuItem {
                            text: qsTr("Follow the system theme")
                            checked: pane.appearance.theme === Appearance.System
                            ActionGroup.group: themeChoices
                            onTriggered: pane.appearance.theme = Appearance.System
                        }
                        ChoiceMenuItem {
                            text: qsTr("Light theme")
                            checked: pane.appearance.theme === Appearance.Light
                            ActionGroup.group: themeChoices
                            onTriggered: pane.appearance.theme = Appearance.Light
                        }
                        ChoiceMenuItem {
                            text: qsTr("Dark theme")
                            checked: pane.appearance.theme === Appearance.Dark
                            ActionGroup.group: themeChoices
                            onTriggered: pane.appearance.theme = Appearance.Dark
                        }
                        MenuSeparator {}
                        MenuItem {
                            objectName: "muteAllItem"
                            text: qsTr("Mute all notifications")
                            checkable: true
                            checked: pane.session.notifications.allMuted
                            onTriggered: pane.session.notifications.allMuted = checked
                        }
                        MenuSeparator {}
                        MenuItem {
                            text: qsTr("Log out")
                            onTriggered: pane.session.account.logOut()
                        }
                    }
                }
            }
        }

        ListView {
            id: list
            objectName: "chatList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.session.chats
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Chats")
            // Nothing moves under the pointer (a chat would slip away from a click).
            HoverHandler {
                onHoveredChanged: pane.session.chats.held = hovered
            }
            ScrollBar.vertical: ScrollBar {}

            delegate: ChatDelegate {
                width: ListView.view.width
                current: chatId === pane.session.currentChatId
                objectName: "chat_" + chatId
                onClicked: {
                    pane.session.openChat(chatId)
                    pane.chatChosen(chatId)
                }
                onMenuRequested: {
                    chatMenu.chatId = chatId
                    chatMenu.muted = muted
                    chatMenu.popup(this)
                }
            }

            // One menu for every chat of the list.
            FittingMenu {
                id: chatMenu
                objectName: "chatMenu"
                property string chatId
                property bool muted
                MenuItem {
                    objectName: "muteChatItem"
                    text: chatMenu.muted ? qsTr("Unmute notifications") : qsTr("Mute notifications")
                    onTriggered: pane.session.notifications.setMuted(chatMenu.chatId,
                                                                     !chatMenu.muted)
                }
            }
        }
    }
}
