// SPDX-License-Identifier: MIT
#include "log.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcServer, "chat.server")
Q_LOGGING_CATEGORY(lcConfig, "chat.config")
Q_LOGGING_CATEGORY(lcHub, "chat.hub")
Q_LOGGING_CATEGORY(lcWs, "chat.ws")
Q_LOGGING_CATEGORY(lcHttp, "chat.http")
Q_LOGGING_CATEGORY(lcDb, "chat.db")
Q_LOGGING_CATEGORY(lcCluster, "chat.cluster")

namespace neonchat::server {

namespace {

QLatin1StringView levelName(QtMsgType type) {
    switch (type) {
    case QtDebugMsg:
        return "debug"_L1;
    case QtInfoMsg:
        return "info"_L1;
    case QtWarningMsg:
        return "warn"_L1;
    case QtCriticalMsg:
    case QtFatalMsg:
        return "error"_L1;
    }
    return "info"_L1;
}

// Separates a message from its fields inside Qt's one message string; never in a message itself.
constexpr QChar kFieldsMark(0x1f);

void writeLine(const QByteArray &line) {
    // One fwrite per line keeps lines from different threads whole.
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
    std::fflush(stderr);
}

void jsonHandler(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    writeLine(formatLogLine(LogFormat::Json, type, context.category, message));
}

void textHandler(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    writeLine(formatLogLine(LogFormat::Text, type, context.category, message));
}

} // namespace

QByteArray formatLogLine(LogFormat format, QtMsgType type, const char *category,
                         const QString &message) {
    const QString timestamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString categoryName = category ? QString::fromLatin1(category) : u"default"_s;
    QString text = message;
    QJsonObject fields;
    if (const qsizetype mark = message.lastIndexOf(kFieldsMark); mark >= 0) {
        text = message.left(mark);
        fields = QJsonDocument::fromJson(message.sliced(mark + 1).toUtf8()).object();
    }
    if (format == LogFormat::Json) {
        QJsonObject object{{"ts"_L1, timestamp},
                           {"level"_L1, levelName(type)},
                           {"category"_L1, categoryName},
                           {"msg"_L1, text}};
        for (auto field = fields.constBegin(); field != fields.constEnd(); ++field) {
            if (!object.contains(field.key())) {
                object.insert(field.key(), field.value());
            }
        }
        return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    for (auto field = fields.constBegin(); field != fields.constEnd(); ++field) {
        text += u' ' + field.key() + u'=' + field.value().toString();
    }
    return u"%1 %2 %3: %4\n"_s
        .arg(timestamp, QString(levelName(type)).toUpper(), categoryName, text)
        .toUtf8();
}

QString withFields(const QString &message, const LogFields &fields) {
    QJsonObject object;
    for (const auto &[key, value] : fields) {
        object.insert(key, value);
    }
    QString clean = message;
    clean.replace(kFieldsMark, u' ');
    return clean + kFieldsMark +
           QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void installLogFormat(LogFormat format) {
    qInstallMessageHandler(format == LogFormat::Json ? jsonHandler : textHandler);
}

void applyLogLevel(LogLevel level) {
    QString rules = u"chat.*.debug=%1\nchat.*.info=%2\nchat.*.warning=%3\n"_s.arg(
        level <= LogLevel::Debug ? "true"_L1 : "false"_L1,
        level <= LogLevel::Info ? "true"_L1 : "false"_L1,
        level <= LogLevel::Warn ? "true"_L1 : "false"_L1);
    QLoggingCategory::setFilterRules(rules);
}

} // namespace neonchat::server
