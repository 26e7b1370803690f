// SPDX-License-Identifier: MIT
// The tray icon's badge and tooltip, and the tray object where no tray exists (the offscreen
// platform has none): it says so and takes counts without showing anything.
#include "trayicon.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::desktop::TrayIcon;
using neonchat::desktop::trayToolTip;
using neonchat::desktop::withUnreadBadge;

class TestTrayIcon : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badgeShowsOnlyWithUnreadMessages_data() {
        QTest::addColumn<qint64>("unread");
        QTest::addColumn<bool>("badge");
        QTest::addRow("none") << qint64{0} << false;
        QTest::addRow("one") << qint64{1} << true;
        QTest::addRow("over 99") << qint64{1234} << true;
    }

    void badgeShowsOnlyWithUnreadMessages() {
        QFETCH(qint64, unread);
        QFETCH(bool, badge);
        QImage icon(64, 64, QImage::Format_ARGB32_Premultiplied);
        icon.fill(QColor(u"#00796b"_s));
        const QImage shown = withUnreadBadge(icon, unread);
        QCOMPARE(shown.size(), icon.size());
        // The badge is red above its count in the lower right corner; the upper left stays the
        // icon.
        const QColor corner = shown.pixelColor(46, 31);
        QCOMPARE(corner.red() > 200 && corner.green() < 80, badge);
        QCOMPARE(shown.pixelColor(8, 8), QColor(u"#00796b"_s));
        // The count is written on it: white pixels inside the badge.
        bool white = false;
        for (int y = 40; y < 64 && !white; ++y) {
            for (int x = 40; x < 64 && !white; ++x) {
                white = shown.pixelColor(x, y).lightness() > 230;
            }
        }
        QCOMPARE(white, badge);
    }

    void toolTipCountsUnread() {
        QCOMPARE(trayToolTip(0), u"NeonChat"_s);
        QCOMPARE(trayToolTip(1), u"NeonChat: 1 unread"_s);
        QCOMPARE(trayToolTip(250), u"NeonChat: 250 unread"_s);
    }

    void withoutATrayNothingIsShown() {
        TrayIcon tray;
        QVERIFY(!tray.available());
        tray.setUnread(3);
        QCOMPARE(tray.unread(), 3);
        QSignalSpy muted(&tray, &TrayIcon::allMutedChanged);
        tray.setAllMuted(true);
        tray.setAllMuted(true);
        QCOMPARE(muted.size(), 1);
        QVERIFY(tray.allMuted());
        tray.showMessage(u"title"_s, u"text"_s); // nothing to show it on: no crash either
    }
};

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
