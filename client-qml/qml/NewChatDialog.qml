// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import NeonChat

// A direct chat with someone found by name, or a room to join or create. Esc closes it.
Dialog {
    id: dialog

    required property ChatSession session

    objectName: "newChatDialog"
    title: qsTr("New chat")
    modal: true
    width: 400
    height: 460
    standardButtons: Dialog.Close
    onOpened: {
        tabs.currentIndex = 0
        search.clear()
        search.forceActiveFocus()
        dialog.session.searchUsers("")
        dialog.session.listRooms()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        TabBar {
            id: tabs
            objectName: "newChatTabs"
            Layout.fillWidth: true
            TabButton {
                text: qsTr("Person")
                Accessible.name: qsTr("Start a direct chat")
            }
            TabButton {
                text: qsTr("Room")
                Accessible.name: qsTr("Join or create a room")
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            ColumnLayout {
                TextField {
                    id: search
                    objectName: "userSearch"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Search people by name")
                    Accessible.name: qsTr("Search people by name")
                    onTextEdited: dialog.session.searchUsers(text)
                    // Down goes to the results, Enter opens the first one.
                    Keys.onDownPressed: people.enter(0)
                    onAccepted: people.activate(0)
                }
                ListView {
                    id: people
                    objectName: "people"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: dialog.session.foundUsers
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("People")
                    function enter(index) {
                        if (count > 0) {
                            currentIndex = index
                            forceActiveFocus()
                        }
                    }
                    function activate(index) {
                        if (index >= 0 && index < count)
                            itemAtIndex(index).clicked()
                    }
                    Keys.onReturnPressed: activate(currentIndex)
                    Keys.onEnterPressed: activate(currentIndex)
                    Keys.onUpPressed: event => {
                        if (currentIndex === 0)
                            search.forceActiveFocus()
                        else
                            event.accepted = false
                    }
                    delegate: ItemDelegate {
                        required property var modelData
                        objectName: "userResult"
                        highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                        width: ListView.view.width
                        text: modelData.username + (modelData.online ? "  ●" : "")
                        Accessible.name: modelData.online
                                         ? qsTr("%1, online").arg(modelData.username)
                                         : modelData.username
                        onClicked: {
                            dialog.session.startDirectChat(modelData.userId)
                            dialog.close()
                        }
                    }
                }
            }

            ColumnLayout {
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: roomName
                        objectName: "roomName"
                        Layout.fillWidth: true
                        placeholderText: qsTr("New room name")
                        Accessible.name: qsTr("New room name")
                        onAccepted: createButton.clicked()
                        Keys.onDownPressed: roomList.enter(0)
                    }
                    Button {
                        id: createButton
                        objectName: "createRoomButton"
                        text: qsTr("Create")
                        enabled: roomName.text.trim().length > 0
                        Accessible.name: qsTr("Create the room")
                        onClicked: {
                            dialog.session.createRoom(roomName.text)
                            roomName.clear()
                            dialog.close()
                        }
                    }
                }
                ListView {
                    id: roomList
                    objectName: "roomList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: dialog.session.rooms
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("Rooms")
                    function enter(index) {
                        if (count > 0) {
                            currentIndex = index
                            forceActiveFocus()
                        }
                    }
                    Keys.onReturnPressed: currentItem && currentItem.enabled && currentItem.clicked()
                    Keys.onEnterPressed: currentItem && currentItem.enabled && currentItem.clicked()
                    Keys.onUpPressed: event => {
                        if (currentIndex === 0)
                            roomName.forceActiveFocus()
                        else
                            event.accepted = false
                    }
                    delegate: ItemDelegate {
                        required property var modelData
                        objectName: "roomResult"
                        highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                        width: ListView.view.width
                        text: qsTr("#%1 (%n members)", "", modelData.members).arg(modelData.name)
                        enabled: !modelData.joined
                        Accessible.name: modelData.joined
                                         ? qsTr("%1, joined").arg(modelData.name)
                                         : qsTr("Join %1").arg(modelData.name)
                        onClicked: {
                            dialog.session.joinRoom(modelData.roomId)
                            dialog.close()
                        }
                    }
                }
            }
        }
    }
}
