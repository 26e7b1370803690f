// SPDX-License-Identifier: MIT
pragma Singleton
import QtQuick

// The colours of the app's own surfaces (bubbles, badges, names) in each theme: every text colour
// has a contrast of at least 4.5:1 against every surface it is drawn on (tst_theme.qml measures
// each pair). Opaque on purpose: a translucent colour's contrast depends on what is behind it.
QtObject {
    readonly property var light: ({
        text: "#1f1f1f",
        secondaryText: "#5f6368",
        link: "#0b57d0",
        bubble: "#eceff1",
        ownBubble: "#d7f0ec",
        accent: "#00796b",
        onAccent: "#ffffff",
        accentText: "#00695c",
        mutedBadge: "#616161",
        error: "#c62828",
        online: "#2e7d32",
        away: "#757575",
        senders: ["#00695c", "#ad1457", "#6a1b9a", "#1565c0", "#1b5e20", "#8c5a00", "#c62828",
                  "#4527a0", "#37474f"]
    })
    readonly property var dark: ({
        text: "#eceff1",
        secondaryText: "#b0bec5",
        link: "#a8c7fa",
        bubble: "#3a3f44",
        ownBubble: "#1e4d47",
        accent: "#00796b",
        onAccent: "#ffffff",
        accentText: "#80cbc4",
        mutedBadge: "#546e7a",
        error: "#ffb4ab",
        online: "#66bb6a",
        away: "#9e9e9e",
        senders: ["#80cbc4", "#ffab91", "#e1a5ec", "#90caf9", "#a5d6a7", "#ffe082", "#f8bbd0",
                  "#c5b5f0", "#cfd8dc"]
    })

    function tones(isDark) {
        return isDark ? dark : light
    }

    // The same colour for a user everywhere (name, avatar), from their id.
    function senderColor(tones, userId) {
        let hash = 0
        for (let i = 0; i < userId.length; ++i)
            hash = (hash * 31 + userId.charCodeAt(i)) % 65521
        return tones.senders[hash % tones.senders.length]
    }
}
