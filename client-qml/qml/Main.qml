// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import NeonChat

ApplicationWindow {
    id: window

    property alias session: lobby
    property string initialServer: ""
    property string initialName: ""
    property bool autoJoin: false

    width: 720
    height: 540
    visible: true
    title: qsTr("NeonChat — Lobby")

    LobbySession {
        id: lobby
        serverUrl: window.initialServer.length > 0 ? window.initialServer : "ws://localhost:8080/ws"
        name: window.initialName
    }

    Component.onCompleted: if (autoJoin) lobby.join()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            visible: !lobby.online
            Layout.fillWidth: true
            TextField {
                id: serverField
                Layout.fillWidth: true
                text: lobby.serverUrl
                placeholderText: qsTr("Server address")
                Accessible.name: qsTr("Server address")
                onTextEdited: lobby.serverUrl = text
            }
            TextField {
                id: nameField
                Layout.preferredWidth: 180
                text: lobby.name
                placeholderText: qsTr("Your name")
                Accessible.name: qsTr("Your name")
                onTextEdited: lobby.name = text
                onAccepted: lobby.join()
            }
            Button {
                text: lobby.connecting ? qsTr("Joining…") : qsTr("Join")
                enabled: !lobby.connecting
                Accessible.name: qsTr("Join the lobby")
                onClicked: lobby.join()
            }
        }

        Label {
            visible: lobby.errorText.length > 0
            Layout.fillWidth: true
            text: lobby.errorText
            textFormat: Text.PlainText
            color: "#b00020"
            wrapMode: Text.Wrap
        }

        ListView {
            id: messageView
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: lobby.messages
            onCountChanged: positionViewAtEnd()
            Accessible.name: qsTr("Messages")

            delegate: Column {
                id: bubble
                required property string sender
                required property string text
                required property string time
                required property bool own

                width: ListView.view.width
                Label {
                    text: bubble.sender + "  ·  " + bubble.time
                    textFormat: Text.PlainText
                    font.bold: true
                    color: bubble.own ? "#1565c0" : palette.text
                }
                Label {
                    width: parent.width
                    text: bubble.text
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            enabled: lobby.online
            TextField {
                id: composer
                Layout.fillWidth: true
                placeholderText: qsTr("Message the lobby")
                maximumLength: 4096
                Accessible.name: qsTr("Message")
                onAccepted: sendButton.clicked()
            }
            Button {
                id: sendButton
                text: qsTr("Send")
                Accessible.name: qsTr("Send message")
                enabled: composer.text.trim().length > 0
                onClicked: {
                    lobby.send(composer.text)
                    composer.clear()
                }
            }
        }
    }
}
