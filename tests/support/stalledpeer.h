// SPDX-License-Identifier: MIT
// A WebSocket peer that completes the handshake and then stops reading: it never answers pings or
// close frames and lets the server's send buffers fill, like a frozen or overloaded client.
#pragma once

#include "rawwebsocket.h"

namespace neonchat::testing {

class StalledPeer {
public:
    // Connects and upgrades; false if the server did not answer 101.
    [[nodiscard]] bool open(quint16 port, const QString &query);
    [[nodiscard]] QTcpSocket &socket() { return m_peer.socket(); }
    // Starts reading again and returns the status code of the server's close frame, or -1 if
    // none arrives in time. Qt's own client reports codes it does not know (1013) as 1002, so the
    // exact code is read off the wire here.
    [[nodiscard]] int readCloseCode(int timeoutMs = 10000);
    [[nodiscard]] bool isConnected() const {
        return m_peer.socket().state() == QAbstractSocket::ConnectedState;
    }

private:
    RawWebSocket m_peer;
};

} // namespace neonchat::testing
