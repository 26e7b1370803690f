// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material.impl as MaterialImpl

// A menu item that is one of a set of exclusive choices (put it in an exclusive ActionGroup): it
// shows a radio mark, as such a choice does everywhere else, where Qt's menu shows a check box.
MenuItem {
    id: control

    checkable: true
    indicator: MaterialImpl.RadioIndicator {
        x: control.mirrored ? control.width - width - control.rightPadding : control.leftPadding
        y: control.topPadding + (control.availableHeight - height) / 2
        visible: control.checkable
        control: control
    }
}
