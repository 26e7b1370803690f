// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import NeonChat

TestCase {
    id: testCase
    name: "ConnectionBanner"
    width: 400
    height: 100
    visible: true
    when: windowShown

    Component {
        id: bannerComponent
        ConnectionBanner {
            width: 400
        }
    }

    function test_states_data() {
        return [
            {tag: "online", connection: Account.Online, seconds: 0, problem: "",
             shown: false, message: ""},
            {tag: "connecting", connection: Account.Connecting, seconds: 0, problem: "",
             shown: true, message: "Connecting…"},
            {tag: "reconnecting with countdown", connection: Account.Reconnecting,
             seconds: 4, problem: "", shown: true, message: "Reconnecting in 4 s…", retry: true},
            {tag: "never connected, waiting", connection: Account.Reconnecting,
             seconds: 3, problem: "Connection refused", shown: true,
             message: "No connection (Connection refused). Trying again in 3 s…", retry: true},
            {tag: "reconnecting now", connection: Account.Reconnecting, seconds: 0,
             problem: "", shown: true, message: "Reconnecting…"},
            {tag: "offline with reason", connection: Account.Offline, seconds: 0,
             problem: "Connection refused", shown: true, message: "Offline: Connection refused"},
        ]
    }

    function test_states(data) {
        const banner = createTemporaryObject(bannerComponent, testCase, {
            connection: data.connection, seconds: data.seconds, problem: data.problem})
        compare(banner.visible, data.shown)
        compare(findChild(banner, "retryNowButton").visible, data.retry === true)
        compare(banner.message, data.message)
        compare(banner.Accessible.name, data.message)
        compare(banner.height > 0, data.shown)
    }

    function test_retryNowAsksForAnAttempt() {
        const banner = createTemporaryObject(bannerComponent, testCase, {
            connection: Account.Reconnecting, seconds: 30, problem: "Connection refused"})
        const asked = createTemporaryObject(signalSpyComponent, testCase, {
            target: banner, signalName: "retryRequested"})
        mouseClick(findChild(banner, "retryNowButton"))
        compare(asked.count, 1)
    }

    Component {
        id: signalSpyComponent
        SignalSpy {}
    }

    function test_clearsWhenBackOnline() {
        const banner = createTemporaryObject(bannerComponent, testCase, {
            connection: Account.Reconnecting, seconds: 2})
        verify(banner.visible)
        banner.connection = Account.Online
        verify(!banner.visible)
        compare(banner.height, 0)
    }
}
