// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Above a list read from the server: why it failed, or that it is loading or empty. Hidden while
// the list shows something and nothing went wrong.
Label {
    id: listState

    // A RemoteListModel: its loading and errorText.
    required property var model
    // How many rows the list shows.
    required property int shown
    property string emptyText

    readonly property bool failed: listState.model.errorText.length > 0
    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)

    Layout.fillWidth: true
    visible: text.length > 0
    wrapMode: Text.Wrap
    color: listState.failed ? listState.tones.error : listState.tones.secondaryText
    // Loading shows only over an empty list: results already there stay still while a new
    // search is asked for.
    text: listState.failed ? listState.model.errorText
        : listState.shown > 0 ? ""
        : listState.model.loading ? qsTr("Loading…") : listState.emptyText
    Accessible.role: Accessible.StaticText
    Accessible.name: text
}
