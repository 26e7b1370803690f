// SPDX-License-Identifier: MIT
#include "savedfile.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::client {

namespace {
Q_LOGGING_CATEGORY(lcSave, "neonchat.save")
}

QString safeFilename(const QString &offered, const QString &fallback) {
    QString name = QFileInfo(offered).fileName();
    name.replace(u'\\', u'_');
    if (name.isEmpty() || name == "."_L1 || name == ".."_L1) {
        return fallback;
    }
    return name;
}

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

QCoro::Task<std::variant<QString, SaveProblem>> saveUpload(ApiClient &api, QString uploadId,
                                                           QString target) {
    using Step = SaveProblem::Step;
    const bool intoDirectory = target.isEmpty() || QFileInfo(target).isDir();
    const QDir directory =
        intoDirectory ? QDir(target.isEmpty() ? u"."_s : target) : QFileInfo(target).absoluteDir();
    // A plain new file (not QTemporaryFile, which is private to its owner) gets the permissions
    // the user's umask gives any file.
    QFile partial(directory.filePath(
        u".neonchat-download-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128))));
    auto removePartial = qScopeGuard([&partial] {
        if (partial.exists() && !partial.remove()) {
            qCWarning(lcSave, "could not remove %s: %s", qUtf8Printable(partial.fileName()),
                      qUtf8Printable(partial.errorString()));
        }
    });
    if (!partial.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        co_return SaveProblem{Step::Create, directory.path(), partial.errorString()};
    }
    const auto answer = co_await api.download(uploadId, &partial);
    if (const auto *error = std::get_if<ApiError>(&answer)) {
        co_return SaveProblem{Step::Download, uploadId, error->message};
    }
    const QString path =
        intoDirectory
            ? freePath(directory, safeFilename(std::get<DownloadedFile>(answer).filename, uploadId))
            : target;
    if (!partial.flush()) {
        co_return SaveProblem{Step::Write, path, partial.errorString()};
    }
    if (!intoDirectory && QFileInfo::exists(path) && !QFile::remove(path)) {
        co_return SaveProblem{Step::Replace, path, {}};
    }
    partial.close();
    if (!partial.rename(path)) {
        co_return SaveProblem{Step::Rename, path, partial.errorString()};
    }
    removePartial.dismiss(); // it is the file now
    co_return path;
}

} // namespace neonchat::client
