// SPDX-License-Identifier: MIT
// Logging categories of the server and the two output formats of CONTRACT §4.
#pragma once

#include "config/config.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcHub)
Q_DECLARE_LOGGING_CATEGORY(lcWs)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcDb)
Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace neonchat::server {

// Qt's message handler is process-wide by design; the format is the handler function chosen, so
// no state of ours backs it.
void installLogFormat(LogFormat format);

// Applies the level to every chat.* category (Qt's filter rules; changes at run time on SIGHUP).
void applyLogLevel(LogLevel level);

using LogFields = QList<std::pair<QLatin1StringView, QString>>;

// A log message that carries context (request_id, trace_id, ...): JSON lines get each field as a
// key of their own, text lines get key=value pairs after the message.
[[nodiscard]] QString withFields(const QString &message, const LogFields &fields);

// One log line in the chosen format, for tests and tools: level, category, message.
[[nodiscard]] QByteArray formatLogLine(LogFormat format, QtMsgType type, const char *category,
                                       const QString &message);

} // namespace neonchat::server
