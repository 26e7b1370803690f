// SPDX-License-Identifier: MIT
// Qt Quick Test for the desktop's QML: the components on their own (composer, banner) and the
// whole app driven through its controls against a real chat-server that this setup starts, with
// a second user on a real WebSocket as the other end of the conversation.
#include "accounts.h"
#include "http.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <memory>
#include <optional>

Q_IMPORT_QML_PLUGIN(NeonChatPlugin)

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {
const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;
}

// What the QML tests see as the singleton TestServer.
class TestServer : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString url READ url CONSTANT)
    Q_PROPERTY(QString username READ username CONSTANT)
    Q_PROPERTY(QString password READ password CONSTANT)
    Q_PROPERTY(QString peerName READ peerName CONSTANT)
    Q_PROPERTY(QString failure READ failure CONSTANT)
    Q_PROPERTY(int unreadAtStart READ unreadAtStart CONSTANT)
public:
    // Starts the server with an account to log in as, a peer online in the lobby, and more lobby
    // history than one page, of which the account has read all but the last kUnread.
    bool start() {
        if (!m_server.start({u"--rate-limit"_s, u"1000"_s})) {
            m_failure = m_server.log();
            return false;
        }
        m_user = createAccount(m_server, u"ui_alice"_s);
        m_peer = createAccount(m_server, u"ui_bob"_s);
        if (!m_user || !m_peer || m_peerClient.join(m_peer->wsUrl(m_server)).isEmpty()) {
            m_failure = u"could not create the test accounts"_s;
            return false;
        }
        for (int i = 0; i < kHistory; ++i) {
            peerSay(u"history %1"_s.arg(i));
        }
        if (!QTest::qWaitFor(
                [this] { return m_peerClient.framesOfType(u"message_sent"_s).size() == kHistory; },
                30000)) {
            m_failure = u"the history was not stored"_s;
            return false;
        }
        const QString lastRead = m_peerClient.framesOfType(u"message_sent"_s)
                                     .at(kHistory - kUnread - 1)["message"_L1]["id"_L1]
                                     .toString();
        TestClient reader;
        if (reader.join(m_user->wsUrl(m_server)).isEmpty()) {
            m_failure = u"the account could not mark the history read"_s;
            return false;
        }
        reader.sendJson(
            {{"type"_L1, "read"_L1}, {"chat_id"_L1, kLobby}, {"message_id"_L1, lastRead}});
        // The server has it once the account's chat list says so.
        const bool read = QTest::qWaitFor(
            [this] {
                const QJsonArray chats =
                    httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(m_user->token))
                        .json()
                        .value("chats"_L1)
                        .toArray();
                return std::any_of(chats.cbegin(), chats.cend(), [](const QJsonValue &chat) {
                    return chat["id"_L1].toString() == kLobby &&
                           chat["unread_count"_L1].toInteger() == kUnread;
                });
            },
            30000);
        if (!read) {
            m_failure = u"the history was not marked read"_s;
            return false;
        }
        return true;
    }

    [[nodiscard]] QString url() const { return m_server.httpUrl({}).toString(); }
    [[nodiscard]] QString username() const { return m_user ? m_user->username : QString(); }
    [[nodiscard]] static QString password() { return u"password-of-ui_alice"_s; }
    [[nodiscard]] QString peerName() const { return m_peer ? m_peer->username : QString(); }
    [[nodiscard]] const QString &failure() const { return m_failure; }
    [[nodiscard]] static int unreadAtStart() { return kUnread; }

    Q_INVOKABLE void peerSay(const QString &text, const QString &chatId = kLobby) {
        m_peerClient.sendJson(
            {{"type"_L1, "message"_L1}, {"chat_id"_L1, chatId}, {"text"_L1, text}});
    }
    // The lobby does not relay typing: chatId is a direct chat or a room.
    Q_INVOKABLE void peerTyping(const QString &chatId, bool typing) {
        m_peerClient.sendJson(
            {{"type"_L1, "typing"_L1}, {"chat_id"_L1, chatId}, {"is_typing"_L1, typing}});
    }
    // Whether the peer has received a message with this text.
    Q_INVOKABLE bool peerHeard(const QString &text) const {
        const QList<QJsonObject> frames = m_peerClient.framesOfType(u"new_message"_s);
        return std::any_of(frames.cbegin(), frames.cend(), [&](const QJsonObject &frame) {
            return frame["message"_L1]["text"_L1].toString() == text;
        });
    }
    // Stops the server hard and starts it again on the same port (the session reconnects).
    Q_INVOKABLE bool killServer() { return m_server.kill(); }
    Q_INVOKABLE bool restartServer() {
        const bool started =
            m_server.start({u"--rate-limit"_s, u"1000"_s, u"--port"_s, QString::number(m_port)});
        return started;
    }
    void rememberPort() { m_port = m_server.port(); }

private:
    static constexpr int kHistory = 120;
    static constexpr int kUnread = 20;
    ServerProcess m_server;
    std::optional<TestAccount> m_user;
    std::optional<TestAccount> m_peer;
    TestClient m_peerClient;
    QString m_failure;
    quint16 m_port = 0;
};

class Setup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable() {
        // The app's settings (a remembered session, the theme) go to a directory of this run.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_CACHE_HOME", m_config.filePath(u"cache"_s).toUtf8());
        QQuickStyle::setStyle(u"Material"_s);
        // Made only now: its sockets need the application object.
        m_server = std::make_unique<TestServer>();
        if (!m_server->start()) {
            qFatal("the test server did not start: %s", qPrintable(m_server->failure()));
        }
        m_server->rememberPort();
        qmlRegisterSingletonInstance("NeonChatTest", 1, 0, "TestServer", m_server.get());
    }

    void qmlEngineAvailable(QQmlEngine *engine) {
        // Where qt_add_qml_module puts the NeonChat module's QML files (Qt Quick Test's engine
        // does not look there by itself).
        engine->addImportPath(u"qrc:/qt/qml"_s);
    }

private:
    QTemporaryDir m_config;
    std::unique_ptr<TestServer> m_server;
};

QUICK_TEST_MAIN_WITH_SETUP(neonchat_quick, Setup)

#include "tst_quick.moc"
