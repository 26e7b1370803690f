// SPDX-License-Identifier: MIT
// What the desktop keeps of how it looks between runs: the theme, and the window's size and
// place (its normal size when it was closed maximized; nothing off every screen).
#include "appearance.h"

#include <QGuiApplication>
#include <QScreen>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

using namespace Qt::StringLiterals;
using neonchat::desktop::Appearance;

class TestAppearance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(u"NeonChat"_s);
        QCoreApplication::setApplicationName(u"tst_appearance"_s);
    }

    void themeIsKept() {
        Appearance().setTheme(Appearance::Theme::Dark);
        QCOMPARE(Appearance().theme(), Appearance::Theme::Dark);
        Appearance().overrideTheme(Appearance::Theme::Light); // this run only
        QCOMPARE(Appearance().theme(), Appearance::Theme::Dark);
    }

    void windowOpensWhereItWasClosed() {
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        const QRect closedAt(screen.x() + 40, screen.y() + 30, screen.width() / 2,
                             screen.height() / 2);
        {
            QWindow window;
            window.setGeometry(closedAt);
            Appearance().rememberWindow(window);
        }
        QWindow reopened;
        reopened.resize(960, 640);
        Appearance().restoreWindow(reopened);
        QCOMPARE(reopened.geometry(), closedAt);
        QVERIFY(!reopened.windowStates().testFlag(Qt::WindowMaximized));
    }

    void maximizedComesBackMaximizedWithItsNormalSize() {
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        const QRect normal(screen.x() + 10, screen.y() + 10, 500, 400);
        {
            QWindow window;
            window.setGeometry(normal);
            Appearance().rememberWindow(window);
            window.setWindowStates(Qt::WindowMaximized);
            window.setGeometry(screen);
            Appearance().rememberWindow(window);
        }
        QWindow reopened;
        Appearance().restoreWindow(reopened);
        QVERIFY(reopened.windowStates().testFlag(Qt::WindowMaximized));
        QCOMPARE(reopened.geometry(), normal);
    }

    // Closed on a screen that is gone: the window opens where the system puts it.
    void offScreenPlaceIsIgnored() {
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        {
            QWindow window;
            window.setGeometry(screen.right() + 2000, screen.bottom() + 2000, 600, 400);
            Appearance().rememberWindow(window);
        }
        QWindow reopened;
        const QRect before(screen.x() + 5, screen.y() + 5, 700, 500);
        reopened.setGeometry(before);
        Appearance().restoreWindow(reopened);
        QCOMPARE(reopened.geometry(), before);
    }

private:
    QTemporaryDir m_config;
};

QTEST_MAIN(TestAppearance)
#include "tst_appearance.moc"
