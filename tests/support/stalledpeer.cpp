// SPDX-License-Identifier: MIT
#include "stalledpeer.h"

#include <QTest>

namespace neonchat::testing {

bool StalledPeer::open(quint16 port, const QString &query) {
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(10000)) {
        return false;
    }
    m_socket.write(
        "GET /ws?" + query.toUtf8() +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    const bool upgraded = QTest::qWaitFor(
        [&] {
            response += m_socket.readAll();
            return response.contains("\r\n\r\n");
        },
        10000);
    // From here on nothing is read: Qt stops taking bytes from the kernel once this is full.
    m_socket.setReadBufferSize(1);
    const qsizetype headerEnd = response.indexOf("\r\n\r\n");
    m_afterHandshake = headerEnd < 0 ? QByteArray() : response.mid(headerEnd + 4);
    return upgraded && response.startsWith("HTTP/1.1 101");
}

int StalledPeer::readCloseCode(int timeoutMs) {
    m_socket.setReadBufferSize(0);
    QByteArray stream = m_afterHandshake;
    int closeCode = -1;
    // Server frames are unmasked: 1 byte FIN+opcode, 1 byte length (126: 16-bit, 127: 64-bit).
    auto scan = [&] {
        qsizetype at = 0;
        while (stream.size() - at >= 2) {
            const int opcode = static_cast<quint8>(stream[at]) & 0x0F;
            quint64 length = static_cast<quint8>(stream[at + 1]) & 0x7F;
            qsizetype header = 2;
            if (length == 126 || length == 127) {
                const int bytes = length == 126 ? 2 : 8;
                if (stream.size() - at < 2 + bytes) {
                    return false;
                }
                length = 0;
                for (int i = 0; i < bytes; ++i) {
                    length = (length << 8) | static_cast<quint8>(stream[at + 2 + i]);
                }
                header += bytes;
            }
            if (static_cast<quint64>(stream.size() - at - header) < length) {
                return false;
            }
            if (opcode == 0x8 && length >= 2) {
                closeCode = (static_cast<quint8>(stream[at + header]) << 8) |
                            static_cast<quint8>(stream[at + header + 1]);
                return true;
            }
            at += header + static_cast<qsizetype>(length);
        }
        return false;
    };
    const bool found = QTest::qWaitFor(
        [&] {
            stream += m_socket.readAll();
            return scan();
        },
        timeoutMs);
    return found ? closeCode : -1;
}

} // namespace neonchat::testing
