// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import NeonChat

// Shown while the session is not online: connecting, waiting to reconnect (with the countdown),
// or offline for good (with the reason).
Rectangle {
    id: banner

    property int connection: ChatSession.Online
    property int seconds: 0
    property string problem: ""
    readonly property string message: {
        switch (banner.connection) {
        case ChatSession.Connecting:
            return qsTr("Connecting…")
        case ChatSession.Reconnecting:
            return banner.seconds > 0 ? qsTr("Reconnecting in %n s…", "", banner.seconds)
                                      : qsTr("Reconnecting…")
        case ChatSession.Offline:
            return banner.problem.length > 0 ? qsTr("Offline: %1").arg(banner.problem)
                                             : qsTr("Offline")
        default:
            return ""
        }
    }

    objectName: "connectionBanner"
    visible: message.length > 0
    implicitHeight: visible ? label.implicitHeight + 12 : 0
    color: banner.connection === ChatSession.Offline ? "#c62828" : "#f9a825"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message

    Label {
        id: label
        anchors.centerIn: parent
        width: parent.width - 24
        horizontalAlignment: Text.AlignHCenter
        text: banner.message
        textFormat: Text.PlainText
        elide: Text.ElideRight
        color: "black"
    }
}
