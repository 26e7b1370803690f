// SPDX-License-Identifier: MIT
// Images sent as files, kept on disk for the timeline to show inline: downloaded once per upload
// into the user's cache directory, where an Image element decodes them off the GUI thread at the
// size it shows (sourceSize), so memory stays bounded however large the file. The cache keeps at
// most kMaxCacheBytes (by default), dropping the least recently used files first.
#pragma once

#include "client/apiclient.h"

#include <QDir>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class PreviewCache : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    // Off for --screenshot: an image shows in the first frame after its file is there.
    Q_PROPERTY(bool decodeInBackground READ decodeInBackground CONSTANT)
public:
    static constexpr qint64 kMaxImageBytes = 10 * 1024 * 1024;
    static constexpr qint64 kMaxCacheBytes = 200 * 1024 * 1024;

    explicit PreviewCache(QObject *parent = nullptr);

    // Where downloads come from; null: nowhere (logged out).
    void setApi(client::ApiClient *api) { m_api = api; }
    // Whether a file of this type and size is shown inline.
    Q_INVOKABLE static bool shows(const QString &contentType, qint64 size);
    // The local file of an upload's image: at once if it is cached, else empty, and ready()
    // follows once it is (nothing follows if it cannot be fetched: the file chip stays).
    Q_INVOKABLE QUrl fileFor(const QString &uploadId);
    // Forgets every image (at logout: they were that account's).
    void clear();
    [[nodiscard]] bool decodeInBackground() const { return m_decodeInBackground; }
    void setDecodeInBackground(bool background) { m_decodeInBackground = background; }
    // Images being fetched now.
    [[nodiscard]] int fetching() const { return static_cast<int>(m_fetching.size()); }
    // Where the files are, and how many bytes of them are kept (checked after each fetch).
    [[nodiscard]] QString directoryPath() const { return m_directory.path(); }
    void setMaxCacheBytes(qint64 bytes) { m_maxCacheBytes = bytes; }

Q_SIGNALS:
    void ready(const QString &uploadId, const QUrl &file);
    // A fetch ended (fetched or not).
    void fetchEnded();

private:
    QCoro::Task<> fetch(QString uploadId);
    // Drops the least recently used files until the cache is within its bound.
    void prune();

    QPointer<client::ApiClient> m_api;
    QDir m_directory;
    QSet<QString> m_fetching;
    QSet<QString> m_used; // files marked used this run (their time set once, not per look)
    qint64 m_maxCacheBytes = kMaxCacheBytes;
    bool m_decodeInBackground = true;
};

} // namespace neonchat::desktop
