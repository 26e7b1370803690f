// SPDX-License-Identifier: MIT
// chat-desktop started for real on the offscreen platform against the real server.
#include "serverprocess.h"
#include "testclient.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

class TestDesktop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void joinsTheLobbyAndRendersIt() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        TestClient alice;
        QVERIFY(!alice.join(server.wsUrl(u"name=alice"_s)).isEmpty());
        alice.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "hello desktop"_L1}});
        QVERIFY(!alice.waitFor(u"message_sent"_s).isEmpty());

        QTemporaryDir dir;
        const QString png = dir.filePath(u"lobby.png"_s);
        QProcess desktop;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        desktop.setProcessEnvironment(env);
        desktop.start(QStringLiteral(NEONCHAT_CHAT_DESKTOP_PATH),
                      {u"--server"_s, server.wsUrl().toString(), u"--name"_s, u"desk"_s,
                       u"--screenshot"_s, png});
        QVERIFY2(desktop.waitForFinished(60000), "chat-desktop did not finish");
        QVERIFY2(desktop.exitCode() == 0, desktop.readAllStandardError().constData());

        // It joined as a guest and asked for the lobby's history before rendering.
        QTRY_VERIFY(server.log().contains(u"user=desk guest=true"_s));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(720, 540));
    }

    void refusedJoinExitsWithError() {
        ServerProcess server;
        QVERIFY2(server.start({u"--allow-guests"_s, u"false"_s}), qPrintable(server.log()));
        QTemporaryDir dir;
        QProcess desktop;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        desktop.setProcessEnvironment(env);
        desktop.start(QStringLiteral(NEONCHAT_CHAT_DESKTOP_PATH),
                      {u"--server"_s, server.wsUrl().toString(), u"--name"_s, u"desk"_s,
                       u"--screenshot"_s, dir.filePath(u"x.png"_s)});
        QVERIFY(desktop.waitForFinished(60000));
        QCOMPARE(desktop.exitCode(), 1);
        QVERIFY(desktop.readAllStandardError().contains("guests are not allowed"));
    }
};

QTEST_GUILESS_MAIN(TestDesktop)
#include "tst_desktop.moc"
