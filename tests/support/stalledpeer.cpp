// SPDX-License-Identifier: MIT
#include "stalledpeer.h"

namespace neonchat::testing {

bool StalledPeer::open(quint16 port, const QString &query) {
    if (!m_peer.open(port, query)) {
        return false;
    }
    // From here on nothing is read: Qt stops taking bytes from the kernel once this is full.
    m_peer.socket().setReadBufferSize(1);
    return true;
}

int StalledPeer::readCloseCode(int timeoutMs) {
    m_peer.socket().setReadBufferSize(0);
    return m_peer.waitForCloseCode(timeoutMs);
}

} // namespace neonchat::testing
