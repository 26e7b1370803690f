// SPDX-License-Identifier: MIT
// chat-desktop started for real against the real server: the login page without a session, a
// remembered session rendered in both themes, and a remembered session whose server is gone.
// With NEONCHAT_SCREENSHOT_DIR set, the rendered windows are kept there as PNG files: that is how
// scripts/screenshots makes the README's screenshots from the current code.
#include "accounts.h"
#include "client/sessionstore.h"
#include "http.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;

struct DesktopRun {
    int exitCode = -1;
    QByteArray errors;
};

// Runs chat-desktop with its settings under configHome until it exits.
DesktopRun runDesktop(const QString &configHome, const QStringList &arguments) {
    QProcess desktop;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, configHome);
    env.insert(u"XDG_CACHE_HOME"_s, configHome + u"/cache"_s);
    if (!env.contains(u"QT_QPA_PLATFORM"_s)) {
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    }
    env.insert(u"LANG"_s, u"en_US.UTF-8"_s);
    env.remove(u"LC_ALL"_s);
    env.remove(u"LANGUAGE"_s);
    desktop.setProcessEnvironment(env);
    desktop.start(QStringLiteral(NEONCHAT_CHAT_DESKTOP_PATH), arguments);
    if (!desktop.waitForFinished(60000)) {
        desktop.kill();
        return {-1, "chat-desktop did not finish"};
    }
    return {desktop.exitCode(), desktop.readAllStandardError()};
}

// What the app keeps after a login: the session file of the client library's store.
void rememberSession(const QString &configHome, const QUrl &server, const TestAccount &account,
                     qint64 expiresAt) {
    const auto problem =
        neonchat::client::SessionStore(configHome + u"/NeonChat/chat-desktop/session.json"_s)
            .save({server, account.id, account.username, account.token, expiresAt});
    QVERIFY2(!problem, qPrintable(problem.value_or(QString())));
}

void keepScreenshot(const QString &png, const QString &name) {
    const QString dir = qEnvironmentVariable("NEONCHAT_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        const QString target = QDir(dir).filePath(name);
        QFile::remove(target);
        QVERIFY2(QFile::copy(png, target), qPrintable(target));
    }
}

// A small bar chart as PNG bytes: an image for the conversation to show inline.
QByteArray chartPng() {
    QImage chart(480, 240, QImage::Format_RGB32);
    chart.fill(QColor(u"#f5f7f8"_s));
    QPainter painter(&chart);
    const QList<int> heights{150, 170, 160, 190, 120, 80, 70, 60, 65, 55};
    for (int i = 0; i < heights.size(); ++i) {
        painter.fillRect(24 + i * 44, 220 - heights[i], 32, heights[i],
                         QColor(i < 4 ? u"#c62828"_s : u"#00796b"_s));
    }
    painter.fillRect(16, 220, 448, 2, QColor(u"#37474f"_s));
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    chart.save(&buffer, "PNG");
    return png;
}

} // namespace

