// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls

// A menu as wide as its widest item needs: Qt Quick's Menu has a fixed width, and "Follow the
// system theme" or a translated label would be cut short.
Menu {
    id: menu

    width: {
        let widest = 0
        for (let i = 0; i < menu.count; ++i) {
            const item = menu.itemAt(i)
            if (item)
                widest = Math.max(widest, item.implicitWidth)
        }
        return Math.max(implicitWidth, widest + leftPadding + rightPadding)
    }
}
