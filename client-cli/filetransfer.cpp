// SPDX-License-Identifier: MIT
#include "filetransfer.h"

#include "client/savedfile.h"
#include "output.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

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
    using Step = client::SaveProblem::Step;
    const auto saved = co_await client::saveUpload(api, uploadId, target);
    if (const auto *path = std::get_if<QString>(&saved)) {
        co_return *path;
    }
    const auto &problem = std::get<client::SaveProblem>(saved);
    switch (problem.step) {
    case Step::Create:
        printLine(stderr, tr("! cannot write in %1: %2")
                              .arg(QDir::toNativeSeparators(problem.path), problem.reason));
        break;
    case Step::Download:
        printLine(stderr, tr("! downloading %1 failed: %2").arg(uploadId, problem.reason));
        break;
    case Step::Write:
    case Step::Rename:
        printLine(stderr, tr("! saving %1 failed: %2").arg(problem.path, problem.reason));
        break;
    case Step::Replace:
        printLine(stderr, tr("! cannot replace %1").arg(problem.path));
        break;
    }
    co_return std::nullopt;
}

} // namespace neonchat::cli
