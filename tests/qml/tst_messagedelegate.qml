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
            edited: false
            deleted: false
            replyToId: ""
            replySender: ""
            replyText: ""
            reactions: []
            attachments: []
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
        // A message has no menu until it is asked for (each one on screen would cost dozens of
        // controls; the long-session benchmark saw 130 MiB go to them while paging).
        compare(findChild(message, "messageMenu"), null)
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

    Component {
        id: spyComponent
        SignalSpy {}
    }

    function openMenuOf(message) {
        waitForRendering(message)
        mouseClick(findChild(message, "bubble"), 4, 4, Qt.RightButton)
        const menu = findChild(message, "messageMenu")
        tryCompare(menu, "opened", true)
        return menu
    }

    // What the menu offers: reply and react on any stored message, edit and delete on one's own
    // only (delete on everyone's in a room the user created), nothing but copy on a deleted one.
    function test_menuOffersWhatApplies_data() {
        return [
            {tag: "someone else's", own: false, deleted: false, reply: true, edit: false,
             remove: false},
            {tag: "own", own: true, deleted: false, reply: true, edit: true, remove: true},
            {tag: "deleted", own: true, deleted: true, reply: false, edit: false, remove: false},
            {tag: "someone else's in one's own room", own: false, deleted: false, moderating: true,
             reply: true, edit: false, remove: true},
        ]
    }

    function test_moreEmojiAsksForThePicker() {
        const message = createTemporaryObject(messageComponent, testCase)
        const asked = createTemporaryObject(spyComponent, testCase,
                                            {target: message, signalName: "emojiPickerRequested"})
        const menu = openMenuOf(message)
        const react = findChild(message, "reactMenu")
        for (let i = 0; i < menu.count; ++i) {
            if (menu.itemAt(i).subMenu === react)
                mouseClick(menu.itemAt(i))
        }
        tryCompare(react, "opened", true)
        // The last item, beyond the bottom of this small window: from the keyboard.
        while (react.currentIndex !== react.count - 1)
            keyClick(Qt.Key_Down)
        keyClick(Qt.Key_Return)
        compare(asked.count, 1)
        compare(asked.signalArguments[0][0], "m1")
    }

    function test_menuOffersWhatApplies(data) {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {own: data.own, deleted: data.deleted,
                                               moderating: data.moderating === true})
        const menu = openMenuOf(message)
        compare(findChild(menu.contentItem, "replyAction").visible, data.reply)
        compare(findChild(menu.contentItem, "editAction").visible, data.edit)
        compare(findChild(menu.contentItem, "deleteAction").visible, data.remove)
        menu.close()
    }

    function test_actionsAreAskedFor() {
        const message = createTemporaryObject(messageComponent, testCase, {own: true})
        const replies = createTemporaryObject(spyComponent, testCase,
                                              {target: message, signalName: "replyRequested"})
        const edits = createTemporaryObject(spyComponent, testCase,
                                            {target: message, signalName: "editRequested"})
        let menu = openMenuOf(message)
        mouseClick(findChild(menu.contentItem, "replyAction"))
        compare(replies.count, 1)
        compare(replies.signalArguments[0][0], "m1")
        tryCompare(menu, "opened", false)
        menu = openMenuOf(message)
        mouseClick(findChild(menu.contentItem, "editAction"))
        compare(edits.count, 1)
    }

    function test_quoteReactionsAndFiles() {
        const message = createTemporaryObject(messageComponent, testCase, {
            replyToId: "m0", replySender: "carol", replyText: "Which build?",
            reactions: [{emoji: "👍", count: 2, mine: true}],
            attachments: [{uploadId: "u1", filename: "build.log", contentType: "text/plain",
                           size: 2048}]})
        const quotes = createTemporaryObject(spyComponent, testCase,
                                             {target: message, signalName: "quoteClicked"})
        const toggles = createTemporaryObject(spyComponent, testCase,
                                              {target: message, signalName: "reactionToggled"})
        const saves = createTemporaryObject(spyComponent, testCase,
                                            {target: message, signalName: "saveRequested"})
        waitForRendering(message)
        mouseClick(findChild(message, "replyQuote"))
        compare(quotes.signalArguments[0][0], "m0")
        mouseClick(findChild(message, "reaction"))
        compare(toggles.signalArguments[0][1], "👍")
        mouseClick(findChild(message, "saveAttachmentButton"))
        compare(saves.signalArguments[0][0], "u1")
    }

    function test_deletedShowsNoText() {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {deleted: true, text: ""})
        verify(findChild(message, "deletedText").visible)
        verify(!findChild(message, "messageText").visible)
    }

    function test_groupHeaderOnlyAtTheStartOfARun_data() {
        return [{tag: "first of a run", first: true}, {tag: "later in a run", first: false}]
    }

    function test_groupHeaderOnlyAtTheStartOfARun(data) {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {firstOfGroup: data.first})
        compare(findChild(message, "groupHeader").visible, data.first)
    }

    // A message naming the user stands out (a border in the accent colour); one's own does not,
    // nor one naming somebody else.
    function test_mentionOfTheUserStandsOut_data() {
        return [
            {tag: "mentions the user", text: "@Alice can you look?", own: false, stands: true},
            {tag: "mentions another", text: "@alicia can you look?", own: false, stands: false},
            {tag: "own message", text: "@alice note to self", own: true, stands: false},
            {tag: "e-mail address", text: "write to alice@example.org", own: false,
             stands: false},
        ]
    }

    function test_mentionOfTheUserStandsOut(data) {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {text: data.text, own: data.own, ownName: "alice"})
        compare(message.mentionsMe, data.stands)
        compare(findChild(message, "bubble").border.width > 0, data.stands)
    }

    // A short message gets a bubble that fits it on one line: its width is measured before the
    // text wraps, in bold where mentions are bold (measured in the regular font, "hi @bob, look"
    // put its last word on a line of its own).
    function test_shortMessagesStayOnOneLine_data() {
        return [
            {tag: "plain", text: "plain words here"},
            {tag: "a mention", text: "hi @bob, look"},
            {tag: "many mentions", text: "@alice @bob @carol @dave @erin @frank @grace"},
            {tag: "a link", text: "see https://example.org/tickets/42 now"},
            {tag: "wide letters", text: "WWWW MMMM @WWWW MMMM"},
        ]
    }

    function test_shortMessagesStayOnOneLine(data) {
        const message = createTemporaryObject(messageComponent, testCase,
                                              {text: data.text, ownName: "alice"})
        waitForRendering(message)
        const body = findChild(message, "messageText")
        verify(body.width < message.bubbleMaxWidth, "a short bubble: " + body.width)
        compare(body.lineCount, 1)
    }
}
