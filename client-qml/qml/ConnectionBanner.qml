// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import NeonChat

// Shown while the session is not online: connecting, waiting to reconnect (with the reason and
// the countdown, and a button to try at once), or offline for good (with the reason).
Rectangle {
    id: banner

    property int connection: Account.Online
    property int seconds: 0
    property string problem: ""
    readonly property bool waiting: banner.connection === Account.Reconnecting
                                    && banner.seconds > 0
    readonly property string message: {
        switch (banner.connection) {
        case Account.Connecting:
            return qsTr("Connecting…")
        case Account.Reconnecting:
            if (!banner.waiting)
                return qsTr("Reconnecting…")
            return banner.problem.length > 0
                   ? qsTr("No connection (%1). Trying again in %n s…", "", banner.seconds)
                     .arg(banner.problem)
                   : qsTr("Reconnecting in %n s…", "", banner.seconds)
        case Account.Offline:
            return banner.problem.length > 0 ? qsTr("Offline: %1").arg(banner.problem)
                                             : qsTr("Offline")
        default:
            return ""
        }
    }

    // The user asks to try now instead of waiting out the countdown.
    signal retryRequested()

    objectName: "connectionBanner"
    visible: message.length > 0
    implicitHeight: visible ? Math.max(label.implicitHeight, retry.visible ? retry.implicitHeight : 0)
                              + 12 : 0
    color: banner.connection === Account.Offline ? "#c62828" : "#f9a825"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message

    Label {
        id: label
        anchors.verticalCenter: parent.verticalCenter
        x: 12
        width: parent.width - 24 - (retry.visible ? retry.width + 8 : 0)
        horizontalAlignment: Text.AlignHCenter
        text: banner.message
        textFormat: Text.PlainText
        elide: Text.ElideRight
        color: banner.connection === Account.Offline ? "white" : "black"
    }

    Button {
        id: retry
        objectName: "retryNowButton"
        anchors.right: parent.right
        anchors.rightMargin: 8
        anchors.verticalCenter: parent.verticalCenter
        visible: banner.waiting
        flat: true
        topInset: 0
        bottomInset: 0
        text: qsTr("Retry now")
        Material.foreground: "black"
        onClicked: banner.retryRequested()
    }
}