class TestDesktop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(m_server.log()));
        m_alice = createAccount(m_server, u"alice"_s);
        const auto bob = createAccount(m_server, u"bob"_s);
        const auto carol = createAccount(m_server, u"carol"_s);
        QVERIFY(m_alice && bob && carol);
        const QString direct = httpPostJson(m_server.httpUrl(u"/api/v1/chats"_s),
                                            {{"partner_id"_L1, bob->id}}, bearer(m_alice->token))
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        QVERIFY(!direct.isEmpty());

        // A short conversation: the lobby, then the direct chat with bob, who stays online.
        TestClient alice;
        TestClient carolClient;
        QVERIFY(!alice.join(m_alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!m_bob.join(bob->wsUrl(m_server)).isEmpty());
        QVERIFY(!carolClient.join(carol->wsUrl(m_server)).isEmpty());
        QVERIFY(
            !carolClient.say(kLobby, u"Morning all! Release notes are in the wiki."_s).isEmpty());
        const QString question =
            alice.say(direct, u"Hi Bob, do you have a minute for the release checklist?"_s);
        const QString sure =
            m_bob.say(direct, u"Sure — I'm going through the migration steps right now."_s);
        const QString ping =
            alice.say(direct, u"Great. Ping me when the staging deploy is green."_s);
        const QString willDo =
            m_bob.say(direct, u"Will do. Tests are running, about ten minutes."_s);
        QVERIFY(!question.isEmpty() && !sure.isEmpty() && !ping.isEmpty() && !willDo.isEmpty());
        // Alice reacted and has read this far; bob corrected himself.
        QCOMPARE(httpRequest("PUT",
                             m_server.httpUrl(u"/api/v1/messages/%1/reactions/%2"_s.arg(
                                 willDo, QString::fromLatin1(QUrl::toPercentEncoding(u"👍"_s)))),
                             {}, bearer(m_alice->token))
                     .status,
                 204);
        const QByteArray corrected =
            QJsonDocument(
                QJsonObject{{"text"_L1, u"Sure — I'm going through the migration steps now."_s}})
                .toJson();
        QCOMPARE(httpRequest("PATCH", m_server.httpUrl(u"/api/v1/messages/"_s + sure), corrected,
                             bearer(bob->token))
                     .status,
                 200);
        alice.sendJson({{"type"_L1, "read"_L1}, {"chat_id"_L1, direct}, {"message_id"_L1, willDo}});
        // Then, unread: a reply to her request and a link.
        QVERIFY(!m_bob.say(direct, u"Staging is green. 🎉"_s, {{"reply_to_id"_L1, ping}}).isEmpty());
        QVERIFY(!m_bob.say(direct, u"Deploy log: https://ci.example.org/builds/41"_s).isEmpty());
        // And a picture, shown inline.
        HttpHeaders asImage = bearer(bob->token);
        asImage.append({"Content-Type"_ba, "image/png"_ba});
        const HttpResult uploaded =
            httpRequest("POST", m_server.httpUrl(u"/api/v1/uploads?filename=latency.png"_s),
                        chartPng(), asImage);
        QCOMPARE(uploaded.status, 201);
        QVERIFY(!m_bob
                     .say(direct, u"p99 latency after the deploy:"_s,
                          {{"attachment_ids"_L1, QJsonArray{uploaded.json().value("id"_L1)}}})
                     .isEmpty());
    }

    void rendersTheWindow_data() {
        QTest::addColumn<bool>("signedIn");
        QTest::addColumn<QString>("theme");
        QTest::addRow("login, light") << false << u"light"_s;
        QTest::addRow("login, dark") << false << u"dark"_s;
        QTest::addRow("conversation, light") << true << u"light"_s;
        QTest::addRow("conversation, dark") << true << u"dark"_s;
    }

    void rendersTheWindow() {
        QFETCH(bool, signedIn);
        QFETCH(QString, theme);
        QTemporaryDir home;
        if (signedIn) {
            rememberSession(home.path(), m_server.httpUrl({}), *m_alice,
                            QDateTime::currentSecsSinceEpoch() + 3600);
        }
        const QString png = home.filePath(u"window.png"_s);
        const DesktopRun run =
            runDesktop(home.path(), {u"--theme"_s, theme, u"--screenshot"_s, png});
        QVERIFY2(run.exitCode == 0, run.errors.constData());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(960, 640));
        // Dark and light differ where it shows: the window's corner.
        const QColor corner = image.pixelColor(image.width() - 2, image.height() - 2);
        QCOMPARE(corner.lightness() < 128, theme == "dark"_L1);
        if (signedIn) {
            // It opened a session as alice and read the direct chat (the newest) to show it,
            // leaving its three unread messages unread: a screenshot is a look, not a read.
            QVERIFY(m_server.log().contains(u"user=alice guest=false"_s));
            const QJsonArray chats =
                httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(m_alice->token))
                    .json()
                    .value("chats"_L1)
                    .toArray();
            QVERIFY(!chats.isEmpty());
            QCOMPARE(chats.first()["unread_count"_L1].toInt(), 3);
        }
        keepScreenshot(png, u"%1-%2.png"_s.arg(signedIn ? "conversation"_L1 : "login"_L1, theme));
    }

    // A remembered session that cannot connect says why instead of showing an empty window.
    void unreachableServerIsReported() {
        QTemporaryDir home;
        rememberSession(home.path(), QUrl(u"http://127.0.0.1:9"_s), *m_alice,
                        QDateTime::currentSecsSinceEpoch() + 3600);
        const DesktopRun run =
            runDesktop(home.path(), {u"--screenshot"_s, home.filePath(u"x.png"_s)});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errors.contains("cannot reach the server"), run.errors.constData());
    }

    // Regression: without a display chat-desktop aborted (exit 134) even for --help/--version.
    void helpAndVersionNeedNoDisplay_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QByteArray>("says");
        QTest::addRow("version") << u"--version"_s << QByteArray(NEONCHAT_VERSION);
        QTest::addRow("help") << u"--help"_s << "--theme"_ba;
    }

    void helpAndVersionNeedNoDisplay() {
        QFETCH(QString, option);
        QFETCH(QByteArray, says);
        QProcess desktop;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"xcb"_s); // a display it cannot open
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        desktop.setProcessEnvironment(env);
        desktop.start(QStringLiteral(NEONCHAT_CHAT_DESKTOP_PATH), {option});
        QVERIFY(desktop.waitForFinished(20000));
        QCOMPARE(desktop.exitStatus(), QProcess::NormalExit);
        QCOMPARE(desktop.exitCode(), 0);
        QVERIFY(desktop.readAllStandardOutput().contains(says));
    }

    void badThemeIsAUsageError() {
        QTemporaryDir home;
        const DesktopRun run = runDesktop(home.path(), {u"--theme"_s, u"purple"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.errors.contains("--theme"));
    }

private:
    ServerProcess m_server;
    std::optional<TestAccount> m_alice;
    TestClient m_bob;
};

QTEST_GUILESS_MAIN(TestDesktop)
#include "tst_desktop.moc"
