// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import NeonChat

// One message of the timeline. A run of messages from one sender shows the name (in the
// sender's colour) and the time once, above its first bubble. The text can be selected and
// copied, and its web addresses open in the browser.
Item {
    id: delegate

    required property string messageId
    required property string requestId
    required property string sender
    required property string senderId
    required property string text
    required property string timeText
    required property string day
    required property bool firstOfDay
    required property bool firstOfGroup
    required property bool firstUnread
    required property bool own
    required property int status
    required property bool readByOthers
    required property bool edited
    required property bool deleted
    required property string replyToId
    required property string replySender
    required property string replyText
    required property var reactions
    required property var attachments
    required property string errorText

    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)
    // Where images sent as files come from (PreviewCache); null: shown as file chips only.
    property var previews: null
    // The open chat is a room the user created: others' messages can be deleted too.
    property bool moderating: false
    // The user's name: a message that mentions it (@name) stands out.
    property string ownName: ""
    readonly property bool mentionsMe: !own && !deleted && ownName.length > 0
                                       && MessageText.mentions(text, ownName)
    // Bubbles stop growing on wide windows: long lines are hard to read.
    readonly property real bubbleMaxWidth: Math.min(delegate.width * 0.75, 640)

    signal retryRequested(string requestId)
    signal replyRequested(string messageId)
    signal editRequested(string messageId)
    signal deleteRequested(string messageId)
    signal reactionToggled(string messageId, string emoji)
    // React with an emoji other than the menu's six.
    signal emojiPickerRequested(string messageId)
    // The quote of the message this one answers was clicked: show that message.
    signal quoteClicked(string messageId)
    signal saveRequested(string uploadId)

    // Stored, and not deleted: the actions apply.
    readonly property bool actionable: delegate.messageId.length > 0 && !delegate.deleted
        && delegate.status === MessageListModel.Sent

    function sizeText(bytes) {
        if (bytes < 1024)
            return qsTr("%1 B").arg(bytes)
        if (bytes < 1024 * 1024)
            return qsTr("%1 KB").arg(Math.round(bytes / 1024))
        return qsTr("%1 MB").arg((bytes / (1024 * 1024)).toFixed(1))
    }

    // The context menu, for what is selected or under the pointer when it opens (opening it
    // takes the focus and with it the selection).
    function openMenu() {
        menuLoader.active = true
        const menu = menuLoader.item
        menu.selection = body.selectedText
        menu.link = body.hoveredLink
        menu.popup()
    }

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("%1 at %2: %3").arg(sender).arg(timeText).arg(text)

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 2

        Label {
            objectName: "daySeparator"
            visible: delegate.firstOfDay
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 12
            Layout.bottomMargin: 4
            text: delegate.day
            textFormat: Text.PlainText
            font.pixelSize: 12
            color: delegate.tones.secondaryText
        }

        // Where the unread messages began when the chat was opened.
        RowLayout {
            objectName: "unreadLine"
            visible: delegate.firstUnread
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.topMargin: 8
            spacing: 8
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 1
                color: delegate.tones.accentText
            }
            Label {
                text: qsTr("New messages")
                textFormat: Text.PlainText
                font.pixelSize: 12
                font.bold: true
                color: delegate.tones.accentText
            }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 1
                color: delegate.tones.accentText
            }
        }

        RowLayout {
            objectName: "groupHeader"
            visible: delegate.firstOfGroup || delegate.firstOfDay || delegate.firstUnread
            Layout.alignment: delegate.own ? Qt.AlignRight : Qt.AlignLeft
            Layout.leftMargin: 14
            Layout.rightMargin: 14
            Layout.topMargin: 6
            spacing: 6
            Label {
                objectName: "senderName"
                visible: !delegate.own
                text: delegate.sender
                textFormat: Text.PlainText
                font.bold: true
                font.pixelSize: 13
                color: ChatTheme.senderColor(delegate.tones, delegate.senderId)
            }
            Label {
                objectName: "groupTime"
                text: delegate.timeText
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: delegate.tones.secondaryText
            }
        }

        Rectangle {
            id: bubble
            objectName: "bubble"
            Layout.alignment: delegate.own ? Qt.AlignRight : Qt.AlignLeft
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.maximumWidth: delegate.bubbleMaxWidth
            implicitWidth: content.implicitWidth + 20
            implicitHeight: content.implicitHeight + 12
            radius: 10
            color: delegate.own ? delegate.tones.ownBubble : delegate.tones.bubble
            border.width: delegate.status === MessageListModel.Failed ? 1
                        : delegate.mentionsMe ? 2 : 0
            border.color: delegate.status === MessageListModel.Failed ? delegate.tones.error
                                                                       : delegate.tones.accent

            ColumnLayout {
                id: content
                x: 10
                y: 6
                width: bubble.width - 20
                spacing: 2

                // The message this one answers: its sender and the start of its text.
                Rectangle {
                    objectName: "replyQuote"
                    visible: delegate.replyToId.length > 0 && !delegate.deleted
                    Layout.fillWidth: true
                    Layout.maximumWidth: delegate.bubbleMaxWidth - 20
                    implicitWidth: quote.implicitWidth + 14
                    implicitHeight: quote.implicitHeight + 8
                    color: "transparent"
                    Rectangle {
                        width: 3
                        height: parent.height
                        radius: 1
                        color: delegate.tones.accentText
                    }
                    ColumnLayout {
                        id: quote
                        x: 10
                        y: 4
                        width: parent.width - 14
                        spacing: 0
                        Label {
                            Layout.fillWidth: true
                            text: delegate.replySender.length > 0 ? delegate.replySender
                                                                  : qsTr("Earlier message")
                            textFormat: Text.PlainText
                            font.bold: true
                            font.pixelSize: 12
                            color: delegate.tones.accentText
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: text.length > 0
                            text: delegate.replyText
                            textFormat: Text.PlainText
                            font.pixelSize: 12
                            color: delegate.tones.secondaryText
                            elide: Text.ElideRight
                            maximumLineCount: 2
                            wrapMode: Text.Wrap
                        }
                    }
                    TapHandler {
                        onTapped: delegate.quoteClicked(delegate.replyToId)
                    }
                    HoverHandler {
                        cursorShape: Qt.PointingHandCursor
                    }
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("In reply to %1: %2").arg(delegate.replySender)
                                                              .arg(delegate.replyText)
                }

                Label {
                    objectName: "deletedText"
                    visible: delegate.deleted
                    text: qsTr("This message was deleted.")
                    textFormat: Text.PlainText
                    font.italic: true
                    color: delegate.tones.secondaryText
                }

                TextEdit {
                    id: body
                    objectName: "messageText"
                    visible: !delegate.deleted && delegate.text.length > 0
                    Layout.fillWidth: true
                    Layout.maximumWidth: delegate.bubbleMaxWidth - 20
                    // The width the text would take unwrapped, so that short messages get
                    // short bubbles (a TextEdit's implicit width follows its width once wrapped).
                    Layout.preferredWidth: measure.advanceWidth + 1
                    text: MessageText.linked(delegate.text, delegate.tones.link)
                    textFormat: TextEdit.RichText
                    wrapMode: TextEdit.Wrap
                    readOnly: true
                    selectByMouse: true
                    persistentSelection: false
                    color: delegate.tones.text
                    selectionColor: delegate.tones.accent
                    selectedTextColor: delegate.tones.onAccent
                    font: Qt.application.font
                    Accessible.name: delegate.text
                    onLinkActivated: link => Qt.openUrlExternally(link)

                    TextMetrics {
                        id: measure
                        // Mentions are bold: measured all bold, a line with one never wraps.
                        font: Qt.font({family: body.font.family, pointSize: body.font.pointSize,
                                       bold: delegate.text.indexOf("@") >= 0})
                        // The longest line decides.
                        text: delegate.text.split("\n").reduce(
                                  (longest, line) => line.length > longest.length ? line : longest,
                                  "")
                    }
                    HoverHandler {
                        cursorShape: body.hoveredLink.length > 0 ? Qt.PointingHandCursor
                                                                 : Qt.IBeamCursor
                    }
                    TapHandler {
                        acceptedButtons: Qt.RightButton
                        onTapped: delegate.openMenu()
                    }
                }
                Repeater {
                    model: delegate.deleted ? [] : delegate.attachments
                    delegate: ColumnLayout {
                        id: attachment
                        required property var modelData
                        objectName: "attachment"
                        Layout.maximumWidth: delegate.bubbleMaxWidth - 20
                        spacing: 2
                        readonly property bool isImage: delegate.previews !== null
                            && delegate.previews.shows(modelData.contentType, modelData.size)

                        // An image inline, decoded off the GUI thread at the size shown.
                        Image {
                            id: preview
                            objectName: "imagePreview"
                            property url file: ""
                            visible: attachment.isImage && status === Image.Ready
                            source: file
                            asynchronous: delegate.previews === null
                                          || delegate.previews.decodeInBackground
                            fillMode: Image.PreserveAspectFit
                            // Decoded at most 320 px wide (tall ones are drawn smaller).
                            sourceSize.width: Math.min(320, delegate.bubbleMaxWidth - 20)
                            Layout.preferredWidth: Math.min(implicitWidth, sourceSize.width)
                            Layout.preferredHeight: Math.min(implicitHeight, 320)
                            Accessible.role: Accessible.Graphic
                            Accessible.name: attachment.modelData.filename
                            Component.onCompleted: {
                                if (attachment.isImage)
                                    file = delegate.previews.fileFor(attachment.modelData.uploadId)
                            }
                            Connections {
                                target: attachment.isImage ? delegate.previews : null
                                function onReady(uploadId, url) {
                                    if (uploadId === attachment.modelData.uploadId)
                                        preview.file = url
                                }
                            }
                            TapHandler {
                                onTapped: Qt.openUrlExternally(preview.file)
                            }
                            HoverHandler {
                                cursorShape: Qt.PointingHandCursor
                            }
                        }

                    RowLayout {
                        Layout.maximumWidth: delegate.bubbleMaxWidth - 20
                        spacing: 8
                        Label {
                            Layout.fillWidth: true
                            text: "📎 " + modelData.filename
                            textFormat: Text.PlainText
                            elide: Text.ElideMiddle
                            color: delegate.tones.text
                        }
                        Label {
                            text: delegate.sizeText(modelData.size)
                            textFormat: Text.PlainText
                            font.pixelSize: 11
                            color: delegate.tones.secondaryText
                        }
                        Button {
                            objectName: "saveAttachmentButton"
                            flat: true
                            text: qsTr("Save")
                            Accessible.name: qsTr("Save %1").arg(modelData.filename)
                            onClicked: delegate.saveRequested(modelData.uploadId)
                        }
                    }
                    }
                }

                RowLayout {
                    objectName: "statusRow"
                    visible: delegate.own || delegate.edited || delegate.status !== MessageListModel.Sent
                    Layout.alignment: Qt.AlignRight
                    spacing: 6
                    Label {
                        objectName: "editedMark"
                        visible: delegate.edited && !delegate.deleted
                        text: qsTr("edited")
                        textFormat: Text.PlainText
                        font.pixelSize: 11
                        color: delegate.tones.secondaryText
                    }
                    Label {
                        visible: delegate.own
                        objectName: "deliveryMark"
                        text: delegate.status === MessageListModel.Pending ? qsTr("sending…")
                            : delegate.status === MessageListModel.Failed
                              ? qsTr("not sent: %1").arg(delegate.errorText)
                            : delegate.readByOthers ? "✓✓" : "✓"
                        Accessible.name: delegate.status !== MessageListModel.Sent ? text
                                         : delegate.readByOthers ? qsTr("Read") : qsTr("Delivered")
                        textFormat: Text.PlainText
                        font.pixelSize: 11
                        color: delegate.status === MessageListModel.Failed ? delegate.tones.error
                                                                           : delegate.tones.secondaryText
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

            TapHandler {
                acceptedButtons: Qt.RightButton
                onTapped: delegate.openMenu()
            }
            TapHandler {
                acceptedDevices: PointerDevice.TouchScreen
                onLongPressed: delegate.openMenu()
            }
            ToolTip.visible: bubbleHover.hovered && !delegate.firstOfGroup
            ToolTip.delay: 800
            ToolTip.text: delegate.timeText
            HoverHandler {
                id: bubbleHover
            }
        }

        // Reactions as chips: the emoji and how many; one's own is marked, and a click takes it
        // back (or adds it).
        Flow {
            objectName: "reactions"
            visible: delegate.reactions.length > 0 && !delegate.deleted
            Layout.alignment: delegate.own ? Qt.AlignRight : Qt.AlignLeft
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.maximumWidth: delegate.bubbleMaxWidth
            spacing: 4
            Repeater {
                model: delegate.reactions
                delegate: Rectangle {
                    required property var modelData
                    objectName: "reaction"
                    implicitWidth: chip.implicitWidth + 14
                    implicitHeight: chip.implicitHeight + 6
                    radius: height / 2
                    color: modelData.mine ? delegate.tones.ownBubble : delegate.tones.bubble
                    border.width: modelData.mine ? 1 : 0
                    border.color: delegate.tones.accentText
                    Label {
                        id: chip
                        anchors.centerIn: parent
                        text: modelData.emoji + " " + modelData.count
                        textFormat: Text.PlainText
                        font.pixelSize: 12
                        color: delegate.tones.text
                    }
                    TapHandler {
                        onTapped: delegate.reactionToggled(delegate.messageId, modelData.emoji)
                    }
                    Accessible.role: Accessible.Button
                    Accessible.name: modelData.mine
                                     ? qsTr("%1, %2, yours: take it back").arg(modelData.emoji)
                                       .arg(modelData.count)
                                     : qsTr("%1, %2: react so too").arg(modelData.emoji)
                                       .arg(modelData.count)
                }
            }
        }
    }

    // Made when first asked for: a menu per message in view would be dozens of controls each,
    // made and destroyed while scrolling.
    Loader {
        id: menuLoader
        active: false
        sourceComponent: Component {
            FittingMenu {
                id: menu
                objectName: "messageMenu"
                // The message's delegate ("delegate" names the menu's own property in here).
                readonly property Item message: menuLoader.parent
                property string selection
                property string link
                MenuItem {
                    objectName: "replyAction"
                    visible: menu.message.actionable
                    height: visible ? implicitHeight : 0
                    text: qsTr("Reply")
                    onTriggered: menu.message.replyRequested(menu.message.messageId)
                }
                MenuItem {
                    objectName: "editAction"
                    visible: menu.message.actionable && menu.message.own
                    height: visible ? implicitHeight : 0
                    text: qsTr("Edit")
                    onTriggered: menu.message.editRequested(menu.message.messageId)
                }
                FittingMenu {
                    id: reactMenu
                    objectName: "reactMenu"
                    title: qsTr("React")
                    enabled: menu.message.actionable
                    Instantiator {
                        model: ["👍", "❤️", "😂", "🎉", "😮", "🙏"]
                        delegate: MenuItem {
                            required property string modelData
                            objectName: "react_" + modelData
                            text: modelData
                            onTriggered: menu.message.reactionToggled(menu.message.messageId,
                                                                      modelData)
                        }
                        onObjectAdded: (index, object) => reactMenu.insertItem(index, object)
                        onObjectRemoved: (index, object) => reactMenu.removeItem(object)
                    }
                    MenuItem {
                        objectName: "moreEmojiAction"
                        text: qsTr("More…")
                        onTriggered: menu.message.emojiPickerRequested(menu.message.messageId)
                    }
                }
                MenuItem {
                    objectName: "copyAction"
                    text: menu.selection.length > 0 ? qsTr("Copy selection") : qsTr("Copy text")
                    onTriggered: MessageText.copyToClipboard(
                        menu.selection.length > 0 ? menu.selection : menu.message.text)
                }
                MenuItem {
                    objectName: "copyLinkAction"
                    visible: menu.link.length > 0
                    height: visible ? implicitHeight : 0
                    text: qsTr("Copy link address")
                    onTriggered: MessageText.copyToClipboard(menu.link)
                }
                MenuItem {
                    objectName: "deleteAction"
                    visible: menu.message.actionable && (menu.message.own || menu.message.moderating)
                    height: visible ? implicitHeight : 0
                    text: qsTr("Delete…")
                    onTriggered: menu.message.deleteRequested(menu.message.messageId)
                }
            }
        }
    }
}
