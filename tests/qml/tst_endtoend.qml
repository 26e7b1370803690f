// SPDX-License-Identifier: MIT
// The whole app in the test's window, driven through its controls against the real server that
// tst_quick.cpp starts: log in (and the inline errors before it), read the lobby, scroll back,
// send, receive, see the peer typing, ride out a server restart, log out.
import QtQuick
import QtTest
import NeonChat
import NeonChatTest

TestCase {
    id: testCase
    name: "EndToEnd"
    width: 960
    height: 640
    visible: true
    when: windowShown

    AppContent {
        id: app
        anchors.fill: parent
    }

    function control(objectName) {
        const found = findChild(app, objectName)
        verify(found, objectName)
        return found
    }

    function logIn(server, password) {
        control("serverField").text = server
        control("usernameField").text = TestServer.username
        control("passwordField").text = password
        mouseClick(control("submitButton"))
    }

    function newestItem(view) {
        view.positionViewAtBeginning()
        return view.itemAtIndex(0)
    }

    function verifyNewestAtTheBottom(view) {
        const newest = view.itemAtIndex(0)
        verify(newest, "the newest message has an item")
        const bottom = newest.mapToItem(view, 0, newest.height).y
        verify(bottom <= view.height + 1 && bottom > view.height - 40,
               "the newest message's bottom at %1 of %2".arg(bottom).arg(view.height))
    }

    function test_1_wrongPasswordIsShownInline() {
        logIn(TestServer.url, "not the password")
        tryCompare(app.session.account, "errorText", "Wrong username or password.", 15000)
        verify(!app.session.account.loggedIn)
        compare(control("loginError").text, "Wrong username or password.")
    }

    function test_2_unreachableServerIsShownInline() {
        logIn("http://127.0.0.1:9", TestServer.password)
        tryVerify(() => app.session.account.errorText.startsWith("Server unreachable"), 15000)
        verify(!app.session.account.loggedIn)
    }

    function test_3_logInReadSendAndReceive() {
        logIn(TestServer.url, TestServer.password)
        tryCompare(app.session.account, "loggedIn", true, 15000)
        tryCompare(app.session.account, "connection", Account.Online, 15000)
        tryCompare(app.session, "currentChatTitle", "Lobby", 15000)
        const view = control("messageView")
        const messages = app.session.messages
        tryVerify(() => view.count >= 50 && !messages.loading && messages.firstUnreadRow() >= 0,
                  15000)

        // The lobby opens where its unread messages begin: the "New messages" line near the top,
        // above the first unread; only what is on screen counts as read, and the down button
        // counts the rest.
        waitForRendering(view)
        const marker = messages.firstUnreadRow()
        const markerItem = view.itemAtIndex(marker)
        verify(markerItem)
        compare(markerItem.text, "history %1".arg(120 - TestServer.unreadAtStart))
        verify(findChild(markerItem, "unreadLine").visible)
        const markerTop = markerItem.mapToItem(view, 0, 0).y
        verify(markerTop >= 0 && markerTop < view.height / 2, "the line is at " + markerTop)
        tryVerify(() => app.session.currentUnread < TestServer.unreadAtStart)
        verify(app.session.currentUnread > 0, "what is below the window is not read")
        const latest = control("latestButton")
        verify(latest.visible)
        compare(latest.text, "↓ " + app.session.currentUnread)
        mouseClick(latest)
        tryCompare(app.session, "currentUnread", 0)
        verifyNewestAtTheBottom(view)
        verify(findChild(view.itemAtIndex(marker), "unreadLine").visible, "the line stays")

        // PageUp and PageDown scroll the messages while the composer keeps the focus.
        const composerInput = control("composerInput")
        composerInput.forceActiveFocus()
        keyClick(Qt.Key_PageUp)
        verify(!view.atYEnd)
        verify(composerInput.activeFocus)
        keyClick(Qt.Key_PageDown)
        tryVerify(() => view.atYEnd)

        // Scrolling to the top (the model's end) fetches the page before, and what is on screen
        // stays where it is while the older page comes in above it.
        const firstPage = view.count
        view.positionViewAtEnd()
        // (The text is measured: the day header above it moves up to the new oldest message.)
        const oldestShown = findChild(view.itemAtIndex(firstPage - 1), "messageText")
        verify(oldestShown)
        const shownAt = oldestShown.mapToItem(view, 0, 0).y
        tryVerify(() => view.count > firstPage && !app.session.messages.loading, 15000)
        compare(oldestShown.mapToItem(view, 0, 0).y, shownAt)

        // At the very top, the oldest message's day header shows whole.
        tryVerify(() => {
            view.positionViewAtEnd()
            return !messages.hasOlder && !messages.loading
        }, 15000)
        view.positionViewAtEnd()
        waitForRendering(view)
        const oldest = view.itemAtIndex(view.count - 1)
        const header = findChild(oldest, "daySeparator")
        verify(header.visible)
        const headerTop = header.mapToItem(view, 0, 0).y
        verify(headerTop >= 0, "the oldest day header starts at " + headerTop)

        // Enter in the composer sends to the open chat; the peer gets it, the list marks it sent.
        const input = control("composerInput")
        input.forceActiveFocus()
        input.text = "hello from the desktop"
        keyClick(Qt.Key_Return)
        compare(input.text, "")
        tryVerify(() => TestServer.peerHeard("hello from the desktop"), 15000)
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "hello from the desktop"
                && item.status === MessageListModel.Sent && item.own
        }, 15000)

        // Three lines grow the composer; sent, it shrinks, and the newest message stays in view
        // at the bottom. The blank lines typed after the text are not sent.
        input.text = "line one\nline two\nline three\n\n\n"
        waitForRendering(view)
        verifyNewestAtTheBottom(view)
        keyClick(Qt.Key_Return)
        tryVerify(() => TestServer.peerHeard("line one\nline two\nline three"), 15000)
        tryVerify(() => {
            const item = view.itemAtIndex(0)
            return item && item.text === "line one\nline two\nline three"
                && item.status === MessageListModel.Sent
        }, 15000)
        waitForRendering(view)
        verifyNewestAtTheBottom(view)

        TestServer.peerSay("hi back from bob")
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "hi back from bob" && !item.own
        }, 15000)

        // A direct chat with the peer through the new chat dialog; the peer's typing shows.
        mouseClick(control("newChatButton"))
        const dialog = control("newChatDialog")
        tryCompare(dialog, "opened", true)
        const search = findChild(dialog.contentItem, "userSearch")
        // By keyboard: the search field has the focus; Down goes to the results, Enter opens.
        tryVerify(() => search.activeFocus)
        for (const letter of TestServer.peerName.substring(0, 4))
            keyClick(letter)
        tryVerify(() => findChild(dialog.contentItem, "userResult") !== null, 15000)
        keyClick(Qt.Key_Down)
        verify(findChild(dialog.contentItem, "people").activeFocus)
        keyClick(Qt.Key_Return)
        tryCompare(app.session, "currentChatTitle", TestServer.peerName, 15000)
        const directChat = app.session.currentChatId
        TestServer.peerTyping(directChat, true)
        tryCompare(app.session.typing, "text", TestServer.peerName + " is typing…", 15000)
        compare(control("typingLabel").text, TestServer.peerName + " is typing…")
        TestServer.peerSay("typed it", directChat)
        tryCompare(app.session.typing, "text", "", 15000)
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "typed it"
        }, 15000)

        // Ctrl+K, part of a name, Enter: back in the lobby. Esc closes the switcher unused.
        // (Shortcuts go to the focused window only.)
        testCase.Window.window.requestActivate()
        tryVerify(() => testCase.Window.window.active)
        keyClick(Qt.Key_K, Qt.ControlModifier)
        const switcher = control("chatSwitcher")
        tryCompare(switcher, "opened", true)
        keyClick(Qt.Key_Escape)
        tryCompare(switcher, "opened", false)
        keyClick(Qt.Key_K, Qt.ControlModifier)
        tryCompare(switcher, "opened", true)
        keyClick("l")
        keyClick("o")
        keyClick("b")
        keyClick(Qt.Key_Return)
        tryCompare(switcher, "opened", false)
        compare(app.session.currentChatTitle, "Lobby")

        // Markup from others is shown as the characters they typed; an address is a link.
        TestServer.peerSay("<b>not bold</b> <img src=x> https://example.org/a")
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "<b>not bold</b> <img src=x> https://example.org/a"
        }, 15000)
        const shown = findChild(newestItem(view), "messageText")
        compare(shown.getText(0, shown.length), "<b>not bold</b> <img src=x> https://example.org/a")
        verify(shown.text.indexOf('<a href="https://example.org/a"') >= 0, shown.text)
        verify(shown.selectByMouse)
        verify(shown.readOnly)

        // A new room through the dialog's room tab: created, joined, open.
        // (A second click on the button soon after the first, by the test's event clock, would
        // count as a double click: the 1 s delay keeps it a click.)
        mouseClick(control("newChatButton"), 6, 6, Qt.LeftButton, Qt.NoModifier, 1000)
        tryCompare(dialog, "opened", true)
        findChild(dialog.contentItem, "newChatTabs").currentIndex = 1
        findChild(dialog.contentItem, "roomName").text = "release-train"
        mouseClick(findChild(dialog.contentItem, "createRoomButton"))
        tryCompare(app.session, "currentChatTitle", "#release-train", 15000)
        tryCompare(control("messageView"), "count", 0)
    }

    // At 480 px the chat list and the chat take turns: ← shows the list, a chat brings it back.
    function test_3b_narrowWindowShowsOnePaneAtATime() {
        // (The dialog of the test before may still be fading out, its dimmer over the window.)
        tryVerify(() => !control("newChatDialog").visible)
        app.anchors.fill = undefined
        app.width = 480
        const list = control("chatListPane")
        const chat = control("chatPane")
        tryVerify(() => chat.visible && !list.visible)
        const back = control("chatListButton")
        verify(back.visible)
        mouseClick(back)
        tryVerify(() => list.visible && !chat.visible)
        tryCompare(list, "width", app.width)
        mouseClick(control("chat_" + app.session.currentChatId))
        tryVerify(() => chat.visible && !list.visible)
        app.anchors.fill = testCase
        tryVerify(() => chat.visible && list.visible)
        verify(!control("chatListButton").visible)
    }

    // Reply from the message's menu, then ↑ in the empty composer edits that reply.
    function test_3c_replyAndEditFromTheKeyboard() {
        const view = control("messageView")
        app.session.openChat("00000000-0000-4000-8000-000000000001") // the lobby
        tryCompare(app.session, "currentChatTitle", "Lobby", 15000)
        TestServer.peerSay("pick a time: 12 or 1?")
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "pick a time: 12 or 1?"
        }, 15000)
        const asked = newestItem(view)
        waitForRendering(view)
        mouseClick(findChild(asked, "bubble"), 4, 4, Qt.RightButton)
        const menu = findChild(asked, "messageMenu")
        tryCompare(menu, "opened", true)
        mouseClick(findChild(menu.contentItem, "replyAction"))
        tryCompare(menu, "opened", false)
        const target = control("composeTargetText")
        tryVerify(() => target.visible)
        compare(target.text, "Replying to %1: pick a time: 12 or 1?".arg(TestServer.peerName))
        const input = control("composerInput")
        tryVerify(() => input.activeFocus)
        for (const key of "12")
            keyClick(key)
        keyClick(Qt.Key_Return)
        verify(!target.visible)
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "12" && item.status === MessageListModel.Sent
                && item.replyText === "pick a time: 12 or 1?"
        }, 15000)
        verify(findChild(newestItem(view), "replyQuote").visible)

        keyClick(Qt.Key_Up)
        compare(input.text, "12")
        verify(control("composeTargetText").visible)
        keyClick(Qt.Key_Backspace)
        keyClick(Qt.Key_Backspace)
        keyClick("1")
        keyClick(Qt.Key_Return)
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "1" && item.edited
        }, 15000)
        verify(findChild(newestItem(view), "editedMark").visible)
    }

    // Ctrl+F, a word, Enter: the results; Enter again shows the message in its chat.
    function test_3d_searchFindsAndShowsAMessage() {
        testCase.Window.window.requestActivate()
        tryVerify(() => testCase.Window.window.active)
        control("composerInput").forceActiveFocus()
        keyClick(Qt.Key_F, Qt.ControlModifier)
        const panel = control("searchPanel")
        tryCompare(panel, "opened", true)
        verify(control("onlyThisChat").checked)
        for (const key of "history 1")
            keyClick(key)
        keyClick(Qt.Key_Return)
        const results = control("searchResults")
        // The delegate comes with the next layout, after the count.
        tryVerify(() => !app.session.search.loading && results.itemAtIndex(0) !== null, 15000)
        const first = results.itemAtIndex(0)
        verify(first.snippet.indexOf("history 1") >= 0, first.snippet)
        const wanted = first.messageId
        keyClick(Qt.Key_Return)
        tryCompare(panel, "opened", false)
        const view = control("messageView")
        tryVerify(() => {
            const row = app.session.messages.highlightRow()
            return row >= 0 && view.itemAtIndex(row) && view.itemAtIndex(row).messageId === wanted
        }, 15000)
        // Back to the newest for the tests after this one (once the panel has faded out).
        tryVerify(() => !panel.visible)
        mouseClick(control("latestButton"))
        tryVerify(() => view.atYEnd && app.session.messages.atLatest, 15000)
    }

    // The bell in the header mutes the open chat, the chat's own menu unmutes it.
    function test_3e_muteAChatFromItsHeaderAndItsMenu() {
        const chatId = app.session.currentChatId
        const item = control("chat_" + chatId)
        const mark = findChild(item, "mutedMark")
        verify(!mark.visible)
        mouseClick(control("muteButton"))
        verify(app.session.notifications.isMuted(chatId))
        verify(mark.visible)
        compare(control("muteButton").text, "🔕")
        verify(item.Accessible.name.indexOf("muted") > 0, item.Accessible.name)

        mouseClick(item, 20, item.height / 2, Qt.RightButton)
        const menu = control("chatMenu")
        tryCompare(menu, "opened", true)
        const unmute = control("muteChatItem")
        compare(unmute.text, "Unmute notifications")
        mouseClick(unmute)
        tryVerify(() => !menu.visible)
        verify(!app.session.notifications.isMuted(chatId))
        verify(!mark.visible)
        compare(control("muteButton").text, "🔔")
    }

    function test_4_reconnectingBannerComesAndGoes() {
        const banner = control("connectionBanner")
        verify(!banner.visible)
        verify(TestServer.killServer())
        tryVerify(() => banner.visible, 15000)
        verify(banner.message.length > 0)
        verify(TestServer.restartServer())
        tryCompare(app.session.account, "connection", Account.Online, 40000)
        verify(!banner.visible)

        // The session works again: a message goes out and is stored.
        const input = control("composerInput")
        input.forceActiveFocus()
        input.text = "after the restart"
        keyClick(Qt.Key_Return)
        const view = control("messageView")
        tryVerify(() => {
            const item = newestItem(view)
            return item && item.text === "after the restart" && item.status === MessageListModel.Sent
        }, 15000)
    }

    function test_5_logOutReturnsToTheLoginPage() {
        app.session.account.logOut()
        tryCompare(app.session.account, "loggedIn", false)
        tryVerify(() => findChild(app, "submitButton") !== null)
        compare(app.session.chats.totalUnread, 0)
        // The name is known: what is typed next goes into the password.
        const password = control("passwordField")
        tryVerify(() => password.activeFocus)
        const server = control("serverField").text
        verify(server.startsWith("http://127.0.0.1:"))
        keyClick("p")
        compare(password.text, "p")
        compare(control("serverField").text, server)
        compare(control("usernameField").text, TestServer.username)
    }
}
