// SPDX-License-Identifier: MIT
// A WebSocket client on a plain TCP socket for tests that must send what Qt's client never would:
// unmasked frames, text split inside a character, floods of pings. It reads the server's frames
// off the wire, so close codes Qt's client reports wrongly (1013) are seen as sent.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>

namespace neonchat::testing {

struct WireFrame {
    int opcode = 0;
    QByteArray payload;

    // For a close frame: its code, or -1.
    [[nodiscard]] int closeCode() const;
};

// Server frames (unmasked) at the start of bytes; *consumed says how many bytes they took.
[[nodiscard]] QList<WireFrame> parseServerFrames(QByteArrayView bytes, qsizetype *consumed);
// A client frame as RFC 6455 §5.2 lays it out, masked with key unless masked is false.
[[nodiscard]] QByteArray encodeClientFrame(int opcode, QByteArrayView payload, bool fin,
                                           bool masked, quint32 key);

class RawWebSocket {
public:
    // Connects and upgrades to /ws?query; false if the server did not answer 101. behind goes
    // in the same write as the upgrade request (frames a client sends without waiting).
    [[nodiscard]] bool open(quint16 port, const QString &query, const QByteArray &behind = {});
    [[nodiscard]] QTcpSocket &socket() { return m_socket; }
    [[nodiscard]] const QTcpSocket &socket() const { return m_socket; }

    // A client frame: masked unless told otherwise.
    void sendFrame(int opcode, QByteArrayView payload, bool fin = true, bool masked = true);
    void sendText(const QJsonObject &object);

    // Every frame received so far (reads what is waiting first).
    [[nodiscard]] const QList<WireFrame> &frames();
    // Waits for a text frame whose JSON has this "type"; returns it, or an empty object.
    [[nodiscard]] QJsonObject waitForType(const QString &type, int timeoutMs = 10000);
    // Waits for the server's close frame; its code, or -1.
    [[nodiscard]] int waitForCloseCode(int timeoutMs = 10000);

private:
    QTcpSocket m_socket;
    QByteArray m_stream; // bytes after the 101 response not yet parsed
    QList<WireFrame> m_frames;
};

} // namespace neonchat::testing
