// SPDX-License-Identifier: MIT
#include "httpframing.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace neonchat::server::http {

namespace {

constexpr QByteArrayView kCrlf = "\r\n";
constexpr QByteArrayView kHeadEnd = "\r\n\r\n";
// A chunk-size line with extensions, and all trailers together, are small in practice.
constexpr qsizetype kMaxChunkLineBytes = 1024;
constexpr qsizetype kMaxTrailerBytes = 8 * 1024;

FramingError badRequest(const QString &message) {
    return FramingError{400, "bad_request"_ba, message};
}

bool isTokenChar(char c) {
    static constexpr QByteArrayView kSpecials = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kSpecials.contains(c);
}

bool isToken(QByteArrayView text) {
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

// Field values: visible characters, spaces and tabs, and obs-text (bytes of 0x80 and above).
bool isFieldValue(QByteArrayView text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

bool isTargetChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
}

QByteArrayView trimmedView(QByteArrayView text) {
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t')) {
        text = text.sliced(1);
    }
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t')) {
        text.chop(1);
    }
    return text;
}

// A decimal Content-Length: digits only, no sign, no overflow.
std::optional<qint64> parseLength(QByteArrayView text) {
    if (text.isEmpty() || text.size() > 18) {
        return std::nullopt;
    }
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

// Whether a comma-separated header value lists token (ignoring case).
bool listsToken(QByteArrayView value, QByteArrayView token) {
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0) {
            end = value.size();
        }
        if (trimmedView(value.sliced(start, end - start)).compare(token, Qt::CaseInsensitive) ==
            0) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

std::optional<FramingError> checkRequestLine(QByteArrayView line, const FramingLimits &limits,
                                             RequestHead &head) {
    static constexpr std::array kMethods{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
        return badRequest(u"the request line is not METHOD TARGET HTTP-VERSION"_s);
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method)) {
        return badRequest(u"the method is not a token"_s);
    }
    if (version == "HTTP/1.1") {
        head.minorVersion = 1;
    } else if (version == "HTTP/1.0") {
        head.minorVersion = 0;
    } else if (version.startsWith("HTTP/") && version.size() == 8) {
        return FramingError{505, "http_version_not_supported"_ba,
                            u"only HTTP/1.0 and HTTP/1.1 are served"_s};
    } else {
        return badRequest(u"the request line is not METHOD TARGET HTTP-VERSION"_s);
    }
    if (target.size() > limits.maxTargetBytes) {
        return FramingError{
            414, "uri_too_long"_ba,
            u"the request target is longer than %1 bytes"_s.arg(limits.maxTargetBytes)};
    }
    if (target.isEmpty() || target.front() != '/' ||
        !std::all_of(target.begin(), target.end(), isTargetChar)) {
        return badRequest(u"the request target must be a path starting with /"_s);
    }
    if (std::find_if(kMethods.begin(), kMethods.end(), [&](const char *known) {
            return method == QByteArrayView(known);
        }) == kMethods.end()) {
        return FramingError{501, "not_implemented"_ba,
                            u"method %1 is not served"_s.arg(QString::fromLatin1(method))};
    }
    head.method = method.toByteArray();
    head.target = target.toByteArray();
    return std::nullopt;
}

std::optional<FramingError> checkHeaders(QByteArrayView block, const FramingLimits &limits,
                                         RequestHead &head) {
    qsizetype position = 0;
    while (position < block.size()) {
        qsizetype end = block.indexOf(kCrlf, position);
        if (end < 0) {
            end = block.size();
        }
        const QByteArrayView line = block.sliced(position, end - position);
        position = end + 2;
        if (line.contains('\n') || line.contains('\r')) {
            return badRequest(u"a header line ends without CRLF"_s);
        }
        if (line.front() == ' ' || line.front() == '\t') {
            return badRequest(u"folded header lines are not accepted"_s);
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            return badRequest(u"a header line is not NAME: VALUE"_s);
        }
        const QByteArrayView value = trimmedView(line.sliced(colon + 1));
        if (!isFieldValue(value)) {
            return badRequest(u"a header value holds control characters"_s);
        }
        if (head.headers.size() >= limits.maxHeaderCount) {
            return FramingError{431, "request_header_fields_too_large"_ba,
                                u"more than %1 header fields"_s.arg(limits.maxHeaderCount)};
        }
        head.headers.append({line.first(colon).toByteArray(), value.toByteArray()});
    }
    return std::nullopt;
}

