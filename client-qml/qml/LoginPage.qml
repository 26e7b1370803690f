// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import NeonChat

Page {
    id: page

    required property ChatSession session
    property bool creating: false
    readonly property var tones: ChatTheme.tones(Material.theme === Material.Dark)

    // Typing starts where it is needed: the password when the name is known (after logging out,
    // or an expired session), else the name. (The page is loaded anew each time, and is in the
    // window only once its loader has placed it.)
    function focusFirstEmptyField() {
        (usernameField.text.length > 0 ? passwordField : usernameField).forceActiveFocus()
    }
    Component.onCompleted: Qt.callLater(focusFirstEmptyField)

    function submit() {
        if (page.creating)
            page.session.account.registerAccount(serverField.text, usernameField.text, passwordField.text)
        else
            page.session.account.logIn(serverField.text, usernameField.text, passwordField.text)
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 360)
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("NeonChat")
            font.pixelSize: 32
            font.bold: true
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: page.creating ? qsTr("Create an account") : qsTr("Log in to your server")
            color: page.tones.secondaryText
        }
        TextField {
            id: serverField
            objectName: "serverField"
            Layout.fillWidth: true
            text: page.session.account.serverAddress
            placeholderText: qsTr("Server address, e.g. http://localhost:8080")
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            Accessible.name: qsTr("Server address")
            KeyNavigation.tab: usernameField
        }
        TextField {
            id: usernameField
            objectName: "usernameField"
            Layout.fillWidth: true
            text: page.session.account.username
            placeholderText: qsTr("Username")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.name: qsTr("Username")
            KeyNavigation.tab: passwordField
            onAccepted: passwordField.forceActiveFocus()
        }
        TextField {
            id: passwordField
            objectName: "passwordField"
            Layout.fillWidth: true
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            Accessible.name: qsTr("Password")
            KeyNavigation.tab: submitButton
            onAccepted: page.submit()
        }
        Label {
            objectName: "loginError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.session.account.errorText
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: page.tones.error
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        Button {
            id: submitButton
            objectName: "submitButton"
            Layout.fillWidth: true
            highlighted: true
            enabled: !page.session.account.busy
            text: page.session.account.busy ? qsTr("Please wait…")
                                    : page.creating ? qsTr("Create account") : qsTr("Log in")
            Accessible.name: text
            onClicked: page.submit()
        }
        Button {
            objectName: "switchModeButton"
            Layout.alignment: Qt.AlignHCenter
            flat: true
            text: page.creating ? qsTr("I have an account") : qsTr("Create an account instead")
            Accessible.name: text
            onClicked: page.creating = !page.creating
        }
    }
}
