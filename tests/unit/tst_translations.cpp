// SPDX-License-Identifier: MIT
// The translations of chat-desktop and chat-cli: complete in the .ts files, and the desktop's
// embedded in its binary (chat-cli's is checked by running it, in tst_cli).
#include "servererror.h"
#include "uitranslation.h"

#include <QCoreApplication>

#include <QFile>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyStringIsTranslated_data() {
        QTest::addColumn<QString>("tsFile");
        const QStringList files = QStringLiteral(NEONCHAT_TS_FILES).split(u'|');
        for (const QString &file : files) {
            QTest::addRow("%s", qPrintable(file.section(u'/', -1))) << file;
        }
    }

    void everyStringIsTranslated() {
        QFETCH(QString, tsFile);
        QFile file(tsFile);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(tsFile));
        QXmlStreamReader xml(&file);
        QString source;
        int messages = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement) {
                continue;
            }
            if (xml.name() == "source"_L1) {
                source = xml.readElementText();
            } else if (xml.name() == "translation"_L1) {
                const QString type = xml.attributes().value("type"_L1).toString();
                // Plural forms are child elements; each must have a text.
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                QVERIFY2(type != "unfinished"_L1 && !text.isEmpty(),
                         qPrintable(u"not translated: %1"_s.arg(source)));
                ++messages;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 0);
    }

    void russianIsEmbeddedAndLoadsForRussianLocale() {
        QTranslator translator;
        QVERIFY(neonchat::desktop::loadUiTranslation(translator, QLocale(QLocale::Russian)));
        QCOMPARE(translator.translate("LoginPage", "Log in"), u"Войти"_s);
    }

    // Every error code the server answers with reads in the user's language; the specifics of a
    // refused request follow in the server's words; an unknown code is the server's sentence.
    void serverErrorsAreTranslated_data() {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("russian");
        QTest::addRow("forbidden") << u"forbidden"_s << u"Вам нельзя этого сделать."_s;
        QTest::addRow("rate_limited")
            << u"rate_limited"_s << u"Слишком много попыток. Попробуйте через минуту."_s;
        QTest::addRow("invalid_message")
            << u"invalid_message"_s << u"Сервер не принял сообщение. (text is empty)"_s;
        QTest::addRow("unknown") << u"new_code"_s << u"text is empty"_s;
    }

    void serverErrorsAreTranslated() {
        QFETCH(QString, code);
        QFETCH(QString, russian);
        QTranslator translator;
        QVERIFY(neonchat::desktop::loadUiTranslation(translator, QLocale(QLocale::Russian)));
        QVERIFY(QCoreApplication::installTranslator(&translator));
        const QString shown = neonchat::desktop::serverErrorText(code, u"text is empty"_s);
        QVERIFY(QCoreApplication::removeTranslator(&translator));
        QCOMPARE(shown, russian);
        QVERIFY(neonchat::desktop::serverErrorText(code, u"text is empty"_s) != russian ||
                code == "new_code"_L1);
    }

    void englishNeedsNoTranslation() {
        QTranslator translator;
        QVERIFY(!neonchat::desktop::loadUiTranslation(translator, QLocale(QLocale::English)));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
