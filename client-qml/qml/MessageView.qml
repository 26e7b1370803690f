// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import NeonChat

// The open chat's messages, newest at the bottom. The model is newest first and the list is laid
// out bottom to top, so older pages fetched at the top (the model's end) do not move what is on
// screen.
ListView {
    id: view

    required property MessageListModel messages
    // Whether the user sees the window: only then is what the view shows reported as seen.
    property bool active: true
    // Images sent as files (PreviewCache).
    property var previews: null
    // The user's name, for the messages that mention it.
    property string ownName: ""
    // Any message may be deleted (a room the user created).
    property bool moderating: false
    // The open chat's unread messages, shown on the down button.
    property int unreadCount: 0

    signal retryRequested(string requestId)
    signal replyRequested(string messageId)
    signal editRequested(string messageId)
    signal deleteRequested(string messageId)
    signal reactionToggled(string messageId, string emoji)
    signal saveRequested(string uploadId)
    // The newest (lowest) row on screen: it and everything older has been seen.
    signal seen(int row)

    objectName: "messageView"
    clip: true
    spacing: 4
    verticalLayoutDirection: ListView.BottomToTop
    model: messages
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Messages")
    ScrollBar.vertical: ScrollBar {}

    // Whether the newest message is in view; kept while the view is resized (the composer grows
    // and shrinks), so that it stays in view.
    property bool pinned: true

    // Straight to the newest message, however far back the view is.
    function showNewest() {
        if (!messages.atLatest)
            messages.reloadLatest()
        pinned = true
        positionViewAtBeginning()
    }

    // One screen up (-1, older) or down (1, newer), keeping a line of context.
    function scrollPage(direction) {
        const top = originY
        const bottom = originY + contentHeight - height
        contentY = Math.max(top, Math.min(bottom, contentY + direction * height * 0.9))
    }

    Keys.onPressed: event => {
        if (event.key === Qt.Key_PageUp || event.key === Qt.Key_PageDown) {
            event.accepted = true
            scrollPage(event.key === Qt.Key_PageUp ? -1 : 1)
        }
    }

    // Reports the newest row on screen, once per frame at most.
    function reportSeen() {
        if (!active || count === 0)
            return
        // Content coordinates: the view's bottom edge, above the 8 px header.
        const bottom = contentY + height - 10
        let row = indexAt(width / 2, bottom)
        if (row < 0)
            row = indexAt(width / 2, bottom - 20)
        if (row >= 0)
            seen(row)
    }

    // A chat opens where its unread messages begin, with the "New messages" line near the top;
    // without unread messages, at the newest.
    Connections {
        target: view.messages
        function onOpened() {
            const firstUnread = view.messages.firstUnreadRow()
            if (firstUnread >= 0) {
                view.positionViewAtIndex(firstUnread, ListView.End)
                view.pinned = view.atYEnd
            } else {
                view.pinned = true
                view.positionViewAtBeginning()
            }
            Qt.callLater(view.reportSeen)
        }
        // A quoted (or found) message: in the middle of the view.
        function onHighlightReady() {
            const row = view.messages.highlightRow()
            if (row >= 0) {
                view.positionViewAtIndex(row, ListView.Center)
                view.pinned = view.atYEnd
            }
        }
    }

    // Back at the bottom after older pages pushed the newest out of the window: bring them back.
    onAtYEndChanged: if (atYEnd && !messages.atLatest) messages.loadNewer()
    onContentYChanged: {
        pinned = atYEnd
        Qt.callLater(reportSeen)
    }
    onHeightChanged: if (pinned) positionViewAtBeginning()
    onCountChanged: Qt.callLater(reportSeen)
    onActiveChanged: Qt.callLater(reportSeen)

    delegate: MessageDelegate {
        width: ListView.view.width
        previews: view.previews
        ownName: view.ownName
        moderating: view.moderating
        onRetryRequested: requestId => view.retryRequested(requestId)
        onReplyRequested: messageId => view.replyRequested(messageId)
        onEditRequested: messageId => view.editRequested(messageId)
        onDeleteRequested: messageId => view.deleteRequested(messageId)
        onReactionToggled: (messageId, emoji) => view.reactionToggled(messageId, emoji)
        onEmojiPickerRequested: messageId => emojiPicker.openFor(messageId)
        onSaveRequested: uploadId => view.saveRequested(uploadId)
        onQuoteClicked: messageId => view.messages.openAround(messageId)
    }

    header: Item {
        width: ListView.view.width
        height: 8
    }

    footer: Item {
        width: ListView.view.width
        height: view.messages.loading ? 40 : 8
        BusyIndicator {
            anchors.centerIn: parent
            running: view.messages.loading
            visible: running
            height: 32
        }
    }

    Label {
        anchors.centerIn: parent
        visible: view.count === 0 && !view.messages.loading
        text: view.messages.errorText.length > 0 ? view.messages.errorText
                                                 : qsTr("No messages yet. Say hello!")
        textFormat: Text.PlainText
        color: ChatTheme.tones(view.Material.theme === Material.Dark).secondaryText
    }

    RoundButton {
        objectName: "latestButton"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 12
        visible: !view.messages.atLatest || !view.atYEnd
        text: view.unreadCount > 0 ? "↓ " + (view.unreadCount > 99 ? "99+" : view.unreadCount)
                                   : "↓"
        Accessible.name: view.unreadCount > 0
                         ? qsTr("Go to the newest message, %n unread", "", view.unreadCount)
                         : qsTr("Go to the newest message")
        onClicked: view.showNewest()
    }

    // One picker for every message's "React → More…".
    EmojiPicker {
        id: emojiPicker
        objectName: "emojiPicker"
        onPicked: (messageId, emoji) => view.reactionToggled(messageId, emoji)
    }
}
