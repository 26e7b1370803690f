// SPDX-License-Identifier: MIT
#include "filetransfer.h"

#include "output.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QScopeGuard>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

namespace {

// A name the server gave that is safe to create in a directory of the user's: no path, not
// hidden by a leading dot trick, never empty.
QString safeFilename(const QString &offered, const QString &fallback) {
    QString name = QFileInfo(offered).fileName();
    name.replace(u'\\', u'_');
    if (name.isEmpty() || name == "."_L1 || name == ".."_L1) {
        return fallback;
    }
    return name;
}

// path, or "name (2).ext", "name (3).ext", ... if it exists.
QString freePath(const QDir &directory, const QString &name) {
    const QFileInfo info(name);
    const QString base = info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QString() : u"."_s + info.suffix();
    QString candidate = directory.filePath(name);
    for (int n = 2; QFileInfo::exists(candidate); ++n) {
        candidate = directory.filePath(u"%1 (%2)%3"_s.arg(base).arg(n).arg(suffix));
    }
    return candidate;
}

} // namespace

QCoro::Task<std::optional<protocol::Upload>> FileTransfer::upload(client::ApiClient &api,
                                                                  QString path) {
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists() || info.isDir() || !file.open(QIODevice::ReadOnly)) {
        printLine(stderr, tr("! cannot read %1: %2")
                              .arg(path, !info.exists() ? tr("there is no such file")
                                         : info.isDir() ? tr("it is a directory")
                                                        : file.errorString()));
        co_return std::nullopt;
    }
    const QString type = QMimeDatabase().mimeTypeForFile(path).name();
    const auto answer = co_await api.upload(&file, QFileInfo(path).fileName(), type);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        printLine(stderr, tr("! uploading %1 failed: %2").arg(path, error->message));
        co_return std::nullopt;
    }
    co_return std::get<protocol::Upload>(answer);
}

QCoro::Task<std::optional<QString>> FileTransfer::download(client::ApiClient &api, QString uploadId,
                                                           QString target) {
    const bool intoDirectory = target.isEmpty() || QFileInfo(target).isDir();
    const QDir directory =
        intoDirectory ? QDir(target.isEmpty() ? u"."_s : target) : QFileInfo(target).absoluteDir();
    // Written beside where it ends up, and given its name only once it is complete. A plain new
    // file (not QTemporaryFile, which is private to its owner) gets the permissions the user's
    // umask gives any file.
    QFile partial(directory.filePath(
        u".neonchat-download-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128))));
    auto removePartial = qScopeGuard([&partial] {
        if (partial.exists() && !partial.remove()) {
            printLine(stderr, tr("! could not remove %1").arg(partial.fileName()));
        }
    });
    if (!partial.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        printLine(stderr,
                  tr("! cannot write in %1: %2")
                      .arg(QDir::toNativeSeparators(directory.path()), partial.errorString()));
        co_return std::nullopt;
    }
    const auto answer = co_await api.download(uploadId, &partial);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        printLine(stderr, tr("! downloading %1 failed: %2").arg(uploadId, error->message));
        co_return std::nullopt;
    }
    const QString path =
        intoDirectory
            ? freePath(directory,
                       safeFilename(std::get<client::DownloadedFile>(answer).filename, uploadId))
            : target;
    if (!partial.flush()) {
        printLine(stderr, tr("! saving %1 failed: %2").arg(path, partial.errorString()));
        co_return std::nullopt;
    }
    if (!intoDirectory && QFileInfo::exists(path) && !QFile::remove(path)) {
        printLine(stderr, tr("! cannot replace %1").arg(path));
        co_return std::nullopt;
    }
    partial.close();
    if (!partial.rename(path)) {
        printLine(stderr, tr("! saving %1 failed: %2").arg(path, partial.errorString()));
        co_return std::nullopt;
    }
    removePartial.dismiss(); // it is the file now
    co_return path;
}

} // namespace neonchat::cli
