// SPDX-License-Identifier: MIT
// HTTP/1.1 request framing with hard limits (RFC 9112), done before Qt's HTTP server sees a byte.
// Qt 6.4's server buffers whole heads and bodies without a bound, reads a bad Content-Length as
// 0 (the body then parses as a second request), answers pipelined requests out of order and
// ignores Connection: close. The front (httpfront.h) frames each request with this code, answers
// what is malformed or too large itself, and hands Qt one clean request at a time.
// Pure functions on bytes: the fuzz target and the unit tests drive them directly.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>
#include <variant>

namespace neonchat::server::http {

struct FramingLimits {
    qsizetype maxHeadBytes = 16 * 1024; // request line and headers, CRLFs included
    qsizetype maxTargetBytes = 8 * 1024;
    int maxHeaderCount = 100;
    qint64 maxBodyBytes = 64 * 1024;
};

// What the client gets instead: a status, a snake_case code and a sentence. The connection is
// closed after it, since what follows on the stream can no longer be trusted.
struct FramingError {
    int status = 400;
    QByteArray code;
    QString message;
    QByteArray headers = {}; // more response header lines, each ending in CRLF
};

enum class BodyFraming { None, Length, Chunked };

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct RequestHead {
    QByteArray method;
    QByteArray target; // origin-form: starts with '/'
    int minorVersion = 1;
    HeaderList headers; // names as sent, values without surrounding whitespace
    BodyFraming bodyFraming = BodyFraming::None;
    qint64 contentLength = 0;
    bool keepAlive = true;
    bool webSocketUpgrade = false; // Upgrade: websocket with Connection: upgrade
    qsizetype headLength = 0;      // bytes up to and including the blank line

    // The first value of a header, by name ignoring case; empty if absent.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    // The path part of the target, without query.
    [[nodiscard]] QByteArrayView path() const;
};

struct NeedMoreData {};

using HeadResult = std::variant<NeedMoreData, RequestHead, FramingError>;

// Looks at the bytes buffered so far for one request head. NeedMoreData while the head is
// incomplete and within the limits; an error as soon as the bytes already rule the request out
// (a bad request line is refused before its headers arrive).
[[nodiscard]] HeadResult parseRequestHead(QByteArrayView buffered, const FramingLimits &limits);

// Decodes a chunked body (RFC 9112 §7.1) as it arrives, within a byte limit. Trailers are read
// and dropped.
class ChunkedBody {
public:
    explicit ChunkedBody(qint64 maxBodyBytes)
        : m_maxBodyBytes(maxBodyBytes) {}

    // Consumes what it can of input; returns how many bytes it took. Stops at the end of the
    // body (done()) or at an error; bytes after the body belong to the next request.
    qsizetype feed(QByteArrayView input);

    [[nodiscard]] bool done() const { return m_state == State::Done; }
    [[nodiscard]] const std::optional<FramingError> &error() const { return m_error; }
    [[nodiscard]] const QByteArray &body() const { return m_body; }
    // The body decoded since the last call, for a body passed on as it arrives.
    [[nodiscard]] QByteArray takeBody();

private:
    enum class State { Size, Data, DataEnd, Trailer, Done, Failed };
    void fail(int status, QByteArrayView code, const QString &message);

    qint64 m_maxBodyBytes;
    State m_state = State::Size;
    QByteArray m_line; // the size or trailer line read so far
    qint64 m_chunkLeft = 0;
    qsizetype m_trailerBytes = 0;
    qint64 m_decodedBytes = 0; // every chunk size announced so far
    QByteArray m_body;
    std::optional<FramingError> m_error;
};

// The encoded query of a request target, '+' read as a space (as browsers' URLSearchParams and
// HTML forms write it; a plus itself comes as %2B).
[[nodiscard]] QUrlQuery formQuery(QByteArrayView encodedQuery);

// The request as Qt's server is given it: HTTP/1.1, the client's headers minus those that frame
// the body or the connection, and an exact Content-Length.
[[nodiscard]] QByteArray serializeForBackend(const RequestHead &head, const QByteArray &body);

struct ResponseHead {
    int status = 0;
    qsizetype headLength = 0;
    qint64 contentLength = 0;
};

// A response head of Qt's server (always with Content-Length), or nullopt while incomplete.
// A response without a usable Content-Length is an error (std::nullopt with malformed set).
[[nodiscard]] std::optional<ResponseHead> parseResponseHead(QByteArrayView buffered,
                                                            bool *malformed);

// A response of Qt's server made ready for the client: an error status without a body gets the
// JSON error body of CONTRACT §2 (Qt answers unknown routes with an empty 404), and
// "Connection: close" is added when the connection ends after it.
[[nodiscard]] QByteArray finishResponse(QByteArrayView response, const ResponseHead &head,
                                        bool closeAfter);

// The head of a response the front writes itself (streamed responses), with Content-Length and,
// when the connection ends after it, "Connection: close". headers: more lines, each ending in CRLF.
[[nodiscard]] QByteArray responseHead(int status, const QByteArray &headers, qint64 contentLength,
                                      bool closeAfter);

// A complete response the front writes itself: the JSON error body of CONTRACT §2, with
// "Connection: close" (a framing error always ends the connection).
[[nodiscard]] QByteArray errorResponse(const FramingError &error);

} // namespace neonchat::server::http
