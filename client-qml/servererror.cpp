// SPDX-License-Identifier: MIT
#include "servererror.h"

#include <QCoreApplication>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

struct KnownError {
    QLatin1StringView code;
    const char *text;
    // The server's sentence names what exactly it refused: it follows the translated one.
    bool withReason;
};

constexpr KnownError kKnownErrors[] = {
    {"invalid_request"_L1,
     QT_TRANSLATE_NOOP("ServerError", "The server did not accept the request."), true},
    {"bad_request"_L1, QT_TRANSLATE_NOOP("ServerError", "The server did not accept the request."),
     true},
    {"invalid_json"_L1, QT_TRANSLATE_NOOP("ServerError", "The server did not accept the request."),
     true},
    {"invalid_message"_L1,
     QT_TRANSLATE_NOOP("ServerError", "The server did not accept the message."), true},
    {"invalid_credentials"_L1, QT_TRANSLATE_NOOP("ServerError", "Wrong username or password."),
     false},
    {"username_taken"_L1, QT_TRANSLATE_NOOP("ServerError", "That username is taken."), false},
    {"unauthorized"_L1,
     QT_TRANSLATE_NOOP("ServerError", "Your session has expired. Please log in again."), false},
    {"forbidden"_L1, QT_TRANSLATE_NOOP("ServerError", "You are not allowed to do that."), false},
    {"not_found"_L1,
     QT_TRANSLATE_NOOP("ServerError",
                       "It is not there any more, or you are not a member of that chat."),
     false},
    {"rate_limited"_L1,
     QT_TRANSLATE_NOOP("ServerError", "Too many attempts. Try again in a minute."), false},
    {"too_large"_L1, QT_TRANSLATE_NOOP("ServerError", "That is larger than the server takes."),
     false},
    {"unsupported_media_type"_L1,
     QT_TRANSLATE_NOOP("ServerError", "The server cannot take this kind of data."), false},
    {"message_deleted"_L1, QT_TRANSLATE_NOOP("ServerError", "That message was deleted."), false},
    {"too_many_reactions"_L1,
     QT_TRANSLATE_NOOP("ServerError", "That message has as many different reactions as it can."),
     false},
    {"conflict"_L1, QT_TRANSLATE_NOOP("ServerError", "That clashes with a change made meanwhile."),
     true},
    {"busy"_L1,
     QT_TRANSLATE_NOOP("ServerError",
                       "The server could not do that just now. Try again in a moment."),
     false},
    {"internal"_L1,
     QT_TRANSLATE_NOOP("ServerError",
                       "The server could not do that just now. Try again in a moment."),
     false},
};

} // namespace

QString serverErrorText(const QString &code, const QString &serverMessage) {
    const auto *known =
        std::find_if(std::begin(kKnownErrors), std::end(kKnownErrors),
                     [&code](const KnownError &error) { return error.code == code; });
    if (known == std::end(kKnownErrors)) {
        return serverMessage;
    }
    const QString text = QCoreApplication::translate("ServerError", known->text);
    return known->withReason && !serverMessage.isEmpty() ? u"%1 (%2)"_s.arg(text, serverMessage)
                                                         : text;
}

QString requestErrorText(const client::ApiError &error) {
    if (error.status == 0) {
        return QCoreApplication::translate("ServerError", "Server unreachable: %1")
            .arg(error.message);
    }
    return serverErrorText(error);
}

} // namespace neonchat::desktop
