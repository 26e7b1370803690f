// SPDX-License-Identifier: MIT
// chat-cli driven through stdin/stdout as a user or a script would, against the real server.
#include "serverprocess.h"
#include "testclient.h"

#include <QProcess>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"50"_s}), qPrintable(m_server.log()));
    }

    void pipedLinesReachOthersAndExitZero() {
        TestClient bob;
        QVERIFY(!bob.join(m_server.wsUrl(u"name=bob"_s)).isEmpty());

        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, m_server.wsUrl().toString(),
                                  u"--name"_s, u"alice"_s});
        QVERIFY(cli.waitForStarted());
        // More lines than the burst allows: the client paces itself to the server's rate.
        QByteArray input;
        constexpr int lines = 120;
        for (int i = 0; i < lines; ++i) {
            input += "line " + QByteArray::number(i) + " — ünïcode\n";
        }
        cli.write(input);
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

        // Exit 0 came after every line was acknowledged, so bob has them all, in order.
        QTRY_COMPARE(bob.framesOfType(u"new_message"_s).size(), lines);
        const QList<QJsonObject> received = bob.framesOfType(u"new_message"_s);
        for (int i = 0; i < lines; ++i) {
            QCOMPARE(received[i]["message"_L1]["text"_L1].toString(),
                     u"line %1 — ünïcode"_s.arg(i));
            QCOMPARE(received[i]["message"_L1]["sender"_L1].toString(), u"alice"_s);
        }
    }

    void othersMessagesArePrintedAsReadableLines() {
        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, m_server.wsUrl().toString(),
                                  u"--name"_s, u"reader"_s});
        QVERIFY(cli.waitForStarted());
        QByteArray err;
        QTRY_VERIFY((err += cli.readAllStandardError()).contains("connected"));

        TestClient carol;
        QVERIFY(!carol.join(m_server.wsUrl(u"name=carol"_s)).isEmpty());
        carol.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "hi reader"_L1}});
        QByteArray out;
        QTRY_VERIFY((out += cli.readAllStandardOutput()).contains("carol: hi reader"));
        QVERIFY2(QRegularExpression(u"^\\[\\d\\d:\\d\\d:\\d\\d\\] carol: hi reader$"_s,
                                    QRegularExpression::MultilineOption)
                     .match(QString::fromUtf8(out))
                     .hasMatch(),
                 out.constData());
        // No colour codes when stdout is not a terminal.
        QVERIFY(!out.contains('\x1b'));

        ::kill(static_cast<pid_t>(cli.processId()), SIGTERM);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 0);
    }

    void failuresHaveDistinctExitCodes_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("no command") << QStringList{} << 2 << u"command"_s;
        QTest::addRow("missing name") << QStringList{u"connect"_s} << 2 << u"--name"_s;
        QTest::addRow("bad address")
            << QStringList{u"connect"_s, u"--addr"_s, u"http://x"_s, u"--name"_s, u"a"_s} << 2
            << u"ws://"_s;
        QTest::addRow("unreachable")
            << QStringList{u"connect"_s, u"--addr"_s, u"ws://127.0.0.1:1/ws"_s, u"--name"_s, u"a"_s}
            << 3 << u"cannot connect"_s;
    }

    void failuresHaveDistinctExitCodes() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QProcess cli;
        cli.start(chatCliPath(), arguments);
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(15000));
        QCOMPARE(cli.exitCode(), exitCode);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }

    void refusedSessionExitsWithAuthCode() {
        ServerProcess noGuests;
        QVERIFY2(noGuests.start({u"--allow-guests"_s, u"false"_s}), qPrintable(noGuests.log()));
        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, noGuests.wsUrl().toString(),
                                  u"--name"_s, u"alice"_s});
        QVERIFY(cli.waitForFinished(15000));
        QCOMPARE(cli.exitCode(), 4);
        QVERIFY(cli.readAllStandardError().contains("guests are not allowed"));
    }

    void rejectedLineSetsExitCodeButOthersAreSent() {
        TestClient watcher;
        QVERIFY2(!watcher.join(m_server.wsUrl(u"name=watcher"_s)).isEmpty(),
                 qPrintable(m_server.log().right(4000)));
        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, m_server.wsUrl().toString(),
                                  u"--name"_s, u"writer"_s});
        QVERIFY(cli.waitForStarted());
        cli.write("before\n" + QByteArray(5000, 'x') + "\nafter\n");
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(15000));
        QCOMPARE(cli.exitCode(), 5);
        QTRY_COMPARE(watcher.framesOfType(u"new_message"_s).size(), 2);
        QCOMPARE(watcher.framesOfType(u"new_message"_s)[1]["message"_L1]["text"_L1].toString(),
                 u"after"_s);
    }

    void serverShutdownEndsTheSessionWithUnreachableCode() {
        ServerProcess shortLived;
        QVERIFY2(shortLived.start(), qPrintable(shortLived.log()));
        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, shortLived.wsUrl().toString(),
                                  u"--name"_s, u"alice"_s});
        QByteArray err;
        QTRY_VERIFY((err += cli.readAllStandardError()).contains("connected"));
        QCOMPARE(shortLived.terminate(), 0);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 3);
        QVERIFY((err + cli.readAllStandardError()).contains("server shutting down"));
    }

private:
    ServerProcess m_server;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
