// SPDX-License-Identifier: MIT
#include "uploads.h"

#include "httpexchange.h"
#include "protocol/codec.h"
#include "requestauth.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

constexpr auto kUploadsPath = "/api/v1/uploads"_L1;
constexpr auto kUploadsPrefix = "/api/v1/uploads/"_L1;

// Expired uploads are looked for this often: a quarter of the expiry, within these bounds.
constexpr auto kMinCleanupInterval = std::chrono::seconds(1);
constexpr auto kMaxCleanupInterval = std::chrono::minutes(15);

// What one request for a file shares, whichever way it goes: who asked, the answer's headers,
// its log line and its metrics sample.
class FileExchange : public StreamedExchange {
public:
    FileExchange(FrontConnection &connection, Uploads &uploads, const http::RequestHead &head,
                 QString route)
        : StreamedExchange(connection)
        , m_uploads(uploads)
        , m_head(head)
        , m_route(std::move(route)) {
        m_took.start();
        const QByteArray offered = head.header("x-request-id");
        const bool usable = !offered.isEmpty() && offered.size() <= 128 &&
                            std::all_of(offered.begin(), offered.end(),
                                        [](char c) { return c > 0x20 && c < 0x7f; });
        m_requestId = usable ? offered : QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    }

protected:
    // The account, or nullopt after answering why not.
    std::optional<TokenClaims> admitAccount() {
        auto admitted =
            admitRequest(m_uploads.config(), m_uploads.tokens(),
                         RequestCredentials{connection().peer(), m_head.header("origin"),
                                            m_head.header("authorization")},
                         Access::Account, QDateTime::currentSecsSinceEpoch());
        if (auto *refusal = std::get_if<Refusal>(&admitted)) {
            m_headers = refusal->headers;
            fail(refusal->status, refusal->code, refusal->message);
            return std::nullopt;
        }
        auto &admission = std::get<Admission>(admitted);
        m_headers = admission.headers;
        return admission.account;
    }

    void fail(int status, QLatin1StringView code, const QString &message) {
        const QByteArray body =
            QJsonDocument(QJsonObject{
                              {"error"_L1, QJsonObject{{"code"_L1, code}, {"message"_L1, message}}},
                          })
                .toJson(QJsonDocument::Compact);
        respond(status, {{"Content-Type"_ba, "application/json"_ba}}, body);
    }

    void fail(const Failure &failure) {
        switch (failure.kind) {
        case FailureKind::Invalid:
            fail(400, "invalid_request"_L1, failure.message);
            return;
        case FailureKind::NotFound:
            fail(404, "not_found"_L1, failure.message);
            return;
        case FailureKind::Forbidden:
            fail(403, "forbidden"_L1, failure.message);
            return;
        case FailureKind::Conflict:
            fail(409, failure.code.isEmpty() ? "conflict"_L1 : failure.code, failure.message);
            return;
        case FailureKind::Internal:
            break;
        }
        qCWarning(lcHttp).noquote() << u"%1 %2 failed: %3 (request_id=%4)"_s.arg(
            QString::fromLatin1(m_head.method), m_route, failure.message,
            QString::fromLatin1(m_requestId));
        fail(500, "internal"_L1, u"the server could not complete the request; try again"_s);
    }

    // A whole response with a body.
    void respond(int status, const ResponseHeaders &headers, const QByteArray &body) {
        startResponse(status, headers, body.size());
        connection().writeResponse(body);
        endResponse();
    }

    // The head of a response whose body of contentLength bytes follows by writeResponse.
    void startResponse(int status, const ResponseHeaders &headers, qint64 contentLength) {
        m_status = status;
        QByteArray lines = "X-Request-Id: "_ba + m_requestId + "\r\n"_ba;
        for (const ResponseHeaders *list : {&std::as_const(m_headers), &headers}) {
            for (const auto &[name, value] : *list) {
                lines += name + ": "_ba + value + "\r\n"_ba;
            }
        }
        connection().writeResponse(
            http::responseHead(status, lines, contentLength, connection().closesAfterResponse()));
    }

