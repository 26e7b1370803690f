// SPDX-License-Identifier: MIT
// chat-cli's account commands (CONTRACT §5 and §9): register, login, and the one-shot send,
// history, edit, delete, search, upload and download of a logged-in user. Each is a task that ends
// with the process's exit status.
#pragma once

#include "client/sessionstore.h"
#include "client/tls.h"
#include "output.h"

#include <QCoroTask>
#include <QUrl>

namespace neonchat::cli {

QCoro::Task<int> registerAccount(client::ServerAccess access, QString username, QString password);
// Logs in and keeps the session in the store.
QCoro::Task<int> logIn(client::ServerAccess access, QString username, QString password,
                       client::SessionStore store);
// chatId: a chat id, or "lobby".
QCoro::Task<int> sendOnce(client::StoredSession session, QSslConfiguration tls, QString chatId,
                          QString text, OutputStyle style, QStringList attachmentIds = {});
// Uploads a file and prints the upload; with chatId, sends it there as a message (with text).
QCoro::Task<int> uploadOnce(client::StoredSession session, QSslConfiguration tls, QString path,
                            QString chatId, QString text, OutputStyle style);
// Saves an upload (FileTransfer::download's target) and prints where.
QCoro::Task<int> downloadOnce(client::StoredSession session, QSslConfiguration tls,
                              QString uploadId, QString target, OutputStyle style);
QCoro::Task<int> printHistory(client::StoredSession session, QSslConfiguration tls, QString chatId,
                              int limit, OutputStyle style);
// Changes one's own message's text; --json prints the message as it is now.
QCoro::Task<int> editOnce(client::StoredSession session, QSslConfiguration tls, QString messageId,
                          QString text, OutputStyle style);
// Prints the messages of the user's chats with every word (chatId: only that chat, "lobby" or
// an id), newest first, at most limit.
QCoro::Task<int> searchOnce(client::StoredSession session, QSslConfiguration tls, QString words,
                            QString chatId, int limit, OutputStyle style);
QCoro::Task<int> deleteOnce(client::StoredSession session, QSslConfiguration tls,
                            QString messageId);

// The password: the first line of stdin with --password-stdin, else asked on the terminal with
// echo off. nullopt (after saying why) when neither is possible.
[[nodiscard]] std::optional<QString> readPassword(bool fromStdin);

} // namespace neonchat::cli
