// SPDX-License-Identifier: MIT
#include "messagetext.h"

#include <QClipboard>
#include <QColor>
#include <QGuiApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

bool isBlankLine(QStringView line) {
    return line.trimmed().isEmpty();
}

// Characters that end a sentence around an address rather than belong to it.
bool isTrailingPunctuation(QChar c) {
    return u".,;:!?'\""_s.contains(c);
}

// Where an address found by the pattern really ends: not at the sentence's punctuation after
// it, nor at a closing bracket that opened before it ("(see https://x.org/a)").
qsizetype addressLength(QStringView address) {
    qsizetype length = address.size();
    while (length > 0) {
        const QChar last = address[length - 1];
        if (isTrailingPunctuation(last)) {
            --length;
            continue;
        }
        if (last == u')' || last == u']') {
            const QChar open = last == u')' ? u'(' : u'[';
            const QStringView kept = address.first(length);
            if (kept.count(open) < kept.count(last)) {
                --length;
                continue;
            }
        }
        break;
    }
    return length;
}

// Escaped for rich text, with line breaks and runs of spaces as the sender typed them (rich text
// folds a run of spaces into one, so all but a run's first are non-breaking).
QString escaped(QStringView text) {
    QString html;
    html.reserve(text.size() + text.size() / 8);
    bool afterSpace = true; // a line's leading spaces are kept too
    for (const QChar c : text) {
        const bool space = c == u' ' || c == u'\t';
        if (c == u'<') {
            html += u"&lt;"_s;
        } else if (c == u'>') {
            html += u"&gt;"_s;
        } else if (c == u'&') {
            html += u"&amp;"_s;
        } else if (c == u'"') {
            html += u"&quot;"_s;
        } else if (c == u'\n') {
            html += u"<br>"_s;
        } else if (space) {
            html += afterSpace ? u"&nbsp;"_s : u" "_s;
        } else {
            html += c;
        }
        afterSpace = space || c == u'\n';
    }
    return html;
}

} // namespace

QString composedText(const QString &text) {
    QList<QStringView> lines = QStringView(text).split(u'\n');
    while (!lines.isEmpty() && isBlankLine(lines.constFirst())) {
        lines.removeFirst();
    }
    while (!lines.isEmpty() && isBlankLine(lines.constLast())) {
        lines.removeLast();
    }
    QString composed;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            composed += u'\n';
        }
        composed += lines[i];
    }
    while (!composed.isEmpty() && composed.back().isSpace()) {
        composed.chop(1);
    }
    return composed;
}

QString linkedText(const QString &text, const QString &linkColor) {
    static const QRegularExpression address(uR"((?:\bhttps?://|\bwww\.)[^\s<>"]+)"_s,
                                            QRegularExpression::CaseInsensitiveOption |
                                                QRegularExpression::UseUnicodePropertiesOption);
    const QString linkStyle = QColor::isValidColor(linkColor)
                                  ? u" style=\"color: %1\""_s.arg(QColor(linkColor).name())
                                  : QString();
    QString html;
    qsizetype done = 0;
    for (auto found = address.globalMatch(text); found.hasNext();) {
        const auto match = found.next();
        const QStringView candidate = match.capturedView();
        const qsizetype length = addressLength(candidate);
        const QStringView shown = candidate.first(length);
        if (shown.size() <= 7 || shown.endsWith(u"://")) {
            continue; // "https://" alone, or "www." with nothing after it
        }
        html += escaped(QStringView(text).sliced(done, match.capturedStart() - done));
        const QString target = shown.startsWith(u"www."_s, Qt::CaseInsensitive)
                                   ? u"https://"_s + shown.toString()
                                   : shown.toString();
        html += u"<a href=\""_s + escaped(target) + u"\""_s + linkStyle + u">"_s + escaped(shown) +
                u"</a>"_s;
        done = match.capturedStart() + length;
    }
    html += escaped(QStringView(text).sliced(done));
    return html;
}

void MessageText::copyToClipboard(const QString &text) {
    QGuiApplication::clipboard()->setText(text);
}

} // namespace neonchat::desktop
