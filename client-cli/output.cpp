// SPDX-License-Identifier: MIT
#include "output.h"

#include "protocol/codec.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocale>

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

namespace {

// The context of the texts below.
struct Output {
    Q_DECLARE_TR_FUNCTIONS(Output)
};

constexpr qsizetype kQuoteChars = 60;

QString dimmed(const OutputStyle &style, const QString &text) {
    return style.color ? u"\x1b[2m%1\x1b[0m"_s.arg(text) : text;
}

} // namespace

void printSearchResult(const protocol::ChatMessage &message, const QString &snippet,
                       const QString &chatLabel, const OutputStyle &style) {
    if (style.json) {
        QJsonObject result;
        result.insert("message"_L1, protocol::messageToJson(message));
        result.insert("chat_id"_L1, message.chatId);
        result.insert("snippet"_L1, snippet);
        printJson(result);
        return;
    }
    protocol::ChatMessage shown = message;
    shown.text = snippet;
    shown.replyToId.reset(); // the snippet is the point here, not what it answers
    printLine(stdout, u"[%1] %2"_s.arg(chatLabel, formatMessage(shown, style, true)));
}

QString formatSize(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString quoteOf(const protocol::ChatMessage &original) {
    if (original.deleted) {
        return Output::tr("%1: (deleted)").arg(original.sender);
    }
    QString line = original.text.section(u'\n', 0, 0);
    if (line.size() > kQuoteChars || line.size() < original.text.size()) {
        line = line.left(kQuoteChars) + u'…';
    }
    return u"%1: %2"_s.arg(original.sender, line);
}

QString formatMessage(const protocol::ChatMessage &message, const OutputStyle &style, bool withDate,
                      const QString &quote) {
    const QString time = message.createdAt.toLocalTime().toString(
        withDate ? u"yyyy-MM-dd HH:mm:ss"_s : u"HH:mm:ss"_s);
    QString text = message.deleted ? dimmed(style, Output::tr("(deleted)")) : message.text;
    if (message.replyToId) {
        const QString quoted = quote.isEmpty() ? Output::tr("a message not shown here") : quote;
        text = dimmed(style, u"> "_s + quoted) + u'\n' + text;
    }
    text.replace(u'\n', u"\n    "_s);
    if (message.editedAt && !message.deleted) {
        text += u' ' + dimmed(style, Output::tr("(edited)"));
    }
    QStringList reactions;
    for (const protocol::Reaction &reaction : message.reactions) {
        reactions.append(u"%1 %2"_s.arg(reaction.emoji).arg(reaction.userIds.size()));
    }
    if (!reactions.isEmpty()) {
        text += u"  "_s + reactions.join(u"  "_s);
    }
    for (const protocol::Attachment &attachment : message.attachments) {
        text +=
            u"\n    "_s + Output::tr("[file %1, %2, id %3]")
                              .arg(attachment.filename, formatSize(attachment.size), attachment.id);
    }
    const QString sender =
        style.color ? u"\x1b[1;36m%1\x1b[0m"_s.arg(message.sender) : message.sender;
    return u"[%1] %2: %3"_s.arg(time, sender, text);
}

void printMessage(const protocol::ChatMessage &message, const OutputStyle &style, bool withDate,
                  const QString &quote) {
    if (style.json) {
        printJson(protocol::messageToJson(message));
    } else {
        printLine(stdout, formatMessage(message, style, withDate, quote));
    }
}

} // namespace neonchat::cli
