// SPDX-License-Identifier: MIT
#include "output.h"

#include "protocol/codec.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

void printLine(FILE *stream, const QString &text) {
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

void printJson(const QJsonObject &object) {
    printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QString formatMessage(const protocol::ChatMessage &message, const OutputStyle &style,
                      bool withDate) {
    const QString time = message.createdAt.toLocalTime().toString(
        withDate ? u"yyyy-MM-dd HH:mm:ss"_s : u"HH:mm:ss"_s);
    QString text = message.text;
    text.replace(u'\n', u"\n    "_s);
    const QString sender =
        style.color ? u"\x1b[1;36m%1\x1b[0m"_s.arg(message.sender) : message.sender;
    return u"[%1] %2: %3"_s.arg(time, sender, text);
}

void printMessage(const protocol::ChatMessage &message, const OutputStyle &style, bool withDate) {
    if (style.json) {
        printJson(protocol::messageToJson(message));
    } else {
        printLine(stdout, formatMessage(message, style, withDate));
    }
}

} // namespace neonchat::cli
