// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import NeonChat

// The line above the New chat dialog's lists: an error first, then loading or empty while the
// list shows nothing, and nothing while it shows rows.
TestCase {
    id: testCase
    name: "ListState"
    width: 300
    height: 100
    visible: true
    when: windowShown

    // Stands in for a RemoteListModel: the two properties the line reads.
    QtObject {
        id: fakeModel
        property bool loading: false
        property string errorText: ""
    }

    Component {
        id: stateComponent
        ListState {
            width: 300
            model: fakeModel
            shown: 0
            emptyText: "No one here."
        }
    }

    function test_text_data() {
        return [
            {tag: "empty", loading: false, error: "", shown: 0, text: "No one here."},
            {tag: "loading, nothing shown", loading: true, error: "", shown: 0, text: "Loading…"},
            {tag: "loading over rows", loading: true, error: "", shown: 3, text: ""},
            {tag: "rows", loading: false, error: "", shown: 3, text: ""},
            {tag: "failed", loading: false, error: "Server unreachable: refused", shown: 0,
             text: "Server unreachable: refused"},
            {tag: "failed over rows", loading: false, error: "Server unreachable: refused",
             shown: 2, text: "Server unreachable: refused"},
        ]
    }

    function test_text(data) {
        fakeModel.loading = data.loading
        fakeModel.errorText = data.error
        const line = createTemporaryObject(stateComponent, testCase, {shown: data.shown})
        verify(line)
        compare(line.text, data.text)
        compare(line.visible, data.text.length > 0)
    }

    function test_errorStandsOutFromTheOtherLines() {
        fakeModel.loading = false
        fakeModel.errorText = ""
        const line = createTemporaryObject(stateComponent, testCase)
        const plain = String(line.color) // a copy: a colour property read is a live reference
        fakeModel.errorText = "Server unreachable: refused"
        verify(String(line.color) !== plain, "an error has the error colour")
    }
}
