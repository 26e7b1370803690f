// SPDX-License-Identifier: MIT
// chat-cli driven through stdin/stdout as a user or a script would, against the real server.
#include "accounts.h"
#include "http.h"
#include "protocol/protocol.h"
#include "selfsigned.h"
#include "serverprocess.h"
#include "tcprelay.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

// One user of chat-cli: runs it with a config directory of its own, where login keeps the session.
class CliUser {
public:
    // Starts chat-cli; stdin stays open for the test to write.
    [[nodiscard]] std::unique_ptr<QProcess> start(const QStringList &arguments) const {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
        process->setProcessEnvironment(env);
        process->start(chatCliPath(), arguments);
        return process;
    }

    // Runs chat-cli to its end with this input.
    [[nodiscard]] std::unique_ptr<QProcess> run(const QStringList &arguments,
                                                const QByteArray &input = {}) const {
        auto process = start(arguments);
        process->write(input);
        process->closeWriteChannel();
        if (!process->waitForFinished(30000)) {
            process->kill();
            process->waitForFinished();
        }
        return process;
    }

    // Registers an account through the API and logs this user in with chat-cli.
    [[nodiscard]] std::optional<TestAccount> logIn(const ServerProcess &server,
                                                   const QString &username) const {
        auto account = createAccount(server, username);
        if (!account) {
            return std::nullopt;
        }
        const auto login = run({u"login"_s, u"--server"_s, server.httpUrl(QString()).toString(),
                                u"--user"_s, username, u"--password-stdin"_s},
                               "password-of-" + username.toUtf8() + '\n');
        if (login->exitCode() != 0) {
            return std::nullopt;
        }
        return account;
    }

    [[nodiscard]] QString configPath() const { return m_config.path(); }

private:
    QTemporaryDir m_config;
};

// Reads a process's output until it holds `wanted` or time runs out; everything read stays in
// `seen`.
bool waitForOutput(QProcess &process, QByteArray &seen, QByteArrayView wanted,
                   QProcess::ProcessChannel channel = QProcess::StandardError) {
    process.setReadChannel(channel);
    QDeadlineTimer deadline(20000);
    while (!seen.contains(wanted)) {
        if (deadline.hasExpired() ||
            (process.state() == QProcess::NotRunning && !process.bytesAvailable())) {
            return false;
        }
        process.waitForReadyRead(100);
        seen += process.readAll();
    }
    return true;
}

// A guest chat-cli connected through a relay, interrupted while its one line is stored but the
// acknowledgement is held back in the relay. The relay runs in this process's event loop, so
// every wait here keeps it turning.
struct LineInFlight {
    explicit LineInFlight(ServerProcess &server)
        : server(server)
        , relay(server.port()) {}

    [[nodiscard]] bool said(QByteArrayView text) {
        stderrText += cli.readAllStandardError();
        return stderrText.contains(text);
    }

    [[nodiscard]] bool interrupt(int signalNumber) {
        if (!relay.listen()) {
            return false;
        }
        cli.start(chatCliPath(),
                  {u"connect"_s, u"--addr"_s, u"ws://127.0.0.1:%1/ws"_s.arg(relay.port()),
                   u"--name"_s, u"patient"_s});
        if (!QTest::qWaitFor([&] { return said("connected"); }, 20000) ||
            watcher.join(server.wsUrl(u"name=watcher"_s)).isEmpty()) {
            return false;
        }
        relay.setHeld(true);
        cli.write("a line in flight\n");
        if (watcher.waitFor(u"new_message"_s).isEmpty()) {
            return false;
        }
        ::kill(static_cast<pid_t>(cli.processId()), signalNumber);
        return QTest::qWaitFor([&] { return said("waiting for 1 line"); }, 10000);
    }

    ServerProcess &server;
    TcpRelay relay;
    QProcess cli;
    TestClient watcher;
    QByteArray stderrText;
};

