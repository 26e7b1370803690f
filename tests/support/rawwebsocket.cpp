// SPDX-License-Identifier: MIT
#include "rawwebsocket.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

namespace neonchat::testing {

int WireFrame::closeCode() const {
    if (opcode != 0x8 || payload.size() < 2) {
        return -1;
    }
    return (static_cast<quint8>(payload[0]) << 8) | static_cast<quint8>(payload[1]);
}

QList<WireFrame> parseServerFrames(QByteArrayView bytes, qsizetype *consumed) {
    QList<WireFrame> frames;
    qsizetype at = 0;
    // 1 byte FIN and opcode, 1 byte length (126: 16-bit follows, 127: 64-bit), then the payload.
    while (bytes.size() - at >= 2) {
        const int opcode = static_cast<quint8>(bytes[at]) & 0x0F;
        quint64 length = static_cast<quint8>(bytes[at + 1]) & 0x7F;
        qsizetype header = 2;
        if (length == 126 || length == 127) {
            const int extra = length == 126 ? 2 : 8;
            if (bytes.size() - at < 2 + extra) {
                break;
            }
            length = 0;
            for (int i = 0; i < extra; ++i) {
                length = (length << 8) | static_cast<quint8>(bytes[at + 2 + i]);
            }
            header += extra;
        }
        if (static_cast<quint64>(bytes.size() - at - header) < length) {
            break;
        }
        frames.append(WireFrame{
            opcode, bytes.sliced(at + header, static_cast<qsizetype>(length)).toByteArray()});
        at += header + static_cast<qsizetype>(length);
    }
    *consumed = at;
    return frames;
}

bool RawWebSocket::open(quint16 port, const QString &query, const QByteArray &behind) {
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(10000)) {
        return false;
    }
    m_socket.write(
        "GET /ws?" + query.toUtf8() +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" +
        behind);
    QByteArray response;
    const bool answered = QTest::qWaitFor(
        [&] {
            response += m_socket.readAll();
            return response.contains("\r\n\r\n");
        },
        10000);
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    if (headEnd >= 0) {
        m_stream = response.sliced(headEnd + 4);
    }
    return answered && response.startsWith("HTTP/1.1 101");
}

QByteArray encodeClientFrame(int opcode, QByteArrayView payload, bool fin, bool masked,
                             quint32 key) {
    QByteArray frame;
    frame.append(static_cast<char>((fin ? 0x80 : 0) | opcode));
    const quint8 maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        frame.append(static_cast<char>(maskBit | payload.size()));
    } else if (payload.size() <= 0xffff) {
        frame.append(static_cast<char>(maskBit | 126));
        frame.append(static_cast<char>(payload.size() >> 8));
        frame.append(static_cast<char>(payload.size() & 0xff));
    } else {
        frame.append(static_cast<char>(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.append(static_cast<char>((static_cast<quint64>(payload.size()) >> shift) & 0xff));
        }
    }
    if (!masked) {
        frame.append(payload);
        return frame;
    }
    const char mask[4] = {static_cast<char>(key >> 24), static_cast<char>(key >> 16),
                          static_cast<char>(key >> 8), static_cast<char>(key)};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i) {
        frame.append(static_cast<char>(payload[i] ^ mask[i % 4]));
    }
    return frame;
}

void RawWebSocket::sendFrame(int opcode, QByteArrayView payload, bool fin, bool masked) {
    m_socket.write(
        encodeClientFrame(opcode, payload, fin, masked, QRandomGenerator::global()->generate()));
    m_socket.flush();
}

void RawWebSocket::sendText(const QJsonObject &object) {
    sendFrame(0x1, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

const QList<WireFrame> &RawWebSocket::frames() {
    m_stream += m_socket.readAll();
    qsizetype consumed = 0;
    m_frames += parseServerFrames(m_stream, &consumed);
    m_stream.remove(0, consumed);
    return m_frames;
}

QJsonObject RawWebSocket::waitForType(const QString &type, int timeoutMs) {
    QJsonObject found;
    const bool arrived = QTest::qWaitFor(
        [&] {
            for (const WireFrame &frame : frames()) {
                const QJsonObject object = QJsonDocument::fromJson(frame.payload).object();
                if (frame.opcode == 0x1 &&
                    object.value(QStringLiteral("type")).toString() == type) {
                    found = object;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return arrived ? found : QJsonObject();
}

int RawWebSocket::waitForCloseCode(int timeoutMs) {
    int code = -1;
    const bool arrived = QTest::qWaitFor(
        [&] {
            for (const WireFrame &frame : frames()) {
                if (frame.opcode == 0x8) {
                    code = frame.closeCode();
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return arrived ? code : -1;
}

} // namespace neonchat::testing
