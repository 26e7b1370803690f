// SPDX-License-Identifier: MIT
#include "wsframing.h"

#include <QCryptographicHash>
#include <QStringDecoder>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace neonchat::server::ws {

namespace {

constexpr qsizetype kMaxControlPayload = 125;

bool isControl(Opcode opcode) {
    return (static_cast<quint8>(opcode) & 0x8) != 0;
}

bool isKnownOpcode(quint8 opcode) {
    switch (static_cast<Opcode>(opcode)) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        return true;
    }
    return false;
}

// Close codes a peer may send (RFC 6455 §7.4, and the IANA registry up to 1014).
bool isReceivableCloseCode(quint16 code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

std::optional<QString> decodeUtf8(QByteArrayView bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        return std::nullopt;
    }
    return text;
}

// Header bytes needed so far: 2, then the extended length and the mask key once known.
qsizetype headerSize(const QByteArray &header) {
    if (header.size() < 2) {
        return 2;
    }
    const quint8 length = static_cast<quint8>(header[1]) & 0x7f;
    const qsizetype extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    const qsizetype mask = (static_cast<quint8>(header[1]) & 0x80) != 0 ? 4 : 0;
    return 2 + extended + mask;
}

} // namespace

std::optional<Violation> FrameReader::feed(QByteArrayView input, QList<Received> &out) {
    if (m_failed) {
        return Violation{close::kProtocolError, u"the stream already failed"_s};
    }
    qsizetype position = 0;
    while (position < input.size()) {
        if (!m_inPayload) {
            // Byte by byte until the header's size is known, then the rest of it at once.
            const qsizetype wanted = headerSize(m_header) - m_header.size();
            const qsizetype n = std::min(wanted, input.size() - position);
            m_header.append(input.sliced(position, n));
            position += n;
            if (m_header.size() == 2 && (static_cast<quint8>(m_header[1]) & 0x80) == 0) {
                // Checked before the rest of the header: an unmasked frame is refused at once.
                m_failed = true;
                return Violation{close::kProtocolError, u"client frames must be masked"_s};
            }
            if (m_header.size() < headerSize(m_header)) {
                continue;
            }
            if (auto violation = startFrame()) {
                m_failed = true;
                return violation;
            }
        } else {
            const auto n = static_cast<qsizetype>(
                std::min<quint64>(m_payloadLength - static_cast<quint64>(m_frame.size()),
                                  static_cast<quint64>(input.size() - position)));
            const qsizetype start = m_frame.size();
            m_frame.append(input.sliced(position, n));
            char *data = m_frame.data();
            for (qsizetype i = start; i < start + n; ++i) {
                data[i] = static_cast<char>(static_cast<quint8>(data[i]) ^ m_mask[i % 4]);
            }
            position += n;
        }
        if (m_inPayload && static_cast<quint64>(m_frame.size()) == m_payloadLength) {
            if (auto violation = finishFrame(out)) {
                m_failed = true;
                return violation;
            }
        }
    }
    return std::nullopt;
}

std::optional<Violation> FrameReader::startFrame() {
    const auto first = static_cast<quint8>(m_header[0]);
    const auto second = static_cast<quint8>(m_header[1]);
    if ((first & 0x70) != 0) {
        return Violation{close::kProtocolError, u"reserved bits set without an extension"_s};
    }
    if (!isKnownOpcode(first & 0x0f)) {
        return Violation{close::kProtocolError, u"unknown opcode %1"_s.arg(first & 0x0f)};
    }
    m_fin = (first & 0x80) != 0;
    m_opcode = static_cast<Opcode>(first & 0x0f);
    const quint8 length = second & 0x7f;
    const auto *bytes = reinterpret_cast<const uchar *>(m_header.constData());
    qsizetype maskAt = 2;
    if (length == 126) {
        m_payloadLength = qFromBigEndian<quint16>(bytes + 2);
        maskAt = 4;
    } else if (length == 127) {
        m_payloadLength = qFromBigEndian<quint64>(bytes + 2);
        maskAt = 10;
        if ((m_payloadLength >> 63) != 0) {
            return Violation{close::kProtocolError, u"the payload length's top bit is set"_s};
        }
    } else {
        m_payloadLength = length;
    }
    for (int i = 0; i < 4; ++i) {
        m_mask[static_cast<std::size_t>(i)] = bytes[maskAt + i];
    }
    if (isControl(m_opcode)) {
        if (!m_fin) {
            return Violation{close::kProtocolError, u"a control frame was fragmented"_s};
        }
        if (m_payloadLength > kMaxControlPayload) {
            return Violation{close::kProtocolError, u"a control frame is longer than 125 bytes"_s};
        }
    } else {
        if (m_opcode == Opcode::Continuation && !m_messageOpen) {
            return Violation{close::kProtocolError, u"a continuation frame continues nothing"_s};
        }
        if (m_opcode != Opcode::Continuation && m_messageOpen) {
            return Violation{close::kProtocolError,
                             u"a new message began before the last one ended"_s};
        }
        const auto held = static_cast<quint64>(m_messageOpen ? m_message.size() : 0);
        if (m_payloadLength > static_cast<quint64>(m_maxMessageBytes) - held) {
            return Violation{close::kTooBig,
                             u"message larger than %1 bytes"_s.arg(m_maxMessageBytes)};
        }
    }
    m_header.clear();
    m_frame.clear();
    m_frame.reserve(static_cast<qsizetype>(m_payloadLength));
    m_inPayload = true;
    return std::nullopt;
}

