// SPDX-License-Identifier: MIT
// CONTRACT §9 files over HTTP: POST /api/v1/uploads and GET /api/v1/uploads/{id}. The front
// streams both (httpfront.h), and storage keeps the bytes in chunks in the database, so an upload
// or a download holds at most a chunk or two in memory however large the file, and every instance
// of a cluster serves every file. Uploads never attached to a message are removed once they expire.
#pragma once

#include "auth/tokens.h"
#include "config/config.h"
#include "httpfront.h"
#include "obs/metrics.h"
#include "store/chatstore.h"

#include <QObject>
#include <QTimer>

namespace neonchat::server {

class Uploads : public QObject {
    Q_OBJECT
public:
    // config is the server's live configuration (limits, address lists and tokens follow it).
    Uploads(const Config &config, ChatStore &store, const TokenSigner &tokens, Metrics &metrics,
            QObject *parent = nullptr);

    // The front's streamed routes: the exchange for an upload or a download, else nullptr.
    [[nodiscard]] StreamedExchange *route(FrontConnection &connection,
                                          const http::RequestHead &head);

    // Removes the expired uploads now; the timer does it periodically from construction on.
    void removeExpired();

    [[nodiscard]] const Config &config() const { return m_config; }
    [[nodiscard]] ChatStore &store() const { return m_store; }
    [[nodiscard]] const TokenSigner &tokens() const { return m_tokens; }
    [[nodiscard]] Metrics &metrics() const { return m_metrics; }

private:
    const Config &m_config;
    ChatStore &m_store;
    const TokenSigner &m_tokens;
    Metrics &m_metrics;
    QTimer m_cleanup;
};

// The Content-Type a download is served with: the stored one, except application/octet-stream
// for any type a browser would run or render as a page (HTML, SVG, XML, JavaScript).
[[nodiscard]] QByteArray servedContentType(const QString &storedType);
// Content-Disposition for a download: an ASCII fallback name and the exact name in RFC 8187 form.
[[nodiscard]] QByteArray attachmentDisposition(const QString &filename);
// The media type of a request's Content-Type header, lower-cased without parameters;
// application/octet-stream when absent; nullopt when it is not a media type.
[[nodiscard]] std::optional<QString> uploadContentType(const QByteArray &header);

} // namespace neonchat::server
