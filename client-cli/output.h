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
// "[HH:MM:SS] sender: text" in local time; withDate adds the day (history spans days). A reply
// starts with "> " and the first line of what it answers (quote), the text follows on the next
// line; then "(edited)", reactions as "👍 2  🎉 1" and attachments as name and size. A deleted
// message reads "(deleted)".
[[nodiscard]] QString formatMessage(const protocol::ChatMessage &message, const OutputStyle &style,
                                    bool withDate = false, const QString &quote = {});
// A message as the style wants it, on stdout.
void printMessage(const protocol::ChatMessage &message, const OutputStyle &style,
                  bool withDate = false, const QString &quote = {});
// One search result: "[chat] [date time] sender: snippet", or with --json
// {"message","chat_id","snippet"}.
void printSearchResult(const protocol::ChatMessage &message, const QString &snippet,
                       const QString &chatLabel, const OutputStyle &style);
// The quote of a reply: "sender: first line of the text", shortened.
[[nodiscard]] QString quoteOf(const protocol::ChatMessage &original);
// "1.5 MB", "640 B".
[[nodiscard]] QString formatSize(qint64 bytes);

} // namespace neonchat::cli
