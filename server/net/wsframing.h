// SPDX-License-Identifier: MIT
// The server side of RFC 6455 framing, as pure code on bytes. Qt 6.4's QWebSocket accepts
// unmasked client frames, refuses valid UTF-8 split across fragments with 1007, and answers every
// ping by itself without telling its owner, so a client that floods pings and never reads grows
// the server's memory without bound. Sessions therefore read and write frames with this code
// (net/wsconnection.*), which reports every control frame so it can be rate limited and its
// answer counted against the send budget. Driven directly by unit tests and a fuzz target.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace neonchat::server::ws {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes of RFC 6455 §7.4.1 the reader reports.
namespace close {
inline constexpr quint16 kProtocolError = 1002;
inline constexpr quint16 kNoStatus = 1005; // a close frame without a code (never sent)
inline constexpr quint16 kInvalidPayload = 1007;
inline constexpr quint16 kTooBig = 1009;
} // namespace close

// One complete thing the client said: a whole message, or a control frame.
struct Received {
    enum class Kind { Text, Binary, Ping, Pong, Close };
    Kind kind = Kind::Text;
    QString text;       // Text: the whole message, valid UTF-8 decoded
    QByteArray payload; // Binary, Ping, Pong: the bytes; Close: the reason's UTF-8
    quint16 closeCode = close::kNoStatus;
};

// Why the stream cannot go on: the close code to send and a reason for it.
struct Violation {
    quint16 closeCode = close::kProtocolError;
    QString reason;
};

// Reads client frames as bytes arrive: masked frames only, control frames whole and short,
// fragments reassembled, a message's UTF-8 checked once it is complete, and nothing larger than
// the message limit ever buffered.
class FrameReader {
public:
    explicit FrameReader(qint64 maxMessageBytes)
        : m_maxMessageBytes(maxMessageBytes) {}

    void setMaxMessageBytes(qint64 bytes) { m_maxMessageBytes = bytes; }

    // Takes input, appends what completed to out. A violation ends the stream: nothing after it
    // is read.
    [[nodiscard]] std::optional<Violation> feed(QByteArrayView input, QList<Received> &out);

private:
    [[nodiscard]] std::optional<Violation> startFrame();
    [[nodiscard]] std::optional<Violation> finishFrame(QList<Received> &out);

    qint64 m_maxMessageBytes;
    QByteArray m_header; // bytes of the current frame's header so far
    bool m_inPayload = false;
    bool m_fin = false;
    Opcode m_opcode = Opcode::Continuation;
    quint64 m_payloadLength = 0;
    std::array<quint8, 4> m_mask{};
    QByteArray m_frame;         // the current frame's payload, unmasked
    bool m_messageOpen = false; // a fragmented message has begun
    Opcode m_messageOpcode = Opcode::Text;
    QByteArray m_message; // the fragments so far
    bool m_failed = false;
};

// A server frame (never masked, always final).
[[nodiscard]] QByteArray encodeFrame(Opcode opcode, QByteArrayView payload);
[[nodiscard]] QByteArray encodeClose(quint16 code, const QString &reason);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2).
[[nodiscard]] QByteArray acceptKey(QByteArrayView clientKey);
// Whether a Sec-WebSocket-Key is the base64 of 16 bytes.
[[nodiscard]] bool isValidClientKey(QByteArrayView clientKey);

} // namespace neonchat::server::ws
