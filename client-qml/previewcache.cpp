// SPDX-License-Identifier: MIT
#include "previewcache.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {
Q_LOGGING_CATEGORY(lcPreview, "neonchat.preview")

// Upload ids are UUIDs; anything else never becomes a file name.
bool isUploadId(const QString &id) {
    static const QRegularExpression uuid(u"^[0-9a-fA-F-]{36}$"_s);
    return uuid.match(id).hasMatch();
}
} // namespace

PreviewCache::PreviewCache(QObject *parent)
    : QObject(parent)
    , m_directory(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                  u"/previews"_s) {}

bool PreviewCache::shows(const QString &contentType, qint64 size) {
    static const QStringList types{u"image/png"_s, u"image/jpeg"_s, u"image/gif"_s, u"image/webp"_s,
                                   u"image/bmp"_s};
    return size > 0 && size <= kMaxImageBytes && types.contains(contentType);
}

QUrl PreviewCache::fileFor(const QString &uploadId) {
    if (!isUploadId(uploadId)) {
        return {};
    }
    const QString path = m_directory.filePath(uploadId);
    if (QFileInfo::exists(path)) {
        // Used now: the last to go when the cache is pruned. Once a run is enough (a delegate
        // asks each time it is created while scrolling).
        if (!m_used.contains(uploadId)) {
            m_used.insert(uploadId);
            QFile file(path);
            if (!file.open(QIODevice::ReadWrite) ||
                !file.setFileTime(QDateTime::currentDateTime(),
                                  QFileDevice::FileModificationTime)) {
                qCDebug(lcPreview, "could not touch %s", qUtf8Printable(path));
            }
        }
        return QUrl::fromLocalFile(path);
    }
    if (m_api && !m_fetching.contains(uploadId)) {
        fetch(uploadId);
    }
    return {};
}

QCoro::Task<> PreviewCache::fetch(QString uploadId) {
    m_fetching.insert(uploadId);
    QPointer<PreviewCache> self(this);
    QPointer<client::ApiClient> api = m_api;
    if (!m_directory.mkpath(u"."_s)) {
        qCWarning(lcPreview, "cannot create %s", qUtf8Printable(m_directory.path()));
        m_fetching.remove(uploadId);
        co_return;
    }
    const QString path = m_directory.filePath(uploadId);
    // Written under another name and renamed when complete: a half file is never shown.
    QFile partial(path + u".part"_s);
    if (!partial.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qCWarning(lcPreview, "cannot write %s: %s", qUtf8Printable(partial.fileName()),
                  qUtf8Printable(partial.errorString()));
        m_fetching.remove(uploadId);
        co_return;
    }
    const auto answer = co_await api->download(uploadId, &partial);
    partial.close();
    if (!self) {
        co_return;
    }
    m_fetching.remove(uploadId);
    // Told after whatever this fetch brings (ready() first).
    auto ended = qScopeGuard([this] { Q_EMIT fetchEnded(); });
    const auto *error = std::get_if<client::ApiError>(&answer);
    if (error || std::get<client::DownloadedFile>(answer).size > kMaxImageBytes ||
        !partial.rename(path)) {
        qCInfo(lcPreview, "no preview of %s: %s", qUtf8Printable(uploadId),
               qUtf8Printable(error ? error->message : partial.errorString()));
        if (!QFile::remove(partial.fileName())) {
            qCDebug(lcPreview, "nothing to remove at %s", qUtf8Printable(partial.fileName()));
        }
        co_return;
    }
    m_used.insert(uploadId); // written just now
    prune();
    Q_EMIT ready(uploadId, QUrl::fromLocalFile(path));
}

void PreviewCache::clear() {
    m_used.clear();
    if (m_directory.exists() && !m_directory.removeRecursively()) {
        qCWarning(lcPreview, "cannot remove %s", qUtf8Printable(m_directory.path()));
    }
}

void PreviewCache::prune() {
    QFileInfoList files =
        m_directory.entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Time); // newest first
    qint64 total = 0;
    for (const QFileInfo &file : files) {
        total += file.size();
    }
    while (total > m_maxCacheBytes && files.size() > 1) { // the newest, just fetched, stays
        const QFileInfo oldest = files.takeLast();
        if (QFile::remove(oldest.filePath())) {
            total -= oldest.size();
            m_used.remove(oldest.fileName()); // the set stays as large as the cache at most
        } else {
            qCWarning(lcPreview, "cannot remove %s", qUtf8Printable(oldest.filePath()));
        }
    }
}

} // namespace neonchat::desktop
