// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ItemDelegate {
    id: delegate

    required property string chatId
    required property string kind
    required property string title
    required property int unreadCount
    required property bool partnerOnline
    required property string lastMessage
    required property var lastActivity
    property bool current: false

    highlighted: current
    Accessible.name: unreadCount > 0
                     ? qsTr("%1, %n unread", "", unreadCount).arg(title) : title

    contentItem: RowLayout {
        spacing: 10
        Rectangle {
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
            radius: 18
            color: Qt.hsla((delegate.title.charCodeAt(0) % 12) / 12, 0.45, 0.55, 1)
            Label {
                anchors.centerIn: parent
                text: delegate.kind === "lobby" ? "#" : delegate.title.charAt(0).toUpperCase()
                textFormat: Text.PlainText
                color: "white"
                font.bold: true
            }
            Rectangle {
                objectName: "presenceDot"
                visible: delegate.kind === "direct"
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                width: 12
                height: 12
                radius: 6
                border.width: 2
                border.color: delegate.palette.base
                color: delegate.partnerOnline ? "#43a047" : "#9e9e9e"
                Accessible.name: delegate.partnerOnline ? qsTr("online") : qsTr("offline")
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: delegate.kind === "room" ? "#" + delegate.title : delegate.title
                    textFormat: Text.PlainText
                    font.bold: delegate.unreadCount > 0
                    elide: Text.ElideRight
                }
                Label {
                    text: delegate.lastActivity ? delegate.lastActivity.toLocaleTimeString(Qt.locale(), Locale.ShortFormat) : ""
                    textFormat: Text.PlainText
                    opacity: 0.6
                    font.pixelSize: 11
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: delegate.lastMessage
                    textFormat: Text.PlainText
                    maximumLineCount: 1
                    elide: Text.ElideRight
                    opacity: 0.7
                }
                Rectangle {
                    objectName: "unreadBadge"
                    visible: delegate.unreadCount > 0
                    Layout.preferredHeight: 20
                    Layout.preferredWidth: Math.max(20, badgeText.implicitWidth + 10)
                    radius: 10
                    color: "#00897b"
                    Label {
                        id: badgeText
                        anchors.centerIn: parent
                        text: delegate.unreadCount > 99 ? "99+" : delegate.unreadCount
                        color: "white"
                        font.pixelSize: 11
                        font.bold: true
                    }
                }
            }
        }
    }
}
