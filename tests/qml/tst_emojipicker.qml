// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import NeonChat

// The emoji picker: a click or Enter on the grid picks one; the field takes any emoji a reaction
// can be, and nothing with a space in it or too long.
TestCase {
    id: testCase
    name: "EmojiPicker"
    width: 600
    height: 500
    visible: true
    when: windowShown

    Component {
        id: pickerComponent
        EmojiPicker {}
    }

    SignalSpy {
        id: picked
        signalName: "picked"
    }

    function openPicker() {
        const picker = createTemporaryObject(pickerComponent, testCase)
        picked.clear()
        picked.target = picker
        picker.openFor("m7")
        tryCompare(picker, "opened", true)
        return picker
    }

    function test_clickAndKeyboardPick() {
        let picker = openPicker()
        mouseClick(findChild(picker.contentItem, "emoji_2"))
        compare(picked.count, 1)
        compare(picked.signalArguments[0][0], "m7")
        compare(picked.signalArguments[0][1], picker.common[2])
        tryCompare(picker, "visible", false)

        picker = openPicker()
        keyClick(Qt.Key_Right)
        keyClick(Qt.Key_Return)
        compare(picked.count, 1)
        compare(picked.signalArguments[0][1], picker.common[1])
    }

    function test_otherEmojiField_data() {
        return [
            {tag: "an emoji", text: "🦀", taken: true},
            {tag: "a flag of two code points", text: "🇳🇴", taken: true},
            {tag: "with a space", text: "🦀 🦀", taken: false},
            {tag: "over 32 bytes", text: "🦀🦀🦀🦀🦀🦀🦀🦀🦀", taken: false},
        ]
    }

    function test_otherEmojiField(data) {
        const picker = openPicker()
        const field = findChild(picker.contentItem, "otherEmoji")
        field.forceActiveFocus()
        field.text = data.text
        keyClick(Qt.Key_Return)
        compare(picked.count, data.taken ? 1 : 0)
        if (data.taken)
            compare(picked.signalArguments[0][1], data.text)
    }
}
