// SPDX-License-Identifier: MIT
// The words message search indexes and looks for, and the snippet around a match.
#include "store/searchtext.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::server;

class TestSearchText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void words_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("english") << u"Deploy THE build."_s
                                 << QStringList{u"deploy"_s, u"the"_s, u"build"_s};
        QTest::addRow("russian, ё as е")
            << u"Ёжик в тумане, ЁЛКА!"_s << QStringList{u"ежик"_s, u"в"_s, u"тумане"_s, u"елка"_s};
        QTest::addRow("host and mail split")
            << u"see example.com or bob@mail.org"_s
            << QStringList{u"see"_s, u"example"_s, u"com"_s, u"or"_s,
                           u"bob"_s, u"mail"_s,    u"org"_s};
        QTest::addRow("digits stay in words")
            << u"v2 build-42"_s << QStringList{u"v2"_s, u"build"_s, u"42"_s};
        QTest::addRow("combining marks belong to the word")
            << u"निर्माण कार्य"_s << QStringList{u"निर्माण"_s, u"कार्य"_s};
        QTest::addRow("decomposed й is composed") << u"и\u0306од"_s << QStringList{u"йод"_s};
        QTest::addRow("full-width letters") << u"ＡＢＣ"_s << QStringList{u"abc"_s};
        QTest::addRow("emoji are not words") << u"ship it 🚀🚀"_s << QStringList{u"ship"_s, u"it"_s};
        QTest::addRow("nothing") << u" ,.; "_s << QStringList{};
        // Simple case folding, as Qt has it: one character stays one.
        QTest::addRow("sharp s stays") << u"STRAßE"_s << QStringList{u"straße"_s};
    }

    void words() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QCOMPARE(search::words(text), expected);
        QCOMPARE(search::indexedText(text), expected.join(u' '));
        QVERIFY(!search::indexedText(text).isNull()); // bound as NULL otherwise
    }

    void snippet_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QString>("expected");
        const QString before = QString(300, u'a') + u" needle "_s;
        const QString after = QString(300, u'b');
        QTest::addRow("short text whole")
            << u"a short one"_s << QStringList{u"one"_s} << u"a short one"_s;
        QTest::addRow("around the match") << before + after << QStringList{u"needle"_s}
                                          << u"…"_s + (before + after).mid(301 - 80, 238) + u"…"_s;
        QTest::addRow("no match: the start")
            << QString(500, u'x') << QStringList{u"absent"_s} << QString(239, u'x') + u"…"_s;
        QTest::addRow("match at the end")
            << QString(500, u'x') + u" tail"_s << QStringList{u"tail"_s}
            << u"…"_s + (QString(500, u'x') + u" tail"_s).right(239);
        QTest::addRow("case and ё do not hide the match")
            << QString(300, u'z') + u" ЁЖИК"_s + QString(300, u'z') << QStringList{u"ежик"_s}
            << u"…"_s + (QString(300, u'z') + u" ЁЖИК"_s + QString(300, u'z')).mid(301 - 80, 238) +
                   u"…"_s;
    }

    void snippet() {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        QFETCH(QString, expected);
        const QString snippet = search::snippet(text, words);
        QCOMPARE(snippet, expected);
        QVERIFY(snippet.size() <= 240);
    }

    void snippetNeverSplitsASurrogatePair() {
        QString text;
        for (int i = 0; i < 300; ++i) {
            text += u"😀"_s;
        }
        for (int at : {0, 1, 2, 3}) {
            const QString cut = search::snippet(QString(at, u'x') + text, {});
            QVERIFY(cut.isValidUtf16());
            QVERIFY(cut.size() <= 240);
        }
    }
};

QTEST_GUILESS_MAIN(TestSearchText)
#include "tst_searchtext.moc"
