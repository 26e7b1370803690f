// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import NeonChat

// Ctrl+K: type part of a chat's name, Enter opens the highlighted one, Esc closes.
Popup {
    id: switcher

    required property ChatListModel chats
    property var found: []

    signal chosen(string chatId)

    function choose(index) {
        if (index >= 0 && index < switcher.found.length) {
            switcher.chosen(switcher.found[index].chatId)
            switcher.close()
        }
    }

    objectName: "chatSwitcher"
    width: 360
    height: 320
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    onOpened: {
        filter.clear()
        switcher.found = switcher.chats.matching("")
        results.currentIndex = 0
        filter.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        TextField {
            id: filter
            objectName: "switcherFilter"
            Layout.fillWidth: true
            placeholderText: qsTr("Go to chat…")
            Accessible.name: qsTr("Go to chat")
            onTextEdited: {
                switcher.found = switcher.chats.matching(text)
                results.currentIndex = 0
            }
            Keys.onDownPressed: results.incrementCurrentIndex()
            Keys.onUpPressed: results.decrementCurrentIndex()
            onAccepted: switcher.choose(results.currentIndex)
        }
        ListView {
            id: results
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: switcher.found
            highlightMoveDuration: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching chats")
            delegate: ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                text: modelData.unreadCount > 0
                      ? qsTr("%1 (%2)").arg(modelData.title).arg(modelData.unreadCount)
                      : modelData.title
                Accessible.name: text
                onClicked: switcher.choose(index)
            }
        }
    }
}
