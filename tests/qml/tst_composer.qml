// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import NeonChat

TestCase {
    id: testCase
    name: "Composer"
    width: 600
    height: 200
    visible: true
    when: windowShown

    Component {
        id: composerComponent
        Composer {
            width: 600
            maxChars: 20
        }
    }

    SignalSpy {
        id: submitted
        signalName: "submitted"
    }

    function createComposer() {
        const composer = createTemporaryObject(composerComponent, testCase)
        submitted.clear()
        submitted.target = composer
        const input = findChild(composer, "composerInput")
        input.forceActiveFocus()
        return composer
    }

    function test_enterSendsTheText() {
        const composer = createComposer()
        keyClick("h")
        keyClick("i")
        keyClick(Qt.Key_Return)
        compare(submitted.count, 1)
        compare(submitted.signalArguments[0][0], "hi")
    }

    function test_shiftEnterStartsANewLine() {
        const composer = createComposer()
        keyClick("a")
        keyClick(Qt.Key_Return, Qt.ShiftModifier)
        keyClick("b")
        compare(submitted.count, 0)
        compare(composer.text, "a\nb")
        keyClick(Qt.Key_Enter)
        compare(submitted.count, 1)
        compare(submitted.signalArguments[0][0], "a\nb")
    }

    function test_blankTextIsNotSent() {
        const composer = createComposer()
        keyClick(Qt.Key_Space)
        keyClick(Qt.Key_Return)
        compare(submitted.count, 0)
        verify(!findChild(composer, "sendButton").enabled)
    }

    function test_textOverTheLimitIsNotSentAndTheCountShows() {
        const composer = createComposer()
        const counter = findChild(composer, "charCount")
        verify(!counter.visible || composer.length === 0)
        findChild(composer, "composerInput").text = "x".repeat(21)
        verify(counter.visible)
        compare(counter.text, "21/20")
        verify(!composer.sendable)
        keyClick(Qt.Key_Return)
        compare(submitted.count, 0)
        findChild(composer, "composerInput").text = "x".repeat(20)
        verify(composer.sendable)
    }

    function test_sendButtonSendsAndEditsAreReported() {
        const composer = createComposer()
        const edits = createTemporaryObject(spyComponent, testCase, {target: composer})
        keyClick("o")
        keyClick("k")
        compare(edits.count, 2)
        compare(edits.signalArguments[1][0], "ok")
        mouseClick(findChild(composer, "sendButton"))
        compare(submitted.count, 1)
        compare(submitted.signalArguments[0][0], "ok")
    }

    // Tab and Shift+Tab leave the composer (to the send button once there is text) instead of
    // typing a tab.
    function test_tabLeavesTheComposer() {
        const composer = createComposer()
        const input = findChild(composer, "composerInput")
        keyClick("x")
        keyClick(Qt.Key_Tab)
        compare(composer.text, "x")
        verify(!input.activeFocus)
        verify(findChild(composer, "sendButton").activeFocus)
        keyClick(Qt.Key_Backtab, Qt.ShiftModifier)
        verify(input.activeFocus)
        compare(composer.text, "x")
    }

    function test_pageKeysAskToScroll() {
        const composer = createComposer()
        const pages = createTemporaryObject(spyComponent, testCase,
                                            {target: composer, signalName: "pageRequested"})
        keyClick(Qt.Key_PageUp)
        keyClick(Qt.Key_PageDown)
        compare(pages.count, 2)
        compare(pages.signalArguments[0][0], -1)
        compare(pages.signalArguments[1][0], 1)
    }

    Component {
        id: spyComponent
        SignalSpy {
            signalName: "edited"
        }
    }

    // The app answers a mention being typed with names (here: the test does, as the session
    // would); ↓ and Tab take the second, Enter with the list open completes instead of sending.
    function test_mentionCompletesFromTheSuggestions() {
        const composer = createComposer()
        composer.maxChars = 100
        let asked = []
        composer.mentionRequested.connect(prefix => {
            asked.push(prefix)
            composer.mentionSuggestions = ["bob", "bella"].filter(n => n.startsWith(prefix))
        })
        let ended = 0
        composer.mentionEnded.connect(() => ++ended)
        for (const key of "hi @b")
            keyClick(key)
        tryCompare(asked, "length", 2)
        compare(asked, ["", "b"])
        const popup = findChild(composer, "mentionSuggestions")
        tryCompare(popup, "opened", true)
        keyClick(Qt.Key_Down)
        keyClick(Qt.Key_Tab)
        compare(composer.text, "hi @bella ")
        verify(ended > 0)
        composer.mentionSuggestions = []
        tryCompare(popup, "visible", false)

        for (const key of "@bo")
            keyClick(key)
        tryCompare(popup, "opened", true)
        keyClick(Qt.Key_Return)
        compare(composer.text, "hi @bella @bob ")
        compare(submitted.count, 0)
        keyClick(Qt.Key_Return)
        compare(submitted.count, 1)
    }

    // A mention is asked for once per prefix: edits after the cursor (Delete) or a cursor that
    // comes back to the same place ask nothing more; each ask may be a search on the server.
    function test_mentionIsAskedOncePerPrefix() {
        const composer = createComposer()
        composer.maxChars = 100
        let asked = []
        composer.mentionRequested.connect(prefix => asked.push(prefix))
        for (const key of "@bo tail")
            keyClick(key)
        tryCompare(asked, "length", 3)
        for (let i = 0; i < 5; ++i)
            keyClick(Qt.Key_Left)
        tryCompare(asked, "length", 4) // "@bo": asked for again, after it had ended
        compare(asked[3], "bo")
        keyClick(Qt.Key_Delete)
        keyClick(Qt.Key_Delete)
        keyClick(Qt.Key_Left)
        keyClick(Qt.Key_Right)
        tryCompare(asked, "length", 6) // "b", then "bo" once more: the prefix changed twice
        compare(asked.slice(4), ["b", "bo"])
        keyClick(Qt.Key_Delete)
        keyClick(Qt.Key_Delete)
        compare(composer.text, "@bol")
        keyClick(Qt.Key_End)
        tryCompare(asked, "length", 7)
        compare(asked[6], "bol")
    }

    // Esc closes the list and Enter sends as typed; an e-mail address asks for nothing.
    function test_escapeDismissesTheSuggestions() {
        const composer = createComposer()
        composer.maxChars = 100
        let asked = 0
        composer.mentionRequested.connect(prefix => {
            ++asked
            composer.mentionSuggestions = ["bob"]
        })
        for (const key of "ann@b")
            keyClick(key)
        wait(0) // the check runs once the keys are handled
        compare(asked, 0)
        keyClick(" ")
        keyClick("@")
        tryVerify(() => asked === 1)
        const popup = findChild(composer, "mentionSuggestions")
        tryCompare(popup, "opened", true)
        keyClick(Qt.Key_Escape)
        tryCompare(popup, "visible", false)
        keyClick(Qt.Key_Return)
        compare(submitted.count, 1)
        compare(submitted.signalArguments[0][0], "ann@b @")
    }
}
