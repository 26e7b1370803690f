// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Reactions beyond the six of the message menu: a grid of common emoji, and a field for any
// other (typed with the system's emoji input, or pasted). One picker serves every message.
Popup {
    id: picker

    // The message the pick is for.
    property string messageId
    signal picked(string messageId, string emoji)

    readonly property var common: [
        "😀", "😃", "😄", "😁", "😆", "😅", "🤣", "😂", "🙂", "😉", "😊", "😇", "🥰", "😍", "🤩",
        "😘", "😋", "😛", "😜", "🤪", "🤗", "🤔", "🤨", "😐", "😑", "😶", "🙄", "😏", "😬", "😌",
        "😔", "😴", "😷", "🤯", "🥳", "😎", "🤓", "😕", "😟", "😢", "😭", "😱", "😤", "😡", "💀",
        "👍", "👎", "👌", "✌️", "🤞", "👏", "🙌", "👐", "🤝", "🙏", "💪", "👀", "🧠", "👋", "✍️",
        "❤️", "🧡", "💛", "💚", "💙", "💜", "🖤", "💔", "💯", "🔥", "✨", "⭐", "🎉", "🎊", "🎁",
        "✅", "❌", "⚠️", "❓", "❗", "💡", "📌", "📎", "🚀", "🐛", "☕", "🍕", "🍺", "⏰", "🏆"]

    // Something a reaction can be (CONTRACT §9): 1-32 bytes of UTF-8, no spaces or controls.
    function acceptable(text) {
        if (text.length === 0 || /[\s\x00-\x1f\x7f]/.test(text))
            return false
        return unescape(encodeURIComponent(text)).length <= 32
    }

    function pick(emoji) {
        picker.picked(picker.messageId, emoji)
        picker.close()
    }

    function openFor(messageId) {
        picker.messageId = messageId
        other.text = ""
        picker.open()
        grid.forceActiveFocus()
    }

    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    padding: 8

    contentItem: ColumnLayout {
        spacing: 8
        GridView {
            id: grid
            objectName: "emojiGrid"
            Layout.preferredWidth: cellWidth * 10
            Layout.preferredHeight: cellHeight * 6
            cellWidth: 40
            cellHeight: 40
            clip: true
            model: picker.common
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Emoji")
            Keys.onReturnPressed: picker.pick(picker.common[currentIndex])
            Keys.onEnterPressed: picker.pick(picker.common[currentIndex])
            delegate: ToolButton {
                required property string modelData
                required property int index
                objectName: "emoji_" + index
                width: 40
                height: 40
                text: modelData
                font.pixelSize: 20
                highlighted: GridView.isCurrentItem && grid.activeFocus
                Accessible.name: modelData
                onClicked: picker.pick(modelData)
            }
        }
        TextField {
            id: other
            objectName: "otherEmoji"
            Layout.fillWidth: true
            placeholderText: qsTr("Any other emoji: type or paste it, then Enter")
            Accessible.name: qsTr("Other emoji")
            onAccepted: {
                if (picker.acceptable(text))
                    picker.pick(text)
            }
        }
    }
}
