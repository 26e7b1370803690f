// SPDX-License-Identifier: MIT
#include "searchtext.h"

using namespace Qt::StringLiterals;

namespace neonchat::server::search {

namespace {

bool isWordCharacter(char32_t c) {
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
        return true;
    default:
        return QChar::isLetterOrNumber(c);
    }
}

QString folded(const QString &text) {
    QString result = text.normalized(QString::NormalizationForm_KC).toCaseFolded();
    result.replace(u'ё', u'е');
    return result;
}

} // namespace

QStringList words(const QString &text) {
    QStringList found;
    QString current;
    for (const char32_t c : folded(text).toUcs4()) {
        if (isWordCharacter(c)) {
            current.append(QString::fromUcs4(&c, 1));
        } else if (!current.isEmpty()) {
            found.append(std::exchange(current, {}));
        }
    }
    if (!current.isEmpty()) {
        found.append(current);
    }
    return found;
}

QString indexedText(const QString &text) {
    QString indexed = words(text).join(u' ');
    // Never null: Qt Sql binds a null string as NULL, and a text of emoji alone has no words.
    if (indexed.isNull()) {
        indexed = QString(u""_s);
    }
    return indexed;
}

QString snippet(const QString &text, const QStringList &words, int maxChars) {
    if (text.size() <= maxChars) {
        return text;
    }
    // Found in the folded text; folding keeps most characters where they were, which is all a
    // snippet needs.
    const QString haystack = folded(text);
    qsizetype at = -1;
    for (const QString &word : words) {
        const qsizetype found = haystack.indexOf(word);
        if (found >= 0 && (at < 0 || found < at)) {
            at = found;
        }
    }
    qsizetype start = at < 0 ? 0 : std::max<qsizetype>(0, at - maxChars / 3);
    qsizetype length = 0;
    bool cutAfter = true;
    if (start + maxChars - 1 >= text.size()) {
        // The window reaches the end: it ends there, one "…" before it.
        start = text.size() - (maxChars - 1);
        length = maxChars - 1;
        cutAfter = false;
    } else {
        length = maxChars - (start > 0 ? 2 : 1);
    }
    // Not in the middle of a surrogate pair.
    if (start > 0 && text[start].isLowSurrogate()) {
        ++start;
        --length;
    }
    if (cutAfter && text[start + length - 1].isHighSurrogate()) {
        --length;
    }
    const bool cutBefore = start > 0;
    QString result = text.mid(start, length);
    if (cutBefore) {
        result.prepend(u'…');
    }
    if (cutAfter) {
        result.append(u'…');
    }
    return result;
}

} // namespace neonchat::server::search