    void endResponse() {
        const auto took = std::chrono::nanoseconds(m_took.nsecsElapsed());
        m_uploads.metrics().httpRequest(m_head.method, m_route, m_status, took);
        qCInfo(lcHttp).noquote() << u"%1 %2 %3 (request_id=%4, %5 ms)"_s.arg(
            QString::fromLatin1(m_head.method), QString::fromUtf8(m_head.path()),
            QString::number(m_status), QString::fromLatin1(m_requestId),
            QString::number(took.count() / 1e6, 'f', 2));
        m_answered = true;
        connection().responseComplete();
    }

    [[nodiscard]] bool answered() const { return m_answered; }
    [[nodiscard]] const http::RequestHead &head() const { return m_head; }
    [[nodiscard]] Uploads &uploads() const { return m_uploads; }

private:
    Uploads &m_uploads;
    http::RequestHead m_head;
    QString m_route;
    QByteArray m_requestId;
    ResponseHeaders m_headers; // CORS, from the admission
    QElapsedTimer m_took;
    int m_status = 0;
    bool m_answered = false;
};

// POST /api/v1/uploads?filename=NAME: the body is stored chunk by chunk as it arrives; the next
// piece is read from the client only once the previous chunk is stored.
class UploadReceiver final : public FileExchange {
public:
    UploadReceiver(FrontConnection &connection, Uploads &uploads, const http::RequestHead &head)
        : FileExchange(connection, uploads, head, QString(kUploadsPath)) {}

    ~UploadReceiver() override {
        if (m_uploadId && !m_finished) {
            // The client left or the request failed: what was stored of it goes.
            Uploads *owner = &uploads();
            owner->store().discardUpload(*m_uploadId, owner, [owner](const Outcome<Done> &done) {
                if (succeeded(done)) {
                    owner->metrics().uploadDiscarded();
                } else {
                    qCWarning(lcHttp).noquote() << u"removing an upload cut short failed: %1"_s.arg(
                        std::get<Failure>(done).message);
                }
            });
        }
    }

    void start() override {
        const std::optional<TokenClaims> account = admitAccount();
        if (!account) {
            return;
        }
        const QByteArray target = head().target;
        const qsizetype queryStart = target.indexOf('?');
        const QUrlQuery query = http::formQuery(
            queryStart < 0 ? QByteArrayView() : QByteArrayView(target).sliced(queryStart + 1));
        const QString filename = query.queryItemValue(u"filename"_s, QUrl::FullyDecoded);
        if (const auto problem = protocol::uploadFilenameProblem(filename)) {
            fail(400, "invalid_request"_L1, u"filename: %1"_s.arg(*problem));
            return;
        }
        const std::optional<QString> contentType = uploadContentType(head().header("content-type"));
        if (!contentType) {
            fail(400, "invalid_request"_L1,
                 u"Content-Type must be a media type such as image/png"_s);
            return;
        }
        const qint64 maxBytes = uploads().config().limits.uploadMaxBytes;
        if (head().bodyFraming == http::BodyFraming::Length && head().contentLength > maxBytes) {
            fail(413, "too_large"_L1, u"a file may hold at most %1 bytes"_s.arg(maxBytes));
            return;
        }
        if (head().bodyFraming == http::BodyFraming::None ||
            (head().bodyFraming == http::BodyFraming::Length && head().contentLength == 0)) {
            fail(400, "invalid_request"_L1, u"the file is empty"_s);
            return;
        }
        uploads().store().beginUpload(
            NewUpload{account->userId, filename, *contentType, QDateTime::currentMSecsSinceEpoch()},
            this, [this](const Outcome<QString> &begun) {
                if (const auto *failure = std::get_if<Failure>(&begun)) {
                    fail(*failure);
                    return;
                }
                m_uploadId = std::get<QString>(begun);
                pump();
            });
    }