// The texts of a chat's newest messages as the server stores them, oldest first.
QStringList storedTexts(const ServerProcess &server, const TestAccount &reader,
                        const QString &chatId) {
    QStringList texts;
    const HttpResult history = httpGet(
        server.httpUrl(u"/api/v1/chats/%1/messages?limit=200"_s.arg(chatId)), bearer(reader.token));
    for (const QJsonValue &message : history.json().value("messages"_L1).toArray()) {
        texts.append(message["text"_L1].toString());
    }
    return texts;
}

} // namespace

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
        QTest::addRow("invisible name")
            << QStringList{u"connect"_s, u"--name"_s, u"alice\u3164"_s} << 2 << u"invisible"_s;
        QTest::addRow("name too long")
            << QStringList{u"connect"_s, u"--name"_s, QString(51, u'n')} << 2 << u"at most 50"_s;
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

    void messagesFollowTheUsersLanguage_data() {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("expected");
        QTest::addRow("Russian") << u"ru_RU.UTF-8"_s
                                 << u"connect требует --name ИМЯ (гость) или --user ИМЯ"_s;
        QTest::addRow("English") << u"C"_s << u"connect needs --name NAME (a guest)"_s;
    }

    void messagesFollowTheUsersLanguage() {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LC_ALL"_s, locale);
        cli.setProcessEnvironment(env);
        cli.start(chatCliPath(), {u"connect"_s});
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitCode(), 2);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains(expected), qPrintable(err));
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

    void accountSessionsTalkInADirectChatAndARoom() {
        CliUser alice, bob;
        const auto aliceAccount = alice.logIn(m_server, u"term_alice"_s);
        const auto bobAccount = bob.logIn(m_server, u"term_bob"_s);
        QVERIFY(aliceAccount && bobAccount);

        // Terminal two: bob is connected and waiting.
        auto bobCli = bob.start({u"connect"_s, u"--user"_s, u"term_bob"_s});
        QByteArray bobErr;
        QVERIFY2(waitForOutput(*bobCli, bobErr, "connected"), bobErr.constData());

        // Terminal one: alice, as a script would drive her.
        auto aliceCli =
            alice.run({u"connect"_s, u"--user"_s, u"term_alice"_s}, "/dm term_bob\n"
                                                                    "hello bob\n"
                                                                    "/join cli-room\n"
                                                                    "//slash in the room\n"
                                                                    "/who\n"
                                                                    "/chats\n"
                                                                    "/switch @term_bob\n"
                                                                    "/history 1\n");
        const QByteArray aliceErr = aliceCli->readAllStandardError();
        QVERIFY2(aliceCli->exitCode() == 0, aliceErr.constData());
        const QString aliceOut = QString::fromUtf8(aliceCli->readAllStandardOutput());
        QVERIFY(aliceErr.contains("now in @term_bob"));
        QVERIFY(aliceErr.contains("created room #cli-room"));
        QVERIFY2(aliceOut.contains(u"term_alice (online)"_s), qPrintable(aliceOut)); // /who
        for (const QString &chat : {u"lobby"_s, u"@term_bob"_s, u"#cli-room"_s}) {   // /chats
            QVERIFY2(aliceOut.contains(chat), qPrintable(aliceOut));
        }
        QVERIFY(aliceOut.trimmed().endsWith(u"term_alice: hello bob"_s)); // /history 1

        // Bob is in the lobby: alice's direct message is shown with where it belongs.
        QByteArray bobOut;
        QVERIFY2(waitForOutput(*bobCli, bobOut, "[@term_alice]", QProcess::StandardOutput),
                 bobOut.constData());
        QVERIFY(bobOut.contains("term_alice: hello bob"));
        bobCli->write("/switch term_alice\nhi alice\n/quit\nnot sent after quit\n");
        bobCli->closeWriteChannel();
        QVERIFY(bobCli->waitForFinished(20000));
        QVERIFY2(bobCli->exitCode() == 0, bobCli->readAllStandardError().constData());

        const QString directId =
            httpPostJson(m_server.httpUrl(u"/api/v1/chats"_s), {{"partner_id"_L1, bobAccount->id}},
                         bearer(aliceAccount->token))
                .json()
                .value("id"_L1)
                .toString();
        QCOMPARE(storedTexts(m_server, *aliceAccount, directId),
                 (QStringList{u"hello bob"_s, u"hi alice"_s}));

        // --json: the command outputs are objects a script can parse.
        auto json = alice.run({u"connect"_s, u"--user"_s, u"term_alice"_s, u"--json"_s},
                              "/chats\n/rooms\n/switch cli-room\n/who\n/history\n");
        QCOMPARE(json->exitCode(), 0);
        QSet<QString> kinds;
        bool roomMessageSeen = false;
        for (const QByteArray &line : json->readAllStandardOutput().trimmed().split('\n')) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            QVERIFY2(!object.isEmpty(), line.constData());
            kinds.insert(object.value("kind"_L1).toString());
            roomMessageSeen |= object.value("text"_L1).toString() == u"/slash in the room"_s;
        }
        QVERIFY(kinds.contains(u"direct"_s) && kinds.contains(u"room"_s));
        QVERIFY(roomMessageSeen);

        // A command that fails says so and sets the exit status; the session goes on.
        auto failing = alice.run({u"connect"_s, u"--user"_s, u"term_alice"_s},
                                 "/dm nobody_by_this_name\n/nonsense\nstill sent\n");
        QCOMPARE(failing->exitCode(), 5);
        const QByteArray failingErr = failing->readAllStandardError();
        QVERIFY(failingErr.contains("no user called nobody_by_this_name"));
        QVERIFY(failingErr.contains("unknown command /nonsense"));
        QCOMPARE(storedTexts(m_server, *aliceAccount, QString(neonchat::protocol::kLobbyId)).last(),
                 u"still sent"_s);

        // Another user's session is not taken for one's own.
        auto wrongUser = alice.run({u"connect"_s, u"--user"_s, u"term_bob"_s});
        QCOMPARE(wrongUser->exitCode(), 4);
        QVERIFY(wrongUser->readAllStandardError().contains("logged in as term_alice"));
    }

    void messageActionsFromTheTerminal() {
        CliUser alice, bob, stranger;
        const auto aliceAccount = alice.logIn(m_server, u"act_alice"_s);
        const auto bobAccount = bob.logIn(m_server, u"act_bob"_s);
        const auto strangerAccount = stranger.logIn(m_server, u"act_stranger"_s);
        QVERIFY(aliceAccount && bobAccount && strangerAccount);
        auto bobCli = bob.start({u"connect"_s, u"--user"_s, u"act_bob"_s});
        QByteArray bobErr;
        QVERIFY2(waitForOutput(*bobCli, bobErr, "connected"), bobErr.constData());

        // Numbers count back from the newest message shown: a script's own lines count.
        auto aliceCli =
            alice.run({u"connect"_s, u"--user"_s, u"act_alice"_s}, "/dm act_bob\n"
                                                                   "lunch at noon?\n"
                                                                   "typo here\n"
                                                                   "/reply 2 or at one\n"
                                                                   "/edit 1 or at one, rather\n"
                                                                   "/delete 2\n"
                                                                   "/react 3 🎉\n"
                                                                   "/react 9 👍\n"
                                                                   "/history 3\n");
        const QString aliceErr = QString::fromUtf8(aliceCli->readAllStandardError());
        QCOMPARE(aliceCli->exitCode(), 5); // /react 9: there is no ninth message
        QVERIFY2(aliceErr.contains(u"9 is not a message number here"_s), qPrintable(aliceErr));
        const QStringList history =
            QString::fromUtf8(aliceCli->readAllStandardOutput()).trimmed().split(u'\n');
        QVERIFY2(history.size() >= 4, qPrintable(history.join(u'\n')));
        const QStringList last = history.mid(history.size() - 4);
        QVERIFY2(last[0].endsWith(u"act_alice: lunch at noon?  🎉 1"_s), qPrintable(last[0]));
        QVERIFY2(last[1].endsWith(u"act_alice: (deleted)"_s), qPrintable(last[1]));
        QVERIFY2(last[2].endsWith(u"act_alice: > act_alice: lunch at noon?"_s),
                 qPrintable(last[2]));
        QCOMPARE(last[3], u"    or at one, rather (edited)"_s);

        // Bob sees each change as it happens, marked as a change of a line shown before.
        QByteArray bobOut;
        QVERIFY2(waitForOutput(*bobCli, bobOut, "🎉 1", QProcess::StandardOutput),
                 (bobOut + bobCli->readAllStandardError()).constData());
        const QString bobText = QString::fromUtf8(bobOut);
        QVERIFY2(bobText.contains(u"~ [@act_alice] "_s) && bobText.contains(u"(edited)"_s) &&
                     bobText.contains(u"act_alice: (deleted)"_s),
                 qPrintable(bobText));
        bobCli->closeWriteChannel();
        QVERIFY(bobCli->waitForFinished(20000));

        // One-shot commands for scripts.
        const QString directId =
            httpPostJson(m_server.httpUrl(u"/api/v1/chats"_s), {{"partner_id"_L1, bobAccount->id}},
                         bearer(aliceAccount->token))
                .json()
                .value("id"_L1)
                .toString();
        const QJsonArray stored =
            httpGet(m_server.httpUrl(u"/api/v1/chats/%1/messages"_s.arg(directId)),
                    bearer(aliceAccount->token))
                .json()
                .value("messages"_L1)
                .toArray();
        QCOMPARE(stored.size(), 3);
        const QString firstId = stored[0]["id"_L1].toString();
        auto edited =
            alice.run({u"edit"_s, u"--message"_s, firstId, u"lunch at noon!"_s, u"--json"_s});
        QCOMPARE(edited->exitCode(), 0);
        const QJsonObject editedJson =
            QJsonDocument::fromJson(edited->readAllStandardOutput()).object();
        QCOMPARE(editedJson.value("text"_L1).toString(), u"lunch at noon!"_s);
        QVERIFY(!editedJson.value("edited_at"_L1).isNull());
        auto notTheirs = stranger.run({u"delete"_s, u"--message"_s, firstId});
        QCOMPARE(notTheirs->exitCode(), 5);
        QVERIFY(notTheirs->readAllStandardError().contains("no such message"));
        auto deleted = alice.run({u"delete"_s, u"--message"_s, firstId});
        QCOMPARE(deleted->exitCode(), 0);
        QCOMPARE(alice.run({u"delete"_s})->exitCode(), 2);
        QCOMPARE(storedTexts(m_server, *aliceAccount, directId).first(), QString());
    }

    void filesFromTheTerminal() {
        CliUser alice, bob;
        const auto aliceAccount = alice.logIn(m_server, u"file_alice"_s);
        const auto bobAccount = bob.logIn(m_server, u"file_bob"_s);
        QVERIFY(aliceAccount && bobAccount);
        const QString chatId = directChat(m_server, *aliceAccount, *bobAccount);
        QVERIFY(!chatId.isEmpty());
        QTemporaryDir files;
        QVERIFY(files.isValid());
        const auto writeFile = [&files](const QString &name, const QByteArray &bytes) {
            QFile file(files.filePath(name));
            return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size()
                       ? file.fileName()
                       : QString();
        };
        const QByteArray plan = "1. coffee\n2. the plan\n"_ba.repeated(5000);
        const QString planPath = writeFile(u"plan for monday.txt"_s, plan);
        const QString answerPath = writeFile(u"answer.csv"_s, "yes,no\n1,0\n"_ba);
        QVERIFY(!planPath.isEmpty() && !answerPath.isEmpty());

        auto bobCli = bob.start({u"connect"_s, u"--user"_s, u"file_bob"_s});
        QByteArray bobErr;
        QVERIFY2(waitForOutput(*bobCli, bobErr, "connected"), bobErr.constData());

        // A script sends a file with a line of text.
        auto sent =
            alice.run({u"upload"_s, planPath, u"the plan"_s, u"--chat"_s, chatId, u"--json"_s});
        QVERIFY2(sent->exitCode() == 0, sent->readAllStandardError().constData());
        const QJsonObject message = QJsonDocument::fromJson(sent->readAllStandardOutput()).object();
        QCOMPARE(message.value("text"_L1).toString(), u"the plan"_s);
        const QJsonObject attachment = message.value("attachments"_L1)[0].toObject();
        QCOMPARE(attachment.value("filename"_L1).toString(), u"plan for monday.txt"_s);
        QCOMPARE(attachment.value("content_type"_L1).toString(), u"text/plain"_s);
        QCOMPARE(attachment.value("size"_L1).toInteger(), plan.size());
        const QString planId = attachment.value("id"_L1).toString();

        // Bob sees the file with its id, saves it, and answers with a file of his own.
        QByteArray bobOut;
        QVERIFY2(waitForOutput(*bobCli, bobOut, planId.toLatin1(), QProcess::StandardOutput),
                 (bobOut + bobCli->readAllStandardError()).constData());
        QVERIFY2(bobOut.contains("[file plan for monday.txt, 107.4 kB, id "), bobOut.constData());
        QTemporaryDir saved;
        QVERIFY(saved.isValid());
        bobCli->write(u"/download %1 %2\n/switch @file_alice\n/upload \"%3\"\n"_s
                          .arg(planId, saved.path(), answerPath)
                          .toUtf8());
        bobCli->closeWriteChannel();
        QVERIFY(bobCli->waitForFinished(20000));
        bobErr += bobCli->readAllStandardError();
        QCOMPARE(bobCli->exitCode(), 0);
        QFile savedPlan(QDir(saved.path()).filePath(u"plan for monday.txt"_s));
        QVERIFY2(savedPlan.open(QIODevice::ReadOnly), bobErr.constData());
        QVERIFY(savedPlan.readAll() == plan);
        // A saved file is an ordinary file of the user's: the permissions any new file gets.
        QFile probe(QDir(saved.path()).filePath(u"probe"_s));
        QVERIFY(probe.open(QIODevice::WriteOnly));
        QCOMPARE(savedPlan.permissions(), probe.permissions());
        QVERIFY(probe.remove());

        const QJsonArray stored =
            httpGet(m_server.httpUrl(u"/api/v1/chats/%1/messages"_s.arg(chatId)),
                    bearer(aliceAccount->token))
                .json()
                .value("messages"_L1)
                .toArray();
        QCOMPARE(stored.size(), 2);
        const QJsonObject answer = stored[1].toObject();
        QCOMPARE(answer.value("text"_L1).toString(), QString()); // a file alone
        const QString answerId = answer.value("attachments"_L1)[0]["id"_L1].toString();
        QVERIFY(!answerId.isEmpty());

        // Saved twice into one directory, the second copy gets a name of its own.
        for (const QString &expected : {u"answer.csv"_s, u"answer (2).csv"_s}) {
            auto fetched = alice.run({u"download"_s, answerId, saved.path(), u"--json"_s});
            QVERIFY2(fetched->exitCode() == 0, fetched->readAllStandardError().constData());
            const QString path = QDir(saved.path()).filePath(expected);
            QCOMPARE(QJsonDocument::fromJson(fetched->readAllStandardOutput())
                         .object()
                         .value("path"_L1)
                         .toString(),
                     path);
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), "yes,no\n1,0\n"_ba);
        }
        const QString named = saved.filePath(u"renamed.csv"_s);
        QCOMPARE(alice.run({u"download"_s, answerId, named})->exitCode(), 0);
        QVERIFY(QFile::exists(named));

        auto missing = alice.run({u"upload"_s, files.filePath(u"no such file"_s)});
        QCOMPARE(missing->exitCode(), 5);
        QVERIFY(missing->readAllStandardError().contains("there is no such file"));
        auto unknown = alice.run({u"download"_s, u"0b8f5bd0-0000-4000-8000-000000000000"_s});
        QCOMPARE(unknown->exitCode(), 5);
        QCOMPARE(alice.run({u"upload"_s})->exitCode(), 2);
        QCOMPARE(alice.run({u"upload"_s, planPath, u"text without a chat"_s})->exitCode(), 2);
        // Nothing half-written is left where files were saved.
        QCOMPARE(QDir(saved.path()).entryList(QDir::Files | QDir::Hidden).size(), 4);
    }

    void searchFromTheTerminal() {
        CliUser alice;
        const auto aliceAccount = alice.logIn(m_server, u"find_alice"_s);
        QVERIFY(aliceAccount);
        auto session = alice.run({u"connect"_s, u"--user"_s, u"find_alice"_s},
                                 "/join find-room\n"
                                 "Итоговое решение: переезжаем в мае\n"
                                 "the quarterly numbers are in\n"
                                 "/search решен\n"
                                 "/search nothing-like-this-anywhere\n");
        QCOMPARE(session->exitCode(), 0);
        const QString out = QString::fromUtf8(session->readAllStandardOutput());
        QVERIFY2(out.contains(u"[#find-room] "_s) &&
                     out.contains(u"find_alice: Итоговое решение: переезжаем в мае"_s),
                 qPrintable(out));
        QVERIFY(session->readAllStandardError().contains("nothing found"));

        auto oneShot = alice.run({u"search"_s, u"QUARTERLY numb"_s, u"--json"_s});
        QCOMPARE(oneShot->exitCode(), 0);
        const QList<QByteArray> lines = oneShot->readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject result = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(result["message"_L1]["text"_L1].toString(), u"the quarterly numbers are in"_s);
        QCOMPARE(result["snippet"_L1].toString(), u"the quarterly numbers are in"_s);
        QCOMPARE(alice.run({u"search"_s})->exitCode(), 2);
        QCOMPARE(alice.run({u"search"_s, u"x"_s, u"--limit"_s, u"51"_s})->exitCode(), 2);
    }

    void killedServerDuringPipedConnectLosesAndDoublesNothing_data() {
        QTest::addColumn<bool>("asAccount");
        QTest::addRow("account") << true;
        QTest::addRow("guest") << false;
    }

    void killedServerDuringPipedConnectLosesAndDoublesNothing() {
        QFETCH(bool, asAccount);
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"40"_s}), qPrintable(server.log()));
        const quint16 port = server.port();
        CliUser user;
        const auto reader = user.logIn(server, u"piped"_s);
        QVERIFY(reader);
        const QStringList arguments =
            asAccount ? QStringList{u"connect"_s, u"--user"_s, u"piped"_s}
                      : QStringList{u"connect"_s, u"--addr"_s, server.wsUrl().toString(),
                                    u"--name"_s, u"piped guest"_s};
        auto cli = user.start(arguments);
        QByteArray err;
        QVERIFY2(waitForOutput(*cli, err, "connected"), err.constData());
        TestClient watcher;
        QVERIFY(!watcher.join(server.wsUrl(u"name=watcher"_s)).isEmpty());

        // More lines than go out in a second: some are stored, some in flight, some still queued
        // when the server dies.
        constexpr int lines = 120;
        QByteArray input;
        for (int i = 0; i < lines; ++i) {
            input += "piped line " + QByteArray::number(i) + '\n';
        }
        cli->write(input);
        QTRY_VERIFY_WITH_TIMEOUT(watcher.framesOfType(u"new_message"_s).size() >= 15, 20000);
        QVERIFY(server.kill());
        // The input ends while the server is down: the lines wait for it.
        cli->closeWriteChannel();
        QVERIFY2(waitForOutput(*cli, err, "reconnecting"), err.constData());
        QVERIFY2(server.start({u"--rate-limit"_s, u"40"_s, u"--port"_s, QString::number(port)}),
                 qPrintable(server.log()));

        QVERIFY(cli->waitForFinished(60000));
        err += cli->readAllStandardError();
        QVERIFY2(cli->exitCode() == 0, err.constData());
        QVERIFY(err.contains("reconnected"));
        QStringList expected;
        for (int i = 0; i < lines; ++i) {
            expected.append(u"piped line %1"_s.arg(i));
        }
        // Exactly once each and in order: nothing lost, nothing doubled.
        QCOMPARE(storedTexts(server, *reader, QString(neonchat::protocol::kLobbyId)), expected);
    }

    void endOfInputWithUnacknowledgedLinesWhenTheServerDies() {
        ServerProcess server;
        QVERIFY2(server.start({u"--rate-limit"_s, u"20"_s}), qPrintable(server.log()));
        QProcess cli;
        cli.start(chatCliPath(), {u"connect"_s, u"--addr"_s, server.wsUrl().toString(), u"--name"_s,
                                  u"hasty"_s, u"--no-reconnect"_s});
        QByteArray err;
        QVERIFY2(waitForOutput(cli, err, "connected"), err.constData());
        TestClient watcher;
        QVERIFY(!watcher.join(server.wsUrl(u"name=watcher"_s)).isEmpty());
        QByteArray input;
        for (int i = 0; i < 100; ++i) {
            input += "hasty line " + QByteArray::number(i) + '\n';
        }
        cli.write(input);
        cli.closeWriteChannel();
        QTRY_VERIFY_WITH_TIMEOUT(watcher.framesOfType(u"new_message"_s).size() >= 5, 20000);
        QVERIFY(server.kill());
        QVERIFY(cli.waitForFinished(20000));
        err += cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 3);
        // It says how many lines it could not see through, rather than exiting 0 on EOF.
        QVERIFY2(QRegularExpression(u"chat-cli: \\d+ line\\(s\\) were not acknowledged"_s)
                     .match(QString::fromUtf8(err))
                     .hasMatch(),
                 err.constData());
    }

    // Regression: SIGTERM while a line was still unacknowledged exited 3 at once.
    void interruptWaitsForTheLinesItSent_data() {
        QTest::addColumn<int>("signalNumber");
        QTest::addRow("SIGTERM") << SIGTERM;
        QTest::addRow("SIGINT") << SIGINT;
    }

    void interruptWaitsForTheLinesItSent() {
        QFETCH(int, signalNumber);
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        LineInFlight flight(server);
        QVERIFY2(flight.interrupt(signalNumber), flight.stderrText.constData());
        flight.relay.setHeld(false);
        QTRY_COMPARE_WITH_TIMEOUT(flight.cli.state(), QProcess::NotRunning, 10000);
        QCOMPARE(flight.cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(flight.cli.exitCode() == 0, flight.cli.readAllStandardError().constData());
        // Nothing was sent twice.
        QCOMPARE(flight.watcher.framesOfType(u"new_message"_s).size(), 1);
    }

    void interruptGivesUpOnAnAcknowledgementThatNeverComes() {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.log()));
        LineInFlight flight(server);
        QVERIFY2(flight.interrupt(SIGTERM), flight.stderrText.constData());
        // The wait is bounded: it gives up, says so and fails.
        QTRY_COMPARE_WITH_TIMEOUT(flight.cli.state(), QProcess::NotRunning, 15000);
        const QByteArray err = flight.stderrText + flight.cli.readAllStandardError();
        QCOMPARE(flight.cli.exitCode(), 3);
        QVERIFY2(err.contains("1 line(s) were not acknowledged"), err.constData());
    }

    void selfSignedServerIsReachedWithACaFile() {
        QTemporaryDir dir;
        QString problem;
        const auto files = makeSelfSignedCertificate(dir.path(), &problem);
        QVERIFY2(files, qPrintable(problem));
        ServerProcess server;
        QVERIFY2(server.start({u"--tls-cert"_s, files->certificate, u"--tls-key"_s, files->key}),
                 qPrintable(server.log()));
        const QString wss = u"wss://127.0.0.1:%1/ws"_s.arg(server.port());
        const QString https = u"https://127.0.0.1:%1"_s.arg(server.port());
        const QStringList trust{u"--ca-file"_s, files->certificate};
        CliUser user;

        // Verification stays on: without the CA the server is not trusted.
        auto untrusted =
            user.run({u"connect"_s, u"--addr"_s, wss, u"--name"_s, u"tls guest"_s}, "not sent\n");
        QCOMPARE(untrusted->exitCode(), 3);
        QCOMPARE(user.run(QStringList{u"connect"_s, u"--addr"_s, wss, u"--name"_s, u"x"_s,
                                      u"--ca-file"_s, dir.filePath(u"missing.pem"_s)})
                     ->exitCode(),
                 2);

        auto guest = user.run(
            QStringList{u"connect"_s, u"--addr"_s, wss, u"--name"_s, u"tls guest"_s} + trust,
            "over wss\n");
        QVERIFY2(guest->exitCode() == 0, guest->readAllStandardError().constData());

        const QStringList account{u"--server"_s, https, u"--user"_s, u"tls_user"_s,
                                  u"--password-stdin"_s};
        QCOMPARE(
            user.run(QStringList{u"register"_s} + account + trust, "tls password\n")->exitCode(),
            0);
        QCOMPARE(user.run(QStringList{u"login"_s} + account, "tls password\n")->exitCode(), 3);
        QCOMPARE(user.run(QStringList{u"login"_s} + account + trust, "tls password\n")->exitCode(),
                 0);
        auto session = user.run(QStringList{u"connect"_s, u"--user"_s, u"tls_user"_s} + trust,
                                "/history 1\nhello over wss\n");
        QVERIFY2(session->exitCode() == 0, session->readAllStandardError().constData());
        QVERIFY(session->readAllStandardOutput().contains("tls guest: over wss"));
        auto history = user.run(
            QStringList{u"history"_s, u"--chat"_s, u"lobby"_s, u"--limit"_s, u"1"_s} + trust);
        QVERIFY(history->readAllStandardOutput().contains("tls_user: hello over wss"));
    }

private:
    ServerProcess m_server;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
