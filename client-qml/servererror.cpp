// SPDX-License-Identifier: MIT
#include "servererror.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

QString translated(const char *text) {
    return QCoreApplication::translate("ServerError", text);
}

} // namespace

QString serverErrorText(const QString &code, const QString &serverMessage) {
    // Refusals whose reason is in the server's sentence: said, then the reason.
    const auto withReason = [&serverMessage](const QString &text) {
        return serverMessage.isEmpty() ? text : u"%1 (%2)"_s.arg(text, serverMessage);
    };
    if (code == "invalid_request"_L1 || code == "bad_request"_L1 || code == "invalid_json"_L1) {
        return withReason(
            translated(QT_TRANSLATE_NOOP("ServerError", "The server did not accept the request.")));
    }
    if (code == "invalid_message"_L1) {
        return withReason(
            translated(QT_TRANSLATE_NOOP("ServerError", "The server did not accept the message.")));
    }
    if (code == "invalid_credentials"_L1) {
        return translated(QT_TRANSLATE_NOOP("ServerError", "Wrong username or password."));
    }
    if (code == "username_taken"_L1) {
        return translated(QT_TRANSLATE_NOOP("ServerError", "That username is taken."));
    }
    if (code == "unauthorized"_L1) {
        return translated(
            QT_TRANSLATE_NOOP("ServerError", "Your session has expired. Please log in again."));
    }
    if (code == "forbidden"_L1) {
        return translated(QT_TRANSLATE_NOOP("ServerError", "You are not allowed to do that."));
    }
    if (code == "not_found"_L1) {
        return translated(QT_TRANSLATE_NOOP(
            "ServerError", "It is not there any more, or you are not a member of that chat."));
    }
    if (code == "rate_limited"_L1) {
        return translated(
            QT_TRANSLATE_NOOP("ServerError", "Too many attempts. Try again in a minute."));
    }
    if (code == "too_large"_L1 || code == "payload_too_large"_L1) {
        return translated(
            QT_TRANSLATE_NOOP("ServerError", "That is larger than the server takes."));
    }
    if (code == "unsupported_media_type"_L1) {
        return translated(
            QT_TRANSLATE_NOOP("ServerError", "The server cannot take this kind of data."));
    }
    if (code == "message_deleted"_L1) {
        return translated(QT_TRANSLATE_NOOP("ServerError", "That message was deleted."));
    }
    if (code == "too_many_reactions"_L1) {
        return translated(QT_TRANSLATE_NOOP(
            "ServerError", "That message has as many different reactions as it can."));
    }
    if (code == "conflict"_L1) {
        return withReason(translated(
            QT_TRANSLATE_NOOP("ServerError", "That clashes with a change made meanwhile.")));
    }
    if (code == "busy"_L1 || code == "internal"_L1) {
        return translated(QT_TRANSLATE_NOOP(
            "ServerError", "The server could not do that just now. Try again in a moment."));
    }
    return serverMessage;
}

} // namespace neonchat::desktop
