// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
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
    property string placeholder: qsTr("Message")
    readonly property alias text: input.text
    readonly property int length: input.length
    readonly property bool sendable: input.text.trim().length > 0 && input.length <= maxChars

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

    RowLayout {
        Layout.fillWidth: true
        spacing: 8

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
                onTextChanged: composer.edited(text)
                Keys.onPressed: event => {
                    if (event.key === Qt.Key_K && (event.modifiers & Qt.ControlModifier)) {
                        event.accepted = true
                        composer.chatSwitchRequested()
                    } else if (event.key === Qt.Key_PageUp || event.key === Qt.Key_PageDown) {
                        event.accepted = true
                        composer.pageRequested(event.key === Qt.Key_PageUp ? -1 : 1)
                    } else if (event.key === Qt.Key_Escape
                               && (composer.editing || composer.replyTo.messageId !== undefined)) {
                        event.accepted = true
                        composer.cancelRequested()
                    } else if (event.key === Qt.Key_Up && input.length === 0
                               && event.modifiers === Qt.NoModifier) {
                        event.accepted = true
                        composer.editLastRequested()
                    }
                }
                // Tab moves on, as in every other field (a message has no use for tab stops).
                Keys.onTabPressed: event => {
                    event.accepted = true
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

    function handleReturn(event) {
        if (event.modifiers & Qt.ShiftModifier) {
            event.accepted = false
            return
        }
        event.accepted = true
        composer.submit()
    }
}
