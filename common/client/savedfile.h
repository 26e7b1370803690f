// SPDX-License-Identifier: MIT
// An upload saved as a local file, for chat-cli and chat-desktop alike: streamed to a file beside
// its target and given its name only once complete, so a cut download leaves no half file.
#pragma once

#include "client/apiclient.h"

#include <QCoroTask>
#include <QDir>

#include <variant>

namespace neonchat::client {

// Why a file could not be saved: the step that failed, the file it concerned and the system's
// (or the server's) reason. Each client words it.
struct SaveProblem {
    enum class Step { Create, Download, Write, Replace, Rename };
    Step step = Step::Create;
    QString path;
    QString reason;
};

// Saves an upload under target: a file path, or a directory (empty: the current one) where it
// gets the name it was uploaded with, made safe, with " (2)" and so on when that is taken. The
// path saved to, or why not.
QCoro::Task<std::variant<QString, SaveProblem>> saveUpload(ApiClient &api, QString uploadId,
                                                           QString target);

// A name the server gave that is safe to create in a directory of the user's: no path, never
// empty, "." or "..".
[[nodiscard]] QString safeFilename(const QString &offered, const QString &fallback);
// directory/name, or "name (2).ext", "name (3).ext", ... if it exists.
[[nodiscard]] QString freePath(const QDir &directory, const QString &name);

} // namespace neonchat::client
