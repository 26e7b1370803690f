// SPDX-License-Identifier: MIT
// The one JSON codec of the protocol, used by the server and both clients. Decoding validates every
// limit of CONTRACT §3, so nothing past the decoder needs to re-check a frame's shape.
#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

#include <utility>
#include <variant>

namespace neonchat::protocol {

struct DecodeError {
    enum class Kind {
        NotAnObject, // not JSON, or JSON that is not an object: the peer does not speak the
                     // protocol
        Invalid,     // an object we cannot accept: answered with an error frame, connection stays
    };
    Kind kind = Kind::Invalid;
    QString message;
    std::optional<QString> requestId; // echoed in the error frame when the client sent one

    friend bool operator==(const DecodeError &, const DecodeError &) = default;
};

// The result of a decode: a value or the reason there is none.
template <typename T>
class Decoded {
public:
    Decoded(T value)
        : m_result(std::move(value)) {}
    Decoded(DecodeError error)
        : m_result(std::move(error)) {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_result); }
    [[nodiscard]] const T &value() const { return std::get<T>(m_result); }
    [[nodiscard]] const DecodeError &error() const { return std::get<DecodeError>(m_result); }

private:
    std::variant<T, DecodeError> m_result;
};

[[nodiscard]] Decoded<ClientFrame> decodeClientFrame(QByteArrayView utf8Json);
[[nodiscard]] Decoded<ServerFrame> decodeServerFrame(QByteArrayView utf8Json);

[[nodiscard]] QByteArray encode(const ClientFrame &frame);
[[nodiscard]] QByteArray encode(const ServerFrame &frame);
// The same through QJsonDocument for every frame: what encode() must match byte for byte.
[[nodiscard]] QByteArray encodeGeneric(const ServerFrame &frame);

// Validation shared with places that take the same values outside a frame (guest names in the
// WebSocket URL, the CLI's input lines).
[[nodiscard]] bool isUuid(const QString &text);
// Number of Unicode code points; the contract's limits count characters, not UTF-16 units.
[[nodiscard]] qsizetype characterCount(QStringView text);
// nullopt when the text is acceptable as a message body, otherwise why it is not.
[[nodiscard]] std::optional<QString> messageTextProblem(const QString &text);
enum class DisplayNameProblem { Empty, TooLong, Invisible };
// The display name a guest asked for, trimmed and with runs of spaces folded to one, or why it
// cannot be used: empty, over kDisplayNameMaxChars characters, or holding characters a reader
// cannot see (control, format, private-use, unassigned, line separators, and letters that render
// as blank such as the Hangul fillers, whose only use in a name is to pass for someone else).
[[nodiscard]] std::variant<QString, DisplayNameProblem> checkDisplayName(const QString &requested);
[[nodiscard]] QString displayNameProblemText(DisplayNameProblem problem);
// checkDisplayName's name, or nullopt.
[[nodiscard]] std::optional<QString> normalizedDisplayName(const QString &requested);

[[nodiscard]] QString formatTimestamp(const QDateTime &utc);

// A message object as frames and the history API carry it.
[[nodiscard]] QJsonObject messageToJson(const ChatMessage &message);
[[nodiscard]] Decoded<ChatMessage> messageFromJson(const QJsonObject &object);

// The REST resources of protocol.h as the API carries them; each decoder checks every field.
[[nodiscard]] QJsonObject toJson(const UserSummary &user);
[[nodiscard]] QJsonObject toJson(const ChatSummary &chat);
[[nodiscard]] QJsonObject toJson(const RoomSummary &room);
[[nodiscard]] QJsonObject toJson(const HistoryPage &page);
[[nodiscard]] QJsonObject toJson(const SearchPage &page);
[[nodiscard]] Decoded<UserSummary> userSummaryFromJson(const QJsonObject &object);
[[nodiscard]] Decoded<ChatSummary> chatSummaryFromJson(const QJsonObject &object);
[[nodiscard]] Decoded<RoomSummary> roomSummaryFromJson(const QJsonObject &object);
[[nodiscard]] Decoded<HistoryPage> historyPageFromJson(const QJsonObject &object);
[[nodiscard]] Decoded<SearchPage> searchPageFromJson(const QJsonObject &object);

// CONTRACT §9 uploads. Why a file name cannot be stored, or nullopt: 1-255 bytes of UTF-8, no
// control characters, no path (no '/' or '\\', not "." or "..").
[[nodiscard]] std::optional<QString> uploadFilenameProblem(const QString &filename);
[[nodiscard]] QJsonObject uploadToJson(const Upload &upload);
[[nodiscard]] Decoded<Upload> uploadFromJson(const QJsonObject &object);

} // namespace neonchat::protocol