    void receive(const QByteArray &piece, bool last) override {
        if (answered()) {
            return;
        }
        m_size += piece.size();
        if (m_size > uploads().config().limits.uploadMaxBytes) {
            fail(413, "too_large"_L1,
                 u"a file may hold at most %1 bytes"_s.arg(
                     uploads().config().limits.uploadMaxBytes));
            return;
        }
        m_buffer.append(piece);
        m_bodyComplete = last;
        pump();
    }

private:
    // Stores a full chunk, finishes a complete body, or asks for more: one step at a time.
    void pump() {
        if (answered() || m_storing || !m_uploadId) {
            return;
        }
        if (m_buffer.size() >= kUploadChunkBytes || (m_bodyComplete && !m_buffer.isEmpty())) {
            const qsizetype n = std::min<qsizetype>(m_buffer.size(), kUploadChunkBytes);
            const QByteArray chunk = m_buffer.first(n);
            m_buffer = m_buffer.sliced(n);
            m_storing = true;
            uploads().store().storeUploadChunk(
                *m_uploadId, m_chunks++, chunk, this,
                [this, bytes = chunk.size()](const Outcome<Done> &stored) {
                    m_storing = false;
                    if (!succeeded(stored)) {
                        fail(std::get<Failure>(stored));
                        return;
                    }
                    uploads().metrics().uploadBytesStored(bytes);
                    pump();
                });
            return;
        }
        if (!m_bodyComplete) {
            connection().takeMore();
            return;
        }
        if (m_size == 0) {
            fail(400, "invalid_request"_L1, u"the file is empty"_s);
            return;
        }
        m_storing = true;
        uploads().store().finishUpload(
            *m_uploadId, m_size, this, [this](const Outcome<protocol::Upload> &finished) {
                m_storing = false;
                if (const auto *failure = std::get_if<Failure>(&finished)) {
                    fail(*failure);
                    return;
                }
                m_finished = true;
                uploads().metrics().uploadStored();
                const QByteArray body =
                    QJsonDocument(protocol::uploadToJson(std::get<protocol::Upload>(finished)))
                        .toJson(QJsonDocument::Compact);
                respond(201, {{"Content-Type"_ba, "application/json"_ba}}, body);
            });
    }

    std::optional<QString> m_uploadId;
    QByteArray m_buffer; // received, not stored yet: less than a chunk and a piece
    qint64 m_size = 0;
    int m_chunks = 0;
    bool m_bodyComplete = false;
    bool m_storing = false;
    bool m_finished = false;
};

// GET /api/v1/uploads/{id}: the file, read chunk by chunk as the client takes it.
class DownloadSender final : public FileExchange {
public:
    DownloadSender(FrontConnection &connection, Uploads &uploads, const http::RequestHead &head,
                   QString uploadId)
        : FileExchange(connection, uploads, head, u"/api/v1/uploads/{id}"_s)
        , m_uploadId(std::move(uploadId)) {}

    void start() override {
        const std::optional<TokenClaims> account = admitAccount();
        if (!account) {
            return;
        }
        if (!protocol::isUuid(m_uploadId)) {
            fail(404, "not_found"_L1, u"no such file"_s);
            return;
        }
        uploads().store().findDownload(
            account->userId, m_uploadId, this, [this](const Outcome<protocol::Upload> &found) {
                if (const auto *failure = std::get_if<Failure>(&found)) {
                    fail(*failure);
                    return;
                }
                const auto &upload = std::get<protocol::Upload>(found);
                m_size = upload.size;
                startResponse(200,
                              {{"Content-Type"_ba, servedContentType(upload.contentType)},
                               {"Content-Disposition"_ba, attachmentDisposition(upload.filename)},
                               {"X-Content-Type-Options"_ba, "nosniff"_ba},
                               {"Content-Security-Policy"_ba, "default-src 'none'; sandbox"_ba},
                               {"Cache-Control"_ba, "private, max-age=31536000, immutable"_ba}},
                              m_size);
                m_started = true;
                pump();
            });
    }

    void receive(const QByteArray &, bool) override {} // a GET has no body to read
    void writable() override { pump(); }

private:
    void pump() {
        if (!m_started || m_reading || answered()) {
            return;
        }
        if (m_sent >= m_size) {
            endResponse();
            return;
        }
        if (!connection().hasRoomToWrite()) {
            return; // writable() comes when the client has read
        }
        m_reading = true;
        uploads().store().readUploadChunk(
            m_uploadId, m_nextChunk++, this, [this](const Outcome<QByteArray> &read) {
                m_reading = false;
                if (!succeeded(read)) {
                    // The head is out: the client can only be told by a response cut short.
                    qCWarning(lcHttp).noquote() << u"a download of %1 stopped: %2"_s.arg(
                        m_uploadId, std::get<Failure>(read).message);
                    connection().deleteLater();
                    return;
                }
                const QByteArray &bytes = std::get<QByteArray>(read);
                const QByteArray part =
                    bytes.first(std::min<qint64>(bytes.size(), m_size - m_sent));
                m_sent += part.size();
                connection().writeResponse(part);
                if (bytes.isEmpty()) {
                    connection().deleteLater();
                    return;
                }
                pump();
            });
    }

