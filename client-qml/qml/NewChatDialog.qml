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
        dialog.session.people.search("")
        dialog.session.roomDirectory.refresh()
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
                    onTextEdited: dialog.session.people.search(text)
                    // Down goes to the results, Enter opens the first one.
                    Keys.onDownPressed: people.enter(0)
                    onAccepted: people.activate(0)
                }
                ListState {
                    objectName: "peopleState"
                    model: dialog.session.people
                    shown: people.count
                    emptyText: search.text.trim().length > 0
                               ? qsTr("No one's name starts with “%1”.").arg(search.text.trim())
                               : qsTr("No one else has an account yet.")
                }
                ListView {
                    id: people
                    objectName: "people"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: dialog.session.people
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
                        required property string userId
                        required property string username
                        required property bool online
                        objectName: "userResult"
                        highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                        width: ListView.view.width
                        text: username + (online ? "  ●" : "")
                        Accessible.name: online ? qsTr("%1, online").arg(username) : username
                        onClicked: {
                            dialog.session.startDirectChat(userId)
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
                ListState {
                    objectName: "roomsState"
                    model: dialog.session.roomDirectory
                    shown: roomList.count
                    emptyText: qsTr("No rooms yet: name one above and create it.")
                }
                ListView {
                    id: roomList
                    objectName: "roomList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: dialog.session.roomDirectory
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
                        required property string roomId
                        required property string name
                        required property int members
                        required property bool joined
                        objectName: "roomResult"
                        highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                        width: ListView.view.width
                        text: qsTr("#%1 (%n members)", "", members).arg(name)
                        enabled: !joined
                        Accessible.name: joined ? qsTr("%1, joined").arg(name)
                                                : qsTr("Join %1").arg(name)
                        onClicked: {
                            dialog.session.joinRoom(roomId)
                            dialog.close()
                        }
                    }
                }
            }
        }
    }
}
