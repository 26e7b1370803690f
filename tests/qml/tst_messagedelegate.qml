// SPDX-License-Identifier: MIT
// One message on its own: the context menu copies its text, and a run of one sender's messages
// shows the name once.
import QtQuick
import QtTest
import NeonChat

TestCase {
    id: testCase
    name: "MessageDelegate"
    width: 600
    height: 300
    visible: true
    when: windowShown

    Component {
        id: messageComponent
        MessageDelegate {
            width: testCase.width
            messageId: "m1"
            requestId: ""
            sender: "bob"
            senderId: "id-bob"
            text: "first line\nsee https://example.org/docs"
            timeText: "10:42"
            day: "Today"
            firstOfDay: false
            firstOfGroup: true
            firstUnread: false
            own: false
            status: MessageListModel.Sent
            readByOthers: false
            errorText: ""
        }
    }

    Component {
        id: pasteTarget
        TextEdit {}
    }

    function clipboardText() {
        const target = createTemporaryObject(pasteTarget, testCase)
        target.paste()
        return target.text
    }

    function test_copyTheWholeMessage() {
        const message = createTemporaryObject(messageComponent, testCase)
        waitForRendering(message)
        const bubble = findChild(message, "bubble")
        mouseClick(bubble, 4, 4, Qt.RightButton)
        const menu = findChild(message, "messageMenu")
        tryCompare(menu, "opened", true)
        const copy = findChild(menu.contentItem, "copyAction")
        compare(copy.text, "Copy text")
        mouseClick(copy)
        tryCompare(menu, "opened", false)
        compare(clipboardText(), "first line\nsee https://example.org/docs")
    }

    function test_copyTheSelection() {
        const message = createTemporaryObject(messageComponent, testCase)
        waitForRendering(message)
        const body = findChild(message, "messageText")
        body.select(0, 5)
        mouseClick(body, 2, 2, Qt.RightButton)
        const menu = findChild(message, "messageMenu")
        tryCompare(menu, "opened", true)
        const copy = findChild(menu.contentItem, "copyAction")
        compare(copy.text, "Copy selection")
        mouseClick(copy)
        compare(clipboardText(), "first")
    }

    function test_groupHeaderOnlyAtTheStartOfARun_data() {
        return [{tag: "first of a run", first: true}, {tag: "later in a run", first: false}]
    }

    function test_groupHeaderOnlyAtTheStartOfARun(data) {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {firstOfGroup: data.first})
        compare(findChild(message, "groupHeader").visible, data.first)
    }
}
