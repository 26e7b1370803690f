// SPDX-License-Identifier: MIT
// What the desktop sends of the composer's text, and how it shows a message: escaped plain text
// whose web addresses are links, and nothing else turned into markup.
#include "messagetext.h"

#include <QColor>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace neonchat::desktop;

class TestMessageText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void composedTextLosesBlankEdges_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("sent");
        QTest::addRow("plain") << u"hello"_s << u"hello"_s;
        QTest::addRow("trailing blank lines") << u"one\ntwo\n\n\n"_s << u"one\ntwo"_s;
        QTest::addRow("trailing spaces on blank lines") << u"one\n  \n\t\n"_s << u"one"_s;
        QTest::addRow("leading blank lines") << u"\n\n  \nhi"_s << u"hi"_s;
        QTest::addRow("indentation of the first line kept")
            << u"\n    code()\n"_s << u"    code()"_s;
        QTest::addRow("blank lines inside kept") << u"a\n\n\nb"_s << u"a\n\n\nb"_s;
        QTest::addRow("trailing spaces") << u"done   "_s << u"done"_s;
        QTest::addRow("only blank") << u"\n \n"_s << QString();
    }

    void composedTextLosesBlankEdges() {
        QFETCH(QString, typed);
        QFETCH(QString, sent);
        QCOMPARE(composedText(typed), sent);
    }

    void linkedTextLinksAddressesAndEscapesTheRest_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("links");
        QTest::addRow("none") << u"no links here"_s << QStringList{};
        QTest::addRow("https") << u"see https://example.org/a?b=1&c=2 now"_s
                               << QStringList{u"https://example.org/a?b=1&c=2"_s};
        QTest::addRow("http, sentence end")
            << u"It is at http://intra.lan/x."_s << QStringList{u"http://intra.lan/x"_s};
        QTest::addRow("www gets https")
            << u"www.example.org, or"_s << QStringList{u"https://www.example.org"_s};
        QTest::addRow("in brackets")
            << u"(see https://example.org/a)"_s << QStringList{u"https://example.org/a"_s};
        QTest::addRow("brackets of the address kept")
            << u"https://en.wikipedia.org/wiki/C_(language)"_s
            << QStringList{u"https://en.wikipedia.org/wiki/C_(language)"_s};
        QTest::addRow("two") << u"https://a.org\nhttps://b.org"_s
                             << QStringList{u"https://a.org"_s, u"https://b.org"_s};
        QTest::addRow("scheme alone") << u"type https:// then"_s << QStringList{};
        QTest::addRow("other schemes stay text")
            << u"javascript:alert(1) file:///etc/passwd"_s << QStringList{};
        QTest::addRow("markup in an address stays out")
            << u"https://x.org/\"><b>bold</b>"_s << QStringList{u"https://x.org/"_s};
        QTest::addRow("mentions around a link")
            << u"@ann see https://x.org/@bob, @carol."_s << QStringList{u"https://x.org/@bob"_s};
    }

    void linkedTextLinksAddressesAndEscapesTheRest() {
        QFETCH(QString, text);
        QFETCH(QStringList, links);
        QTextDocument document;
        document.setHtml(linkedText(text));
        // Shown, the text is exactly what was sent: no markup of the sender's took effect.
        QCOMPARE(document.toPlainText().replace(QChar::Nbsp, u' ').replace(u'\u2029', u'\n'), text);
        QStringList found;
        for (auto block = document.begin(); block != document.end(); block = block.next()) {
            for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
                const auto format = fragment.fragment().charFormat();
                if (format.isAnchor()) {
                    found.append(format.anchorHref());
                }
            }
        }
        QCOMPARE(found, links);
    }

    // Links take the theme's colour, not the platform's blue (unreadable on a dark bubble).
    void linkedTextColoursLinks() {
        QTextDocument document;
        document.setHtml(linkedText(u"at https://example.org"_s, u"#a8c7fa"_s));
        bool sawLink = false;
        for (auto fragment = document.begin().begin(); !fragment.atEnd(); ++fragment) {
            const auto format = fragment.fragment().charFormat();
            if (format.isAnchor()) {
                sawLink = true;
                QCOMPARE(format.foreground().color(), QColor(u"#a8c7fa"_s));
            }
        }
        QVERIFY(sawLink);
    }

    void mentionedNamesFindsEveryAtName_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("names");
        QTest::addRow("none") << u"no one"_s << QStringList{};
        QTest::addRow("start and middle")
            << u"@ann and @bob_2"_s << QStringList{u"ann"_s, u"bob_2"_s};
        QTest::addRow("sentence end") << u"ask @ann.b."_s << QStringList{u"ann.b"_s};
        QTest::addRow("punctuation after") << u"(@ann), @bob!"_s << QStringList{u"ann"_s, u"bob"_s};
        QTest::addRow("e-mail is not a mention") << u"mail ann@example.org"_s << QStringList{};
        QTest::addRow("@ alone") << u"meet @ 5"_s << QStringList{};
        QTest::addRow("double @") << u"@@ann"_s << QStringList{};
        QTest::addRow("after a line break") << u"hi\n@ann"_s << QStringList{u"ann"_s};
    }

    void mentionedNamesFindsEveryAtName() {
        QFETCH(QString, text);
        QFETCH(QStringList, names);
        QCOMPARE(mentionedNames(text), names);
    }

    void mentionsUserIgnoresCase() {
        QVERIFY(mentionsUser(u"thanks @Ann!"_s, u"ann"_s));
        QVERIFY(!mentionsUser(u"thanks @anna"_s, u"ann"_s));
        QVERIFY(!mentionsUser(u"thanks ann"_s, u"ann"_s));
        QVERIFY(!mentionsUser(u"@ann"_s, QString()));
    }

    // Mentions stand out in bold; nothing else of the text does.
    void linkedTextShowsMentionsInBold() {
        QTextDocument document;
        document.setHtml(linkedText(u"hi @ann and @bob. <b>no</b>"_s));
        QStringList bold;
        for (auto fragment = document.begin().begin(); !fragment.atEnd(); ++fragment) {
            if (fragment.fragment().charFormat().fontWeight() >= QFont::Bold) {
                bold.append(fragment.fragment().text());
            }
        }
        QCOMPARE(bold, (QStringList{u"@ann"_s, u"@bob"_s}));
    }

    void linkedTextKeepsSpacingAndLines() {
        QTextDocument document;
        document.setHtml(linkedText(u"  two  spaces\n<b>x</b> & \"y\"\n\nend"_s));
        QCOMPARE(document.toPlainText().replace(QChar::Nbsp, u' ').replace(u'\u2029', u'\n'),
                 u"  two  spaces\n<b>x</b> & \"y\"\n\nend"_s);
    }
};

QTEST_MAIN(TestMessageText)
#include "tst_messagetext.moc"
