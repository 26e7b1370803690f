// SPDX-License-Identifier: MIT
// A plain TCP client for tests that must say what a well-behaved HTTP or WebSocket client never
// would: malformed, oversized, slow or pipelined requests. It records every byte it receives and
// how the connection ended, and can split what it read into HTTP responses.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QTcpSocket>

namespace neonchat::testing {

struct RawResponse {
    int status = 0;
    QByteArray head; // status line and headers
    QByteArray body;

    [[nodiscard]] QByteArray header(QByteArrayView name) const;
};

class RawConnection {
public:
    // Connects to the port on 127.0.0.1, from source if it is given (any of 127.0.0.0/8).
    [[nodiscard]] bool open(quint16 port, const QHostAddress &source = {});
    void write(const QByteArray &bytes);
    [[nodiscard]] QTcpSocket &socket() { return m_socket; }

    // Everything received so far (reads what is waiting first).
    [[nodiscard]] const QByteArray &received();
    // Waits until count complete responses have arrived (Content-Length framed).
    [[nodiscard]] bool waitForResponses(int count, int timeoutMs = 10000);
    [[nodiscard]] QList<RawResponse> responses();
    // Waits until the server closes the connection (or resets it).
    [[nodiscard]] bool waitForClose(int timeoutMs = 10000);
    [[nodiscard]] bool isOpen() const {
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

// Resident and peak resident memory of a process, bytes (from /proc/PID/status), or -1.
struct ProcessMemory {
    qint64 resident = -1;
    qint64 peak = -1;
};
[[nodiscard]] ProcessMemory processMemory(qint64 pid);

} // namespace neonchat::testing