    QString m_uploadId;
    qint64 m_size = 0;
    qint64 m_sent = 0;
    int m_nextChunk = 0;
    bool m_started = false;
    bool m_reading = false;
};

} // namespace

Uploads::Uploads(const Config &config, ChatStore &store, const TokenSigner &tokens,
                 Metrics &metrics, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_store(store)
    , m_tokens(tokens)
    , m_metrics(metrics) {
    const auto interval = std::clamp<std::chrono::milliseconds>(
        m_config.uploadExpiry / 4, kMinCleanupInterval, kMaxCleanupInterval);
    m_cleanup.setInterval(interval);
    connect(&m_cleanup, &QTimer::timeout, this, &Uploads::removeExpired);
    m_cleanup.start();
}

StreamedExchange *Uploads::route(FrontConnection &connection, const http::RequestHead &head) {
    const QByteArrayView path = head.path();
    if (head.method == "POST" && path == QByteArrayView(kUploadsPath)) {
        return new UploadReceiver(connection, *this, head);
    }
    if (head.method == "GET" && path.startsWith(QByteArrayView(kUploadsPrefix)) &&
        path.size() > kUploadsPrefix.size()) {
        const QString id =
            QUrl::fromPercentEncoding(path.sliced(kUploadsPrefix.size()).toByteArray());
        return new DownloadSender(connection, *this, head, id);
    }
    return nullptr;
}

void Uploads::removeExpired() {
    const qint64 before = QDateTime::currentMSecsSinceEpoch() - m_config.uploadExpiry.count();
    m_store.removeStaleUploads(before, this, [this](const Outcome<qint64> &removed) {
        if (const auto *failure = std::get_if<Failure>(&removed)) {
            qCWarning(lcHttp).noquote()
                << u"removing expired uploads failed: %1"_s.arg(failure->message);
        } else if (const qint64 count = std::get<qint64>(removed); count > 0) {
            m_metrics.uploadsExpired(count);
            qCInfo(lcHttp).noquote()
                << u"removed %1 upload(s) never attached to a message"_s.arg(count);
        }
    });
}

QByteArray servedContentType(const QString &storedType) {
    static const QStringList kRunnable = {
        u"text/html"_s,       u"application/xhtml+xml"_s,   u"image/svg+xml"_s,
        u"text/xml"_s,        u"application/xml"_s,         u"text/xsl"_s,
        u"text/javascript"_s, u"application/javascript"_s,  u"application/ecmascript"_s,
        u"text/ecmascript"_s, u"application/x-javascript"_s};
    if (kRunnable.contains(storedType) || storedType.endsWith("+xml"_L1) ||
        storedType.contains("javascript"_L1) || storedType.contains("html"_L1)) {
        return "application/octet-stream"_ba;
    }
    return storedType.toLatin1();
}

QByteArray attachmentDisposition(const QString &filename) {
    QByteArray fallback;
    for (const QChar c : filename) {
        const char16_t u = c.unicode();
        fallback.append(u >= 0x20 && u < 0x7f && u != u'"' && u != u'\\' && u != u'%'
                            ? static_cast<char>(u)
                            : '_');
    }
    return "attachment; filename=\""_ba + fallback + "\"; filename*=UTF-8''"_ba +
           QUrl::toPercentEncoding(filename, "!#$&+^`|"_ba);
}

std::optional<QString> uploadContentType(const QByteArray &header) {
    const QString mediaType =
        QString::fromLatin1(header.split(';').constFirst().trimmed()).toLower();
    if (mediaType.isEmpty()) {
        return u"application/octet-stream"_s;
    }
    static const QRegularExpression kMediaType(
        u"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$"_s);
    if (!kMediaType.match(mediaType).hasMatch()) {
        return std::nullopt;
    }
    return mediaType;
}

} // namespace neonchat::server
