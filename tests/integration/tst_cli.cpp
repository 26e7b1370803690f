// SPDX-License-Identifier: MIT
// chat-cli driven through stdin/stdout as a user or a script would, against the real server.
#include "serverprocess.h"
#include "testclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
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
                                  u"--name"_s, u"alice"_s, u"--no-reconnect"_s});
        QByteArray err;
        QTRY_VERIFY((err += cli.readAllStandardError()).contains("connected"));
        QCOMPARE(shortLived.terminate(), 0);
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 3);
        QVERIFY((err + cli.readAllStandardError()).contains("server shutting down"));
    }

    void accountCommandsRegisterLogInSendAndReadHistory() {
        QTemporaryDir config;
        QVERIFY(config.isValid());
        const QString server = m_server.httpUrl(QString()).toString();
        auto run = [&](const QStringList &arguments, const QByteArray &input = {}) {
            auto process = std::make_unique<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"XDG_CONFIG_HOME"_s, config.path());
            process->setProcessEnvironment(env);
            process->start(chatCliPath(), arguments);
            process->write(input);
            process->closeWriteChannel();
            if (!process->waitForFinished(30000)) {
                process->kill();
            }
            return process;
        };
        const QStringList account{u"--server"_s, server, u"--user"_s, u"clara"_s,
                                  u"--password-stdin"_s};

        // Not logged in yet: one-shot commands say so.
        auto early = run({u"send"_s, u"--chat"_s, u"lobby"_s, u"too early"_s});
        QCOMPARE(early->exitCode(), 4);
        QVERIFY(early->readAllStandardError().contains("login"));

        QCOMPARE(run(QStringList{u"register"_s} + account, "clara's password\n")->exitCode(), 0);
        auto taken = run(QStringList{u"register"_s} + account, "another password\n");
        QCOMPARE(taken->exitCode(), 5);
        QVERIFY(taken->readAllStandardError().contains("taken"));
        QCOMPARE(run(QStringList{u"login"_s} + account, "wrong password\n")->exitCode(), 4);
        QCOMPARE(run(QStringList{u"login"_s} + account, "clara's password\n")->exitCode(), 0);
        const QString sessionFile = config.filePath(u"NeonChat/chat-cli/session.json"_s);
        QVERIFY(QFile::exists(sessionFile));
        QCOMPARE(QFile::permissions(sessionFile) &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());

        TestClient watcher;
        QVERIFY(!watcher.join(m_server.wsUrl(u"name=watcher"_s)).isEmpty());
        auto sent =
            run({u"send"_s, u"--chat"_s, u"lobby"_s, u"hello from a script"_s, u"--json"_s});
        QVERIFY2(sent->exitCode() == 0, sent->readAllStandardError().constData());
        const QJsonObject ack = QJsonDocument::fromJson(sent->readAllStandardOutput()).object();
        QCOMPARE(ack.value("text"_L1).toString(), u"hello from a script"_s);
        QCOMPARE(ack.value("sender"_L1).toString(), u"clara"_s);
        const QJsonObject received = watcher.waitFor(u"new_message"_s);
        QCOMPARE(received["message"_L1]["id"_L1], ack.value("id"_L1));

        auto history =
            run({u"history"_s, u"--chat"_s, u"lobby"_s, u"--limit"_s, u"5"_s, u"--json"_s});
        QCOMPARE(history->exitCode(), 0);
        const QList<QByteArray> lines = history->readAllStandardOutput().trimmed().split('\n');
        QVERIFY(!lines.isEmpty() && lines.size() <= 5);
        for (const QByteArray &line : lines) {
            QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        }
        QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value("id"_L1), ack.value("id"_L1));
        auto readable = run({u"history"_s, u"--chat"_s, u"lobby"_s, u"--limit"_s, u"1"_s});
        QVERIFY(readable->readAllStandardOutput().contains("clara: hello from a script"));

        auto stranger = run({u"history"_s, u"--chat"_s, u"00000000-0000-4000-8000-00000000abcd"_s});
        QCOMPARE(stranger->exitCode(), 5);
        auto tooLong = run({u"send"_s, u"--chat"_s, u"lobby"_s, QString(5000, u'x')});
        QCOMPARE(tooLong->exitCode(), 5);
    }

private:
    ServerProcess m_server;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
