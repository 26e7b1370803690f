// SPDX-License-Identifier: MIT
// A message's text on its way in and out of the desktop: what the composer sends (without the
// blank lines around it), and how a message shows (plain text, with its web addresses as links).
#pragma once

#include <QColor>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

// The composer's text as it is sent: blank lines (and trailing spaces) at the start and the end
// go; the first line's indentation and everything inside stay.
[[nodiscard]] QString composedText(const QString &text);

// Rich text for a Text or TextEdit: the message escaped, its line breaks and runs of spaces
// kept, each http(s):// or www. address a link (in linkColor, a #rrggbb name, if given), and
// each @name in bold. Nothing else of the text can become markup.
[[nodiscard]] QString linkedText(const QString &text, const QString &linkColor = {});

// The users a text mentions as @name, in order (a name's trailing full stops are the sentence's).
[[nodiscard]] QStringList mentionedNames(const QString &text);
// Whether the text mentions this user (names compared ignoring case).
[[nodiscard]] bool mentionsUser(const QString &text, const QString &username);

// The same for QML, and the clipboard.
class MessageText : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    using QObject::QObject;
    Q_INVOKABLE static QString composed(const QString &text) { return composedText(text); }
    Q_INVOKABLE static QString linked(const QString &text, const QColor &linkColor) {
        return linkedText(text, linkColor.name());
    }
    Q_INVOKABLE static bool mentions(const QString &text, const QString &username) {
        return mentionsUser(text, username);
    }
    Q_INVOKABLE static void copyToClipboard(const QString &text);
};

} // namespace neonchat::desktop