std::optional<FramingError> decideFraming(RequestHead &head) {
    int lengths = 0;
    int encodings = 0;
    QByteArrayView length;
    QByteArrayView encoding;
    int hosts = 0;
    for (const auto &[name, value] : head.headers) {
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            ++lengths;
            length = value;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            ++encodings;
            encoding = value;
        } else if (name.compare("host", Qt::CaseInsensitive) == 0) {
            ++hosts;
        }
    }
    if (hosts > 1 || (head.minorVersion == 1 && hosts == 0)) {
        return badRequest(u"a request needs exactly one Host header (HTTP/1.0: at most one)"_s);
    }
    if (lengths > 1 || encodings > 1) {
        return badRequest(u"Content-Length or Transfer-Encoding is repeated"_s);
    }
    if (lengths == 1 && encodings == 1) {
        return badRequest(u"Content-Length and Transfer-Encoding together are ambiguous"_s);
    }
    if (encodings == 1) {
        if (head.minorVersion == 0) {
            return badRequest(u"Transfer-Encoding is not HTTP/1.0"_s);
        }
        if (encoding.compare("chunked", Qt::CaseInsensitive) != 0) {
            return FramingError{501, "not_implemented"_ba,
                                u"only the chunked transfer coding is accepted"_s};
        }
        head.bodyFraming = BodyFraming::Chunked;
    } else if (lengths == 1) {
        const std::optional<qint64> parsed = parseLength(length);
        if (!parsed) {
            return badRequest(u"Content-Length is not a decimal number of bytes"_s);
        }
        head.contentLength = *parsed;
        head.bodyFraming = *parsed > 0 ? BodyFraming::Length : BodyFraming::None;
    }
    const QByteArray connection = head.header("connection");
    head.keepAlive = head.minorVersion == 1 ? !listsToken(connection, "close")
                                            : listsToken(connection, "keep-alive");
    head.webSocketUpgrade =
        listsToken(connection, "upgrade") && listsToken(head.header("upgrade"), "websocket");
    return std::nullopt;
}

} // namespace

