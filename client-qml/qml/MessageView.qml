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

    signal retryRequested(string requestId)

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

    // Back at the bottom after older pages pushed the newest out of the window: bring them back.
    onAtYEndChanged: if (atYEnd && !messages.atLatest) messages.loadNewer()
    onContentYChanged: pinned = atYEnd
    onHeightChanged: if (pinned) positionViewAtBeginning()

    delegate: MessageDelegate {
        width: ListView.view.width
        onRetryRequested: requestId => view.retryRequested(requestId)
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
        text: "↓"
        Accessible.name: qsTr("Go to the newest message")
        onClicked: view.showNewest()
    }
}
