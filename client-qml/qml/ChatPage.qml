// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import NeonChat

Page {
    id: page

    required property ChatSession session
    required property Appearance appearance
    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)
    // Too narrow for both panes: one at a time, the chat list or the open chat (with a button
    // back to the list).
    readonly property bool narrow: width < 720
    property bool listShown: false

    Shortcut {
        sequence: StandardKey.Find
        context: Qt.ApplicationShortcut
        onActivated: searchPanel.open()
    }

    Shortcut {
        sequence: "Ctrl+K"
        // The app has one window; the window context did not match while nothing had focus.
        context: Qt.ApplicationShortcut
        onActivated: switcher.open()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ChatListPane {
            objectName: "chatListPane"
            visible: !page.narrow || page.listShown
            Layout.preferredWidth: 280
            Layout.fillWidth: page.narrow
            Layout.fillHeight: true
            session: page.session
            appearance: page.appearance
            onNewChatRequested: newChat.open()
            onChatChosen: page.listShown = false
        }

        ToolSeparator {
            visible: !page.narrow
            Layout.fillHeight: true
            padding: 0
        }

        ColumnLayout {
            objectName: "chatPane"
            visible: !page.narrow || !page.listShown
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ConnectionBanner {
                Layout.fillWidth: true
                connection: page.session.account.connection
                seconds: page.session.account.reconnectSeconds
                problem: page.session.account.connectionProblem
                onRetryRequested: page.session.account.reconnectNow()
            }

            Pane {
                Layout.fillWidth: true
                padding: 12
                RowLayout {
                    anchors.fill: parent
                    spacing: 8
                ToolButton {
                    objectName: "chatListButton"
                    visible: page.narrow
                    text: "←"
                    font.pixelSize: 18
                    Accessible.name: qsTr("Chats")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Chats")
                    onClicked: page.listShown = true
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        objectName: "chatTitle"
                        Layout.fillWidth: true
                        text: page.session.currentChatTitle
                        textFormat: Text.PlainText
                        font.bold: true
                        font.pixelSize: 18
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "typingLabel"
                        Layout.fillWidth: true
                        text: page.session.typing.text
                        textFormat: Text.PlainText
                        color: page.tones.secondaryText
                        font.italic: true
                        Accessible.name: text
                    }
                }
                ToolButton {
                    objectName: "muteButton"
                    readonly property bool muted: page.session.notifications.mutedChatIds
                                                  .indexOf(page.session.currentChatId) >= 0
                    text: muted ? "🔕" : "🔔"
                    Accessible.name: muted ? qsTr("Unmute notifications") : qsTr("Mute notifications")
                    ToolTip.visible: hovered
                    ToolTip.text: Accessible.name
                    onClicked: page.session.notifications.setMuted(page.session.currentChatId, !muted)
                }
                ToolButton {
                    objectName: "searchButton"
                    text: "🔍"
                    Accessible.name: qsTr("Search messages")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Search messages (Ctrl+F)")
                    onClicked: searchPanel.open()
                }
                }
            }

            MessageView {
                id: messageView
                Layout.fillWidth: true
                Layout.fillHeight: true
                messages: page.session.messages
                previews: page.session.previews
                ownName: page.session.account.username
                moderating: page.session.moderating
                active: page.session.viewActive
                unreadCount: page.session.currentUnread
                onRetryRequested: requestId => page.session.retry(requestId)
                onReplyRequested: messageId => {
                    page.session.startReply(messageId)
                    composer.focusInput()
                }
                onEditRequested: messageId => page.startEdit(messageId)
                onDeleteRequested: messageId => deleteConfirmation.ask(messageId)
                onReactionToggled: (messageId, emoji) => page.session.toggleReaction(messageId, emoji)
                onSaveRequested: uploadId => page.session.saveAttachment(uploadId)
                onSeen: row => page.session.markSeen(row)
            }

            Label {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                visible: text.length > 0
                text: page.session.errorText
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                color: page.tones.error
            }

            Label {
                id: notice
                objectName: "noticeLabel"
                Layout.fillWidth: true
                Layout.leftMargin: 12
                visible: text.length > 0
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                color: page.tones.secondaryText
                Timer {
                    id: noticeTimeout
                    interval: 8000
                    onTriggered: notice.text = ""
                }
                function show(text) {
                    notice.text = text
                    noticeTimeout.restart()
                }
            }

            Composer {
                id: composer
                Layout.fillWidth: true
                enabled: page.session.currentChatId.length > 0
                maxChars: page.session.textMaxChars
                placeholder: page.session.currentChatTitle.length > 0
                             ? qsTr("Message %1").arg(page.session.currentChatTitle)
                             : qsTr("Message")
                onEdited: text => page.session.typing.edited(text)
                mentionSuggestions: page.session.mentionSuggestions
                onMentionRequested: prefix => page.session.suggestMentions(prefix)
                onMentionEnded: page.session.clearMentionSuggestions()
                onChatSwitchRequested: switcher.open()
                onPageRequested: direction => messageView.scrollPage(direction)
                replyTo: page.session.replyTo
                attachments: page.session.attachments
                editing: page.session.editingId.length > 0
                onCancelRequested: {
                    if (page.session.editingId.length > 0)
                        composer.clear()
                    page.session.cancelCompose()
                }
                onEditLastRequested: page.startEdit(page.session.messages.lastOwnMessageId())
                onSubmitted: text => {
                    if (page.session.send(text))
                        composer.clear()
                }
            }
        }
    }

    // Edits one's own message in the composer.
    function startEdit(messageId) {
        const text = page.session.startEdit(messageId)
        if (text.length > 0)
            composer.setText(text)
    }

    Dialog {
        id: deleteConfirmation
        objectName: "deleteConfirmation"
        property string messageId
        function ask(id) {
            messageId = id
            open()
        }
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete this message?")
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            text: qsTr("It is deleted for everyone in the chat.")
            textFormat: Text.PlainText
        }
        onAccepted: page.session.deleteMessage(messageId)
        onClosed: composer.focusInput()
    }

    // Files dropped anywhere on the chat go with the next message.
    DropArea {
        objectName: "fileDropArea"
        anchors.fill: parent
        enabled: page.session.currentChatId.length > 0
        keys: ["text/uri-list"]
        onDropped: drop => {
            if (!drop.hasUrls)
                return
            for (const url of drop.urls)
                page.session.attachments.addFile(url)
            drop.acceptProposedAction()
            composer.focusInput()
        }
    }

    NewChatDialog {
        id: newChat
        session: page.session
        anchors.centerIn: parent
        onClosed: composer.focusInput()
    }

    SearchPanel {
        id: searchPanel
        search: page.session.search
        chatId: page.session.currentChatId
        anchors.centerIn: parent
        onChosen: (chatId, messageId) => page.session.showMessage(chatId, messageId)
        onClosed: composer.focusInput()
    }

    ChatSwitcher {
        id: switcher
        chats: page.session.chats
        anchors.centerIn: parent
        onChosen: chatId => page.session.openChat(chatId)
        onClosed: composer.focusInput()
    }

    Connections {
        target: page.session
        function onFileSaved(path) {
            notice.show(qsTr("Saved to %1").arg(path))
        }
        function onCurrentChatChanged() {
            page.listShown = page.session.currentChatId.length === 0
            composer.focusInput()
        }
    }
}