QByteArray RequestHead::header(QByteArrayView name) const {
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QByteArrayView RequestHead::path() const {
    const qsizetype query = target.indexOf('?');
    return query < 0 ? QByteArrayView(target) : QByteArrayView(target).first(query);
}

HeadResult parseRequestHead(QByteArrayView buffered, const FramingLimits &limits) {
    // A few blank lines before a request are tolerated (RFC 9112 §2.2).
    constexpr qsizetype kMaxSkipped = 8;
    qsizetype skipped = 0;
    while (skipped < kMaxSkipped && buffered.sliced(skipped).startsWith(kCrlf)) {
        skipped += 2;
    }
    const QByteArrayView rest = buffered.sliced(skipped);
    const qsizetype lineEnd = rest.indexOf(kCrlf);
    const qsizetype window = std::min<qsizetype>(rest.size(), limits.maxHeadBytes);
    if (lineEnd < 0) {
        if (rest.first(window).contains('\n')) {
            return badRequest(u"the request line ends without CRLF"_s);
        }
        if (rest.size() > limits.maxTargetBytes + 32) {
            return FramingError{
                414, "uri_too_long"_ba,
                u"the request line is longer than %1 bytes"_s.arg(limits.maxTargetBytes + 32)};
        }
        return NeedMoreData{};
    }
    RequestHead head;
    const QByteArrayView line = rest.first(lineEnd);
    if (line.contains('\n') || line.contains('\r')) {
        return badRequest(u"the request line ends without CRLF"_s);
    }
    if (auto problem = checkRequestLine(line, limits, head)) {
        return *problem;
    }
    // The head ends with the first empty line: CRLF CRLF, or CRLF at once after the request line.
    qsizetype end =
        rest.sliced(lineEnd).startsWith(kHeadEnd) ? lineEnd : rest.indexOf(kHeadEnd, lineEnd);
    if (end < 0 || end + 4 > limits.maxHeadBytes) {
        if (rest.size() >= limits.maxHeadBytes || (end >= 0 && end + 4 > limits.maxHeadBytes)) {
            return FramingError{
                431, "request_header_fields_too_large"_ba,
                u"the request head is larger than %1 bytes"_s.arg(limits.maxHeadBytes)};
        }
        return NeedMoreData{};
    }
    const QByteArrayView block =
        end > lineEnd ? rest.sliced(lineEnd + 2, end - lineEnd - 2) : QByteArrayView();
    if (auto problem = checkHeaders(block, limits, head)) {
        return *problem;
    }
    if (auto problem = decideFraming(head)) {
        return *problem;
    }
    if (head.bodyFraming == BodyFraming::Length && head.contentLength > limits.maxBodyBytes) {
        return FramingError{413, "too_large"_ba,
                            u"the body is larger than %1 bytes"_s.arg(limits.maxBodyBytes)};
    }
    head.headLength = skipped + end + 4;
    return head;
}

void ChunkedBody::fail(int status, QByteArrayView code, const QString &message) {
    m_state = State::Failed;
    m_error = FramingError{status, code.toByteArray(), message};
}

qsizetype ChunkedBody::feed(QByteArrayView input) {
    qsizetype taken = 0;
    while (taken < input.size() && m_state != State::Done && m_state != State::Failed) {
        const QByteArrayView rest = input.sliced(taken);
        if (m_state == State::Data) {
            const qsizetype n = static_cast<qsizetype>(std::min<qint64>(m_chunkLeft, rest.size()));
            m_body.append(rest.first(n));
            m_chunkLeft -= n;
            taken += n;
            if (m_chunkLeft == 0) {
                m_state = State::DataEnd;
            }
            continue;
        }
        // Size, DataEnd and Trailer read lines.
        const qsizetype newline = rest.indexOf('\n');
        const qsizetype n = newline < 0 ? rest.size() : newline + 1;
        m_line.append(rest.first(n));
        taken += n;
        const qsizetype lineLimit =
            m_state == State::Trailer ? kMaxTrailerBytes - m_trailerBytes : kMaxChunkLineBytes;
        if (m_line.size() > lineLimit) {
            fail(400, "bad_request", u"a chunk line or the trailers are too long"_s);
            break;
        }
        if (newline < 0) {
            break;
        }
        if (!m_line.endsWith("\r\n")) {
            fail(400, "bad_request", u"a chunk line ends without CRLF"_s);
            break;
        }
        const QByteArrayView line = QByteArrayView(m_line).chopped(2);
        if (m_state == State::DataEnd) {
            if (!line.isEmpty()) {
                fail(400, "bad_request", u"chunk data is longer than its size"_s);
                break;
            }
            m_state = State::Size;
        } else if (m_state == State::Trailer) {
            m_trailerBytes += m_line.size();
            if (line.isEmpty()) {
                m_state = State::Done;
            }
        } else {
            const qsizetype extension = line.indexOf(';');
            const QByteArrayView digits = trimmedView(extension < 0 ? line : line.first(extension));
            bool ok = !digits.isEmpty() && digits.size() <= 15 &&
                      std::all_of(digits.begin(), digits.end(), [](char c) {
                          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                 (c >= 'A' && c <= 'F');
                      });
            const qint64 size = ok ? digits.toLongLong(&ok, 16) : 0;
            if (!ok) {
                fail(400, "bad_request", u"a chunk size is not a hexadecimal number"_s);
                break;
            }
            if (m_decodedBytes + size > m_maxBodyBytes) {
                fail(413, "too_large", u"the body is larger than %1 bytes"_s.arg(m_maxBodyBytes));
                break;
            }
            m_chunkLeft = size;
            m_decodedBytes += size;
            m_state = size == 0 ? State::Trailer : State::Data;
        }
        m_line.clear();
    }
    return taken;
}

QByteArray ChunkedBody::takeBody() {
    return std::exchange(m_body, QByteArray());
}

QUrlQuery formQuery(QByteArrayView encodedQuery) {
    return QUrlQuery(QString::fromUtf8(encodedQuery).replace(u'+', u"%20"_s));
}

QByteArray serializeForBackend(const RequestHead &head, const QByteArray &body) {
    // Hop-by-hop and framing headers are the front's business; the rest goes on as sent.
    static constexpr std::array kDropped{"content-length", "transfer-encoding", "connection",
                                         "keep-alive",     "upgrade",           "te",
                                         "trailer",        "proxy-connection",  "expect"};
    QByteArray out;
    out.reserve(head.headLength + body.size() + 32);
    out.append(head.method).append(' ').append(head.target).append(" HTTP/1.1\r\n");
    const bool hasHost = std::any_of(head.headers.begin(), head.headers.end(), [](const auto &h) {
        return h.first.compare("host", Qt::CaseInsensitive) == 0;
    });
    if (!hasHost) {
        out.append("Host: \r\n"); // HTTP/1.1 wants one; an HTTP/1.0 client need not send it
    }
    for (const auto &header : head.headers) {
        const bool dropped = std::any_of(kDropped.begin(), kDropped.end(), [&](const char *d) {
            return header.first.compare(QByteArrayView(d), Qt::CaseInsensitive) == 0;
        });
        if (!dropped) {
            out.append(header.first).append(": ").append(header.second).append(kCrlf);
        }
    }
    out.append("Content-Length: ").append(QByteArray::number(body.size())).append("\r\n\r\n");
    out.append(body);
    return out;
}

std::optional<ResponseHead> parseResponseHead(QByteArrayView buffered, bool *malformed) {
    *malformed = false;
    const qsizetype end = buffered.indexOf(kHeadEnd);
    if (end < 0) {
        return std::nullopt;
    }
    const QByteArrayView head = buffered.first(end);
    ResponseHead result;
    result.headLength = end + 4;
    // "HTTP/1.1 200 OK"
    if (!head.startsWith("HTTP/1.1 ") || head.size() < 12) {
        *malformed = true;
        return std::nullopt;
    }
    bool ok = false;
    result.status = head.sliced(9, 3).toInt(&ok);
    bool haveLength = false;
    qsizetype position = head.indexOf(kCrlf);
    while (ok && position >= 0) {
        const qsizetype next = head.indexOf(kCrlf, position + 2);
        const QByteArrayView line =
            head.sliced(position + 2, (next < 0 ? end : next) - position - 2);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).compare("content-length", Qt::CaseInsensitive) == 0) {
            const std::optional<qint64> length = parseLength(trimmedView(line.sliced(colon + 1)));
            ok = length.has_value();
            result.contentLength = length.value_or(0);
            haveLength = true;
        }
        position = next;
    }
    if (!ok || !haveLength) {
        *malformed = true;
        return std::nullopt;
    }
    return result;
}

