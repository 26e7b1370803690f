// SPDX-License-Identifier: MIT
// Every text the timeline and the chat list draw is readable in both themes: its colour, with
// the opacity of the items it sits in, has a contrast of at least 4.5:1 (WCAG AA) against the
// surface behind it (the nearest filled rectangle, else the window's background).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtTest
import NeonChat

TestCase {
    id: testCase
    name: "Theme"
    width: 700
    height: 400
    visible: true
    when: windowShown

    Pane {
        id: surface
        anchors.fill: parent
        padding: 0
    }

    Component {
        id: messageComponent
        MessageDelegate {
            width: surface.width
            messageId: "m1"
            requestId: ""
            sender: "bob"
            senderId: "1f0c2a7e-0000-4000-8000-000000000002"
            text: "Build 41 is green: https://ci.example.org/41"
            timeText: "10:42"
            day: "Today"
            firstOfDay: true
            firstOfGroup: true
            firstUnread: true
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
        id: chatComponent
        ChatDelegate {
            width: surface.width
            chatId: "00000000-0000-4000-8000-000000000001"
            kind: "direct"
            title: "bob"
            unreadCount: 3
            partnerOnline: true
            lastMessage: "see you"
            activityText: "10:42"
            muted: false
        }
    }

    function colour(name) {
        return Qt.lighter(name, 1.0)
    }

    function luminance(c) {
        const channel = v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    function contrast(a, b) {
        const la = luminance(a)
        const lb = luminance(b)
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
    }

    // a drawn over b with a's alpha.
    function over(a, b, alpha) {
        return Qt.rgba(a.r * alpha + b.r * (1 - alpha), a.g * alpha + b.g * (1 - alpha),
                       a.b * alpha + b.b * (1 - alpha), 1)
    }

    function isText(item) {
        return item.hasOwnProperty("textFormat") && item.hasOwnProperty("color")
    }

    function isFilledRectangle(item) {
        return item.hasOwnProperty("radius") && item.hasOwnProperty("border")
               && item.color.a > 0
    }

    // The colour behind an item: the nearest filled rectangle it is in, over the window.
    function backgroundOf(item) {
        for (let parent = item.parent; parent; parent = parent.parent) {
            if (isFilledRectangle(parent))
                return over(parent.color, surface.Material.backgroundColor, parent.color.a)
        }
        return surface.Material.backgroundColor
    }

    function shownOpacity(item) {
        let opacity = 1
        for (let at = item; at; at = at.parent)
            opacity *= at.opacity
        return opacity
    }

    function isShown(item) {
        for (let at = item; at && at !== surface; at = at.parent) {
            if (!at.visible)
                return false
        }
        return true
    }

    function textsIn(item, found) {
        if (isText(item) && isShown(item) && String(item.text).length > 0)
            found.push(item)
        for (let i = 0; i < item.children.length; ++i)
            textsIn(item.children[i], found)
        return found
    }

    function checkTexts(root) {
        const texts = textsIn(root, [])
        verify(texts.length >= 3, "texts found: " + texts.length)
        for (const text of texts) {
            const background = backgroundOf(text)
            const colour = over(text.color, background, text.color.a * shownOpacity(text))
            const ratio = contrast(colour, background)
            verify(ratio >= 4.5, "“%1” is %2:1 (%3 on %4)".arg(text.text).arg(ratio.toFixed(2))
                   .arg(colour).arg(background))
        }
    }

    function test_textContrast_data() {
        return [
            {tag: "light, message", theme: Material.Light, component: messageComponent},
            {tag: "dark, message", theme: Material.Dark, component: messageComponent},
            {tag: "light, own message", theme: Material.Light, component: messageComponent,
             own: true},
            {tag: "dark, own message", theme: Material.Dark, component: messageComponent,
             own: true},
            {tag: "light, failed message", theme: Material.Light, component: messageComponent,
             own: true, failed: true},
            {tag: "dark, failed message", theme: Material.Dark, component: messageComponent,
             own: true, failed: true},
            {tag: "light, reply with files and reactions", theme: Material.Light,
             component: messageComponent, full: true},
            {tag: "dark, reply with files and reactions", theme: Material.Dark,
             component: messageComponent, full: true},
            {tag: "light, own reply with files and reactions", theme: Material.Light,
             component: messageComponent, full: true, own: true},
            {tag: "dark, own reply with files and reactions", theme: Material.Dark,
             component: messageComponent, full: true, own: true},
            {tag: "light, deleted", theme: Material.Light, component: messageComponent,
             deleted: true},
            {tag: "dark, deleted", theme: Material.Dark, component: messageComponent,
             deleted: true},
            {tag: "light, chat", theme: Material.Light, component: chatComponent},
            {tag: "dark, chat", theme: Material.Dark, component: chatComponent},
            {tag: "light, muted chat", theme: Material.Light, component: chatComponent,
             muted: true},
            {tag: "dark, muted chat", theme: Material.Dark, component: chatComponent,
             muted: true},
        ]
    }

    function test_textContrast(data) {
        surface.Material.theme = data.theme
        const properties = data.component === messageComponent
            ? {own: data.own === true,
               status: data.failed ? MessageListModel.Failed : MessageListModel.Sent,
               errorText: data.failed ? "rate limited" : "",
               deleted: data.deleted === true}
            : {muted: data.muted === true}
        if (data.full) {
            Object.assign(properties, {
                edited: true, replyToId: "m0", replySender: "carol", replyText: "Which build?",
                reactions: [{emoji: "👍", count: 2, mine: true}, {emoji: "🎉", count: 1, mine: false}],
                attachments: [{uploadId: "u1", filename: "build-41.log",
                               contentType: "text/plain", size: 48200}]})
        }
        const item = createTemporaryObject(data.component, surface.contentItem, properties)
        verify(item)
        waitForRendering(item)
        checkTexts(item)
    }

    // Every name colour, on both kinds of bubble, in both themes; and the palette's own pairs.
    function test_paletteContrast_data() {
        return [{tag: "light", tones: ChatTheme.light}, {tag: "dark", tones: ChatTheme.dark}]
    }

    function test_paletteContrast(data) {
        const t = data.tones
        for (const surfaceColour of [t.bubble, t.ownBubble]) {
            for (const textColour of [t.text, t.secondaryText, t.error, t.link, t.accentText].concat(t.senders)) {
                const ratio = contrast(colour(textColour), colour(surfaceColour))
                verify(ratio >= 4.5, "%1 on %2: %3:1".arg(textColour).arg(surfaceColour)
                       .arg(ratio.toFixed(2)))
            }
        }
        verify(contrast(colour(t.onAccent), colour(t.accent)) >= 4.5, "badge")
        // Avatars: white initials on the light theme's name colours, in either theme.
        for (const avatar of ChatTheme.light.senders)
            verify(contrast(colour("white"), colour(avatar)) >= 4.5, avatar)
    }
}
