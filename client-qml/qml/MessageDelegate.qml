// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import NeonChat

Item {
    id: delegate

    required property string messageId
    required property string requestId
    required property string sender
    required property string text
    required property string timeText
    required property string day
    required property bool firstOfDay
    required property bool own
    required property int status
    required property string errorText

    signal retryRequested(string requestId)

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("%1 at %2: %3").arg(sender).arg(timeText).arg(text)

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 4

        Label {
            objectName: "daySeparator"
            visible: delegate.firstOfDay
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 8
            text: delegate.day
            textFormat: Text.PlainText
            font.pixelSize: 12
            opacity: 0.6
        }

        Rectangle {
            id: bubble
            Layout.alignment: delegate.own ? Qt.AlignRight : Qt.AlignLeft
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.maximumWidth: delegate.width * 0.75
            implicitWidth: content.implicitWidth + 20
            implicitHeight: content.implicitHeight + 12
            radius: 10
            color: delegate.own ? Qt.rgba(0, 0.54, 0.48, 0.18) : Qt.rgba(0.5, 0.5, 0.5, 0.14)
            border.width: delegate.status === MessageListModel.Failed ? 1 : 0
            border.color: "#d32f2f"

            ColumnLayout {
                id: content
                x: 10
                y: 6
                width: bubble.width - 20
                spacing: 2

                Label {
                    visible: !delegate.own
                    text: delegate.sender
                    textFormat: Text.PlainText
                    font.bold: true
                    font.pixelSize: 12
                    color: "#00897b"
                }
                Label {
                    objectName: "messageText"
                    Layout.fillWidth: true
                    Layout.maximumWidth: delegate.width * 0.75 - 20
                    text: delegate.text
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    spacing: 6
                    Label {
                        text: delegate.status === MessageListModel.Pending ? qsTr("sending…")
                            : delegate.status === MessageListModel.Failed
                              ? qsTr("not sent: %1").arg(delegate.errorText)
                              : delegate.timeText
                        textFormat: Text.PlainText
                        font.pixelSize: 11
                        opacity: 0.6
                        color: delegate.status === MessageListModel.Failed ? "#d32f2f" : palette.text
                    }
                    Button {
                        objectName: "retryButton"
                        visible: delegate.status === MessageListModel.Failed
                        flat: true
                        text: qsTr("Retry")
                        Accessible.name: qsTr("Send this message again")
                        onClicked: delegate.retryRequested(delegate.requestId)
                    }
                }
            }
        }
    }
}