namespace {

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK"_ba;
    case 201:
        return "Created"_ba;
    case 400:
        return "Bad Request"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 403:
        return "Forbidden"_ba;
    case 404:
        return "Not Found"_ba;
    case 408:
        return "Request Timeout"_ba;
    case 413:
        return "Payload Too Large"_ba;
    case 414:
        return "URI Too Long"_ba;
    case 426:
        return "Upgrade Required"_ba;
    case 429:
        return "Too Many Requests"_ba;
    case 431:
        return "Request Header Fields Too Large"_ba;
    case 500:
        return "Internal Server Error"_ba;
    case 501:
        return "Not Implemented"_ba;
    case 502:
        return "Bad Gateway"_ba;
    case 503:
        return "Service Unavailable"_ba;
    case 504:
        return "Gateway Timeout"_ba;
    case 505:
        return "HTTP Version Not Supported"_ba;
    default:
        return "Error"_ba;
    }
}

QByteArray errorBody(QByteArrayView code, const QString &message) {
    return QJsonDocument(
               QJsonObject{{"error"_L1, QJsonObject{{"code"_L1, QString::fromLatin1(code)},
                                                    {"message"_L1, message}}}})
        .toJson(QJsonDocument::Compact);
}

// What an empty error response of Qt's server means, for its JSON body.
std::pair<QByteArray, QString> defaultError(int status) {
    switch (status) {
    case 404:
        return {"not_found"_ba, u"no such route"_s};
    case 405:
        return {"method_not_allowed"_ba, u"this route does not take that method"_s};
    default:
        return {"error"_ba, QString::fromLatin1(reasonPhrase(status))};
    }
}

} // namespace

QByteArray finishResponse(QByteArrayView response, const ResponseHead &head, bool closeAfter) {
    const QByteArrayView statusLineAndHeaders = response.first(head.headLength - 2);
    if (head.status >= 400 && head.contentLength == 0) {
        const auto [code, message] = defaultError(head.status);
        const QByteArray body = errorBody(code, message);
        QByteArray out;
        const qsizetype lineEnd = response.indexOf(kCrlf);
        out.append(response.first(lineEnd + 2));
        // Qt's empty responses carry only Content-Type and Content-Length; both are replaced.
        for (qsizetype position = lineEnd + 2; position < head.headLength - 2;) {
            const qsizetype next = response.indexOf(kCrlf, position);
            const QByteArrayView line = response.sliced(position, next - position);
            if (!line.startsWith("Content-Type:") && !line.startsWith("Content-Length:")) {
                out.append(line).append(kCrlf);
            }
            position = next + 2;
        }
        out.append("Content-Type: application/json\r\nContent-Length: ")
            .append(QByteArray::number(body.size()))
            .append(kCrlf);
        if (closeAfter) {
            out.append("Connection: close\r\n");
        }
        out.append(kCrlf).append(body);
        return out;
    }
    QByteArray out;
    out.reserve(response.size() + 20);
    out.append(statusLineAndHeaders);
    if (closeAfter) {
        out.append("Connection: close\r\n");
    }
    out.append(kCrlf).append(response.sliced(head.headLength));
    return out;
}

QByteArray responseHead(int status, const QByteArray &headers, qint64 contentLength,
                        bool closeAfter) {
    QByteArray out = "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                     "\r\nContent-Length: "_ba + QByteArray::number(contentLength) + "\r\n"_ba +
                     headers;
    if (closeAfter) {
        out.append("Connection: close\r\n");
    }
    out.append("\r\n");
    return out;
}

QByteArray errorResponse(const FramingError &error) {
    const QByteArray body = errorBody(error.code, error.message);
    QByteArray out = "HTTP/1.1 "_ba + QByteArray::number(error.status) + ' ' +
                     reasonPhrase(error.status) +
                     "\r\nContent-Type: application/json\r\nContent-Length: "_ba +
                     QByteArray::number(body.size()) + "\r\n"_ba + error.headers;
    out.append("Connection: close\r\n\r\n").append(body);
    return out;
}

} // namespace neonchat::server::http
