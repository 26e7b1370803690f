// SPDX-License-Identifier: MIT
// How chat-cli writes: whole lines, flushed at once (scripts read them as they come), messages
// as readable lines or, with --json, one JSON object per line.
#pragma once

#include "protocol/protocol.h"

#include <QJsonObject>
#include <QString>

#include <cstdio>

namespace neonchat::cli {

struct OutputStyle {
    bool color = false;
    bool json = false;
};

void printLine(FILE *stream, const QString &text);
void printJson(const QJsonObject &object);
// "[HH:MM:SS] sender: text" in local time; withDate adds the day (history spans days).
[[nodiscard]] QString formatMessage(const protocol::ChatMessage &message, const OutputStyle &style,
                                    bool withDate = false);
// A message as the style wants it, on stdout.
void printMessage(const protocol::ChatMessage &message, const OutputStyle &style,
                  bool withDate = false);

} // namespace neonchat::cli
