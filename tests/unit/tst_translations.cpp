// SPDX-License-Identifier: MIT
// The translations of chat-desktop and chat-cli: complete in the .ts files, and the desktop's
// embedded in its binary (chat-cli's is checked by running it, in tst_cli).
#include "uitranslation.h"

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

    void englishNeedsNoTranslation() {
        QTranslator translator;
        QVERIFY(!neonchat::desktop::loadUiTranslation(translator, QLocale(QLocale::English)));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
