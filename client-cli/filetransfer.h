// SPDX-License-Identifier: MIT
// Files in chat-cli (CONTRACT §9): a local file sent as an upload, an upload saved as a local
// file. Both stream: neither holds the file in memory.
#pragma once

#include "client/apiclient.h"

#include <QCoroTask>
#include <QObject>

#include <optional>

namespace neonchat::cli {

class FileTransfer : public QObject {
    Q_OBJECT
public:
    // Uploads the file at path (its type guessed from its name and contents): the upload, or
    // nullopt after saying why not on stderr.
    static QCoro::Task<std::optional<protocol::Upload>> upload(client::ApiClient &api,
                                                               QString path);
    // Saves an upload under target: a file path, or a directory (empty: the current one) where it
    // gets the name it was uploaded with (with " (2)" and so on when that is taken). The path
    // saved to, or nullopt after saying why not.
    static QCoro::Task<std::optional<QString>> download(client::ApiClient &api, QString uploadId,
                                                        QString target);
};

} // namespace neonchat::cli
