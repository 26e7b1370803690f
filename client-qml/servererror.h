// SPDX-License-Identifier: MIT
// The server's errors in the user's language. The server answers with a code (CONTRACT §2, §3,
// §9) and an English sentence; the desktop shows its own translated sentence for every code it
// knows. Where the English sentence names what exactly was wrong (a request or message the
// server refused), it follows the translated one; an unknown code shows the server's sentence.
#pragma once

#include "client/apiclient.h"

#include <QString>

namespace neonchat::desktop {

[[nodiscard]] QString serverErrorText(const QString &code, const QString &serverMessage);
[[nodiscard]] inline QString serverErrorText(const client::ApiError &error) {
    return serverErrorText(error.code, error.message);
}
// What a failed request tells the user: the server's error as above, or that the server could
// not be reached.
[[nodiscard]] QString requestErrorText(const client::ApiError &error);

} // namespace neonchat::desktop
