// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import NeonChat

// Ctrl+F: search the open chat (or, unticked, every chat); ↓/↑ choose a result, Enter shows it
// in its chat, Esc closes. Results come a page at a time as the list is scrolled.
Popup {
    id: panel

    required property SearchModel search
    // The chat "This chat only" searches.
    property string chatId: ""
    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)

    signal chosen(string chatId, string messageId)

    function run() {
        panel.search.search(query.text, onlyThisChat.checked ? panel.chatId : "")
        results.currentIndex = 0
    }
    function choose(index) {
        const item = results.itemAtIndex(index)
        if (item) {
            panel.chosen(item.chatId, item.messageId)
            panel.close()
        }
    }

    objectName: "searchPanel"
    width: Math.min(520, parent ? parent.width - 40 : 520)
    height: Math.min(480, parent ? parent.height - 40 : 480)
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    onOpened: {
        onlyThisChat.checked = panel.chatId.length > 0
        query.selectAll()
        query.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        TextField {
            id: query
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search messages…")
            Accessible.name: qsTr("Search messages")
            onAccepted: {
                if (panel.search.query === text.trim() && results.count > 0)
                    panel.choose(results.currentIndex)
                else
                    panel.run()
            }
            Keys.onDownPressed: results.incrementCurrentIndex()
            Keys.onUpPressed: results.decrementCurrentIndex()
        }
        CheckBox {
            id: onlyThisChat
            objectName: "onlyThisChat"
            text: qsTr("This chat only")
            enabled: panel.chatId.length > 0
            onToggled: if (query.text.trim().length > 0) panel.run()
        }
        Label {
            objectName: "searchStatus"
            Layout.fillWidth: true
            visible: text.length > 0
            text: panel.search.errorText.length > 0 ? panel.search.errorText
                : panel.search.loading ? qsTr("Searching…")
                : panel.search.query.length > 0 && results.count === 0 ? qsTr("Nothing found.")
                : ""
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: panel.search.errorText.length > 0 ? panel.tones.error : panel.tones.secondaryText
        }
        ListView {
            id: results
            objectName: "searchResults"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: panel.search
            highlightMoveDuration: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Messages found")
            onAtYEndChanged: if (atYEnd && panel.search.hasMore) panel.search.loadMore()
            delegate: ItemDelegate {
                required property int index
                required property string messageId
                required property string chatId
                required property string chatTitle
                required property string sender
                required property string snippet
                required property string timeText
                objectName: "searchResult"
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                Accessible.name: qsTr("%1 in %2, %3: %4").arg(sender).arg(chatTitle)
                                                          .arg(timeText).arg(snippet)
                contentItem: ColumnLayout {
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 in %2 · %3").arg(sender).arg(chatTitle).arg(timeText)
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font.pixelSize: 12
                        color: panel.tones.secondaryText
                    }
                    Label {
                        Layout.fillWidth: true
                        text: snippet
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
                    }
                }
                onClicked: panel.choose(index)
            }
        }
    }
}
