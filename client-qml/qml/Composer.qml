// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import QtQuick.Controls.Material
import NeonChat

// Enter sends, Shift+Enter starts a new line. Text over maxChars characters is not sent; the
// count shows once the limit is near.
Pane {
    id: composer

    property int maxChars: 4096
    // What the next send is besides a message: a reply ({messageId, sender, text}) or an edit.
    property var replyTo: ({})
    property bool editing: false
    // The files for the next send (AttachmentListModel); null: none can be attached.
    property var attachments: null
    readonly property int fileCount: attachments ? attachments.count : 0
    property string placeholder: qsTr("Message")
    readonly property alias text: input.text
    readonly property int length: input.length
    readonly property bool sendable: (input.text.trim().length > 0
                                      || (composer.fileCount > 0 && !composer.editing))
                                     && input.length <= maxChars
                                     && (!composer.attachments || composer.attachments.ready)

    signal submitted(string text)
    signal edited(string text)
    // Ctrl+K while typing: a text field takes Ctrl+K as "delete to the end of the line" on
    // Linux, so the window's chat switcher shortcut never sees it.
    signal chatSwitchRequested()
    // PageUp (-1) or PageDown (1) while typing: the messages scroll, the text stays.
    signal pageRequested(int direction)
    // Esc during a reply or an edit, or its × button.
    signal cancelRequested()
    // ↑ in an empty composer: edit one's last message.
    signal editLastRequested()
    // The word at the cursor is an @mention being typed (prefix: what follows the @), or no
    // longer is: the names to complete it with come as mentionSuggestions.
    signal mentionRequested(string prefix)
    signal mentionEnded()
    property var mentionSuggestions: []
    // Where the @ of the mention being typed is; -1: none.
    property int mentionStart: -1
    // The mention last asked for (its start and prefix): asked again only once it changes, not
    // for every edit after the cursor (each ask may search the server).
    property string askedMention: ""
    // Esc closed the suggestions: they stay closed until the mention changes.
    property string dismissedMention: ""
    readonly property bool suggesting: mentionStart >= 0 && mentionSuggestions.length > 0
        && dismissedMention !== input.text.substring(mentionStart, input.cursorPosition)

    // Finds the @mention the cursor is at the end of.
    function updateMention() {
        const before = input.text.substring(0, input.cursorPosition)
        const found = before.match(/(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]*)$/)
        if (found) {
            composer.mentionStart = before.length - found[2].length - 1
            const mention = composer.mentionStart + "@" + found[2]
            if (mention !== composer.askedMention) {
                composer.askedMention = mention
                composer.mentionRequested(found[2])
            }
        } else if (composer.mentionStart >= 0) {
            composer.mentionStart = -1
            composer.askedMention = ""
            composer.dismissedMention = ""
            composer.mentionEnded()
        }
    }

    // Replaces the @mention being typed with the chosen name.
    function completeMention(name) {
        const start = composer.mentionStart
        const end = input.cursorPosition
        input.remove(start, end)
        input.insert(start, "@" + name + " ")
        input.cursorPosition = start + name.length + 2
    }

    function acceptSuggestion() {
        completeMention(composer.mentionSuggestions[Math.max(0, suggestionList.currentIndex)])
    }

    function clear() {
        input.clear()
    }
    function setText(text) {
        input.text = text
        input.cursorPosition = input.length
        input.forceActiveFocus()
    }
    function focusInput() {
        input.forceActiveFocus()
    }
    function submit() {
        if (composer.sendable)
            composer.submitted(input.text)
    }

    padding: 8

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

    // What the send will do: answer a message (quoted) or replace one's own.
    RowLayout {
        objectName: "composeTarget"
        visible: composer.editing || composer.replyTo.messageId !== undefined
        Layout.fillWidth: true
        spacing: 8
        Label {
            objectName: "composeTargetText"
            Layout.fillWidth: true
            text: composer.editing ? qsTr("Editing your message")
                                   : qsTr("Replying to %1: %2").arg(composer.replyTo.sender || "")
                                     .arg(composer.replyTo.text || "")
            textFormat: Text.PlainText
            elide: Text.ElideRight
            font.pixelSize: 12
        }
        ToolButton {
            objectName: "cancelComposeButton"
            text: "×"
            Accessible.name: composer.editing ? qsTr("Cancel the edit") : qsTr("Cancel the reply")
            onClicked: composer.cancelRequested()
        }
    }

    // The files going with the message: each uploads as soon as it is added.
    Flow {
        objectName: "attachmentChips"
        visible: composer.fileCount > 0 && !composer.editing
        Layout.fillWidth: true
        spacing: 6
        Repeater {
            model: composer.attachments
            delegate: Rectangle {
                required property int index
                required property string filename
                required property int uploadState
                required property string errorText
                objectName: "attachmentChip"
                readonly property var tones: ChatTheme.tones(composer.Material.theme === Material.Dark)
                implicitWidth: chipRow.implicitWidth + 12
                implicitHeight: chipRow.implicitHeight + 4
                radius: 6
                color: tones.bubble
                border.width: uploadState === AttachmentListModel.Failed ? 1 : 0
                border.color: tones.error
                RowLayout {
                    id: chipRow
                    x: 6
                    y: 2
                    spacing: 4
                    Label {
                        text: "📎 " + filename
                              + (uploadState === AttachmentListModel.Uploading
                                 ? "  " + qsTr("uploading…")
                                 : uploadState === AttachmentListModel.Failed ? "  " + errorText : "")
                        textFormat: Text.PlainText
                        color: uploadState === AttachmentListModel.Failed ? tones.error : tones.text
                        elide: Text.ElideMiddle
                        Layout.maximumWidth: 320
                    }
                    ToolButton {
                        objectName: "removeAttachmentButton"
                        text: "×"
                        padding: 2
                        implicitHeight: 24
                        implicitWidth: 24
                        Accessible.name: qsTr("Remove %1").arg(filename)
                        onClicked: composer.attachments.remove(index)
                    }
                }
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 8

        ToolButton {
            objectName: "attachButton"
            visible: composer.attachments !== null && !composer.editing
            text: "📎"
            Accessible.name: qsTr("Attach files")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Attach files (or drop them here, or paste an image)")
            onClicked: fileDialog.open()
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.maximumHeight: 160
            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: composer.placeholder
                wrapMode: TextArea.Wrap
                textFormat: TextEdit.PlainText
                Accessible.name: qsTr("Message text")
                focus: true
                // Once both have changed: which of the two signals comes first varies.
                onTextChanged: {
                    composer.edited(text)
                    Qt.callLater(composer.updateMention)
                }
                onCursorPositionChanged: Qt.callLater(composer.updateMention)
                Keys.onPressed: event => {
                    if (composer.suggesting && (event.key === Qt.Key_Up
                                                || event.key === Qt.Key_Down)) {
                        event.accepted = true
                        const step = event.key === Qt.Key_Up ? -1 : 1
                        const count = composer.mentionSuggestions.length
                        suggestionList.currentIndex =
                            (suggestionList.currentIndex + step + count) % count
                    } else if (composer.suggesting && event.key === Qt.Key_Escape) {
                        event.accepted = true
                        composer.dismissedMention =
                            input.text.substring(composer.mentionStart, input.cursorPosition)
                    } else if (event.key === Qt.Key_K && (event.modifiers & Qt.ControlModifier)) {
                        event.accepted = true
                        composer.chatSwitchRequested()
                    } else if (event.key === Qt.Key_PageUp || event.key === Qt.Key_PageDown) {
                        event.accepted = true
                        composer.pageRequested(event.key === Qt.Key_PageUp ? -1 : 1)
                    } else if (event.key === Qt.Key_Escape
                               && (composer.editing || composer.replyTo.messageId !== undefined)) {
                        event.accepted = true
                        composer.cancelRequested()
                    } else if (event.matches(StandardKey.Paste) && composer.attachments
                               && !composer.editing && composer.attachments.addClipboardImage()) {
                        // An image on the clipboard is attached; text pastes as usual.
                        event.accepted = true
                    } else if (event.key === Qt.Key_Up && input.length === 0
                               && event.modifiers === Qt.NoModifier) {
                        event.accepted = true
                        composer.editLastRequested()
                    }
                }
                // Tab moves on, as in every other field (a message has no use for tab stops).
                Keys.onTabPressed: event => {
                    event.accepted = true
                    if (composer.suggesting) {
                        composer.acceptSuggestion()
                        return
                    }
                    input.nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
                }
                Keys.onBacktabPressed: event => {
                    event.accepted = true
                    input.nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
                }
                Keys.onReturnPressed: event => composer.handleReturn(event)
                Keys.onEnterPressed: event => composer.handleReturn(event)
            }
        }
        Label {
            objectName: "charCount"
            visible: input.length > composer.maxChars - 200
            text: qsTr("%1/%2").arg(input.length).arg(composer.maxChars)
            color: input.length > composer.maxChars
                   ? ChatTheme.tones(composer.Material.theme === Material.Dark).error
                   : composer.Material.foreground
            Accessible.name: qsTr("%1 of %2 characters").arg(input.length).arg(composer.maxChars)
        }
        Button {
            objectName: "sendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: composer.sendable
            Accessible.name: qsTr("Send message")
            onClicked: composer.submit()
        }
    }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Attach files")
        fileMode: FileDialog.OpenFiles
        onAccepted: {
            for (const file of selectedFiles)
                composer.attachments.addFile(file)
            composer.focusInput()
        }
    }

    function handleReturn(event) {
        if (event.modifiers & Qt.ShiftModifier) {
            event.accepted = false
            return
        }
        event.accepted = true
        if (composer.suggesting)
            composer.acceptSuggestion()
        else
            composer.submit()
    }

    // The names an @mention can complete to, above the text: ↑/↓ choose, Tab or Enter take one,
    // Esc closes; a click takes one too.
    Popup {
        id: suggestions
        objectName: "mentionSuggestions"
        visible: composer.suggesting
        x: composer.leftPadding
        y: -implicitHeight - 4 // not height: a popup clamped to the window would loop
        width: Math.min(280, composer.width - 2 * composer.leftPadding)
        padding: 4
        focus: false
        closePolicy: Popup.NoAutoClose
        contentItem: ListView {
            id: suggestionList
            objectName: "mentionList"
            // A fixed height per row: a height that follows the content loops the popup's layout.
            implicitHeight: Math.min(count, 6) * 36
            clip: true
            model: composer.mentionSuggestions
            currentIndex: 0
            onModelChanged: currentIndex = 0
            delegate: ItemDelegate {
                required property string modelData
                required property int index
                width: ListView.view.width
                height: 36
                text: "@" + modelData
                highlighted: ListView.isCurrentItem
                onClicked: {
                    composer.completeMention(modelData)
                    composer.focusInput()
                }
            }
        }
    }
}
