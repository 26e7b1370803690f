// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtTest
import NeonChat

// Menus fit their longest label ("Follow the system theme" was cut to "Follow the sys…"), and
// stay at least as wide as Qt's menus for short ones.
TestCase {
    id: testCase
    name: "FittingMenu"
    width: 800
    height: 400
    visible: true
    when: windowShown

    Component {
        id: menuComponent
        FittingMenu {
            property alias longText: longItem.text
            MenuItem {
                text: "Short"
            }
            MenuItem {
                id: longItem
                objectName: "longItem"
                checkable: true
                text: "Follow the system theme"
            }
        }
    }

    Component {
        id: plainMenuComponent
        Menu {
            MenuItem {
                text: "Short"
            }
        }
    }

    function test_fitsItsItems_data() {
        return [
            {tag: "theme", text: "Follow the system theme"},
            {tag: "translated", text: "Отключить все уведомления в этом чате"},
            {tag: "short", text: "Go"},
        ]
    }

    function test_fitsItsItems(data) {
        const menu = createTemporaryObject(menuComponent, testCase, {longText: data.text})
        menu.open()
        tryCompare(menu, "opened", true)
        const item = findChild(menu.contentItem, "longItem")
        verify(item)
        verify(menu.width - menu.leftPadding - menu.rightPadding >= item.implicitWidth,
               "%1 fits in %2".arg(item.implicitWidth).arg(menu.width))
        const plain = createTemporaryObject(plainMenuComponent, testCase)
        verify(menu.width >= plain.width, "never narrower than Qt's own menus")
    }
}