std::optional<Violation> FrameReader::finishFrame(QList<Received> &out) {
    m_inPayload = false;
    QByteArray payload = std::exchange(m_frame, QByteArray());
    switch (m_opcode) {
    case Opcode::Ping:
        out.append(Received{Received::Kind::Ping, {}, std::move(payload), close::kNoStatus});
        return std::nullopt;
    case Opcode::Pong:
        out.append(Received{Received::Kind::Pong, {}, std::move(payload), close::kNoStatus});
        return std::nullopt;
    case Opcode::Close: {
        Received closing{Received::Kind::Close, {}, {}, close::kNoStatus};
        if (payload.size() == 1) {
            return Violation{close::kProtocolError, u"a close frame with half a code"_s};
        }
        if (payload.size() >= 2) {
            closing.closeCode = qFromBigEndian<quint16>(payload.constData());
            if (!isReceivableCloseCode(closing.closeCode)) {
                return Violation{
                    close::kProtocolError,
                    u"close code %1 is not one a peer may send"_s.arg(closing.closeCode)};
            }
            if (!decodeUtf8(QByteArrayView(payload).sliced(2))) {
                return Violation{close::kInvalidPayload, u"the close reason is not UTF-8"_s};
            }
            closing.payload = payload.sliced(2);
        }
        out.append(closing);
        return std::nullopt;
    }
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
        break;
    }
    if (m_opcode != Opcode::Continuation) {
        m_messageOpen = true;
        m_messageOpcode = m_opcode;
        m_message = std::move(payload);
    } else {
        m_message.append(payload);
    }
    if (!m_fin) {
        return std::nullopt;
    }
    m_messageOpen = false;
    QByteArray message = std::exchange(m_message, QByteArray());
    if (m_messageOpcode == Opcode::Binary) {
        out.append(Received{Received::Kind::Binary, {}, std::move(message), close::kNoStatus});
        return std::nullopt;
    }
    // UTF-8 is checked on the whole message: a character may be split between fragments.
    std::optional<QString> text = decodeUtf8(message);
    if (!text) {
        return Violation{close::kInvalidPayload, u"the text message is not valid UTF-8"_s};
    }
    out.append(Received{Received::Kind::Text, std::move(*text), {}, close::kNoStatus});
    return std::nullopt;
}

QByteArray encodeFrame(Opcode opcode, QByteArrayView payload) {
    QByteArray frame;
    const qsizetype size = payload.size();
    frame.reserve(size + 10);
    frame.append(static_cast<char>(0x80 | static_cast<quint8>(opcode)));
    if (size < 126) {
        frame.append(static_cast<char>(size));
    } else if (size <= 0xffff) {
        frame.append(static_cast<char>(126));
        uchar length[2];
        qToBigEndian<quint16>(static_cast<quint16>(size), length);
        frame.append(reinterpret_cast<const char *>(length), 2);
    } else {
        frame.append(static_cast<char>(127));
        uchar length[8];
        qToBigEndian<quint64>(static_cast<quint64>(size), length);
        frame.append(reinterpret_cast<const char *>(length), 8);
    }
    frame.append(payload);
    return frame;
}

QByteArray encodeClose(quint16 code, const QString &reason) {
    QByteArray payload(2, '\0');
    qToBigEndian<quint16>(code, reinterpret_cast<uchar *>(payload.data()));
    // A control frame carries at most 125 bytes: the reason is cut at a character boundary.
    QString cut = reason;
    while (cut.toUtf8().size() > kMaxControlPayload - 2) {
        cut.chop(cut.size() >= 2 && cut.at(cut.size() - 1).isLowSurrogate() ? 2 : 1);
    }
    payload.append(cut.toUtf8());
    return encodeFrame(Opcode::Close, payload);
}

QByteArray acceptKey(QByteArrayView clientKey) {
    constexpr QByteArrayView kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(clientKey);
    sha1.addData(kGuid);
    return sha1.result().toBase64();
}

bool isValidClientKey(QByteArrayView clientKey) {
    if (clientKey.size() != 24) {
        return false;
    }
    const auto decoded = QByteArray::fromBase64Encoding(clientKey.toByteArray(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 16;
}

} // namespace neonchat::server::ws
