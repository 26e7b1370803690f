// SPDX-License-Identifier: MIT
#include "messagetext.h"

#include <QClipboard>
#include <QColor>
#include <QGuiApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

bool isSpaceBefore(const QString &text, qsizetype at) {
    const QChar before = text.at(at - 1);
    return before == u' ' || before == u'\t' || before == u'\n';
}

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
// afterSpace: what comes before text is a space or a line break, or nothing.
QString escaped(QStringView text, bool afterSpace = true) {
    QString html;
    html.reserve(text.size() + text.size() / 8);
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

const QRegularExpression &mentionPattern() {
    // A name after an @ that is not part of a word or an address (an e-mail's domain is not a
    // mention); the characters are those a username may have.
    static const QRegularExpression pattern(uR"((?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+))"_s);
    return pattern;
}

// A text part between links: escaped, with each @name in bold. afterSpace as for escaped().
QString escapedWithMentions(QStringView text, bool afterSpace) {
    QString html;
    qsizetype done = 0;
    for (auto found = mentionPattern().globalMatch(text); found.hasNext();) {
        const auto match = found.next();
        QStringView name = match.capturedView(1);
        while (name.endsWith(u'.')) {
            name.chop(1); // the sentence's full stop
        }
        if (name.isEmpty()) {
            continue;
        }
        const qsizetype start = match.capturedStart();
        html += escaped(text.sliced(done, start - done), done == 0 ? afterSpace : false);
        html += u"<b>@"_s + escaped(name) + u"</b>"_s;
        done = start + 1 + name.size();
    }
    html += escaped(text.sliced(done), done == 0 ? afterSpace : false);
    return html;
}

} // namespace

QStringList mentionedNames(const QString &text) {
    QStringList names;
    for (auto found = mentionPattern().globalMatch(text); found.hasNext();) {
        QString name = found.next().captured(1);
        while (name.endsWith(u'.')) {
            name.chop(1);
        }
        if (!name.isEmpty()) {
            names.append(name);
        }
    }
    return names;
}

bool mentionsUser(const QString &text, const QString &username) {
    if (username.isEmpty() || !text.contains(u'@')) {
        return false;
    }
    const QStringList names = mentionedNames(text);
    return std::any_of(names.begin(), names.end(), [&username](const QString &name) {
        return name.compare(username, Qt::CaseInsensitive) == 0;
    });
}

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
        html += escapedWithMentions(QStringView(text).sliced(done, match.capturedStart() - done),
                                    done == 0 || isSpaceBefore(text, done));
        const QString target = shown.startsWith(u"www."_s, Qt::CaseInsensitive)
                                   ? u"https://"_s + shown.toString()
                                   : shown.toString();
        html += u"<a href=\""_s + escaped(target) + u"\""_s + linkStyle + u">"_s + escaped(shown) +
                u"</a>"_s;
        done = match.capturedStart() + length;
    }
    html +=
        escapedWithMentions(QStringView(text).sliced(done), done == 0 || isSpaceBefore(text, done));
    return html;
}

void MessageText::copyToClipboard(const QString &text) {
    QGuiApplication::clipboard()->setText(text);
}

} // namespace neonchat::desktop
