// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Under a list read from the server: that it is loading, why it failed, or that it is empty.
// Hidden while the list shows something and nothing went wrong.
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
    text: listState.failed ? listState.model.errorText
        : listState.model.loading ? qsTr("Loading…")
        : listState.shown === 0 ? listState.emptyText : ""
    Accessible.role: Accessible.StaticText
    Accessible.name: text
}
