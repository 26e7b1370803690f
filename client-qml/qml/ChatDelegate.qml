// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import NeonChat

ItemDelegate {
    id: delegate

    required property string chatId
    required property string kind
    required property string title
    required property int unreadCount
    required property bool partnerOnline
    required property string lastMessage
    required property string activityText
    required property bool muted
    property bool current: false
    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)

    highlighted: current
    Accessible.name: (unreadCount > 0
                      ? qsTr("%1, %n unread", "", unreadCount).arg(title) : title)
                     + (muted ? ", " + qsTr("muted") : "")

    // Asks for the chat's menu (right click, or the menu key).
    signal menuRequested()

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: delegate.menuRequested()
    }
    Keys.onMenuPressed: delegate.menuRequested()

    contentItem: RowLayout {
        spacing: 10
        Rectangle {
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
            radius: 18
            // White initials on the light theme's name colours: readable in both themes.
            color: ChatTheme.senderColor(ChatTheme.light, delegate.chatId)
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
                // A ring of the list's own background sets the dot off the avatar.
                border.color: delegate.Material.background
                color: delegate.partnerOnline ? delegate.tones.online : delegate.tones.away
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
                    text: delegate.title
                    textFormat: Text.PlainText
                    font.bold: delegate.unreadCount > 0
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "mutedMark"
                    visible: delegate.muted
                    text: "🔕"
                    font.pixelSize: 11
                    Accessible.ignored: true
                }
                Label {
                    objectName: "activityText"
                    text: delegate.activityText
                    textFormat: Text.PlainText
                    color: delegate.tones.secondaryText
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
                    color: delegate.tones.secondaryText
                }
                Rectangle {
                    objectName: "unreadBadge"
                    visible: delegate.unreadCount > 0
                    Layout.preferredHeight: 20
                    Layout.preferredWidth: Math.max(20, badgeText.implicitWidth + 10)
                    radius: 10
                    // A muted chat's count is there, but does not call for attention.
                    color: delegate.muted ? delegate.tones.mutedBadge : delegate.tones.accent
                    Label {
                        id: badgeText
                        anchors.centerIn: parent
                        text: delegate.unreadCount > 99 ? "99+" : delegate.unreadCount
                        color: delegate.tones.onAccent
                        font.pixelSize: 11
                        font.bold: true
                    }
                }
            }
        }
    }
}
