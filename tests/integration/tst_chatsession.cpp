// SPDX-License-Identifier: MIT
// The desktop's ChatSession against a real server: registration errors shown as text, a login
// remembered in the settings until logout, an expired one refused, and messages that arrive
// while the window is away counted unread and announced. The desktop notifier is checked
// against a notification service on a private D-Bus daemon started by the test.
#include "accounts.h"
#include "appearance.h"
#include "chatsession.h"
#include "desktopnotifier.h"
#include "http.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QClipboard>
#include <QDBusConnection>
#include <QDBusError>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace neonchat;
using namespace neonchat::testing;
using desktop::ChatSession;

namespace {

const QString kLobby = u"00000000-0000-4000-8000-000000000001"_s;

// The freedesktop.org notification service, as a desktop runs it: records what it is asked.
class NotificationService : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Received {
        QString appName;
        uint replacesId = 0;
        QString summary;
        QString body;
    };
    QList<Received> received;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &, const QString &summary,
                const QString &body, const QStringList &, const QVariantMap &, int) {
        received.append({appName, replacesId, summary, body});
        return static_cast<uint>(received.size()) + 40;
    }
};

} // namespace

class TestChatSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        // ChatSession keeps its settings under the XDG config directory: one of this run.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_CACHE_HOME", m_config.filePath(u"cache"_s).toUtf8());
        QCoreApplication::setOrganizationName(u"NeonChat"_s);
        QCoreApplication::setApplicationName(u"tst_chatsession"_s);
        QVERIFY2(m_server.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(m_server.log()));
        m_alice = createAccount(m_server, u"cs_alice"_s);
        QVERIFY(m_alice);
    }

    void registeringATakenNameSaysSo() {
        ChatSession session;
        session.account()->registerAccount(url(), u"CS_Alice"_s, u"long enough password"_s);
        QVERIFY(session.account()->busy());
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->errorText(), u"That username is taken."_s,
                                  15000);
        QVERIFY(!session.account()->loggedIn());
        QVERIFY(!session.account()->busy());
    }

    void badServerAddressIsRefusedBeforeAnyRequest() {
        ChatSession session;
        session.account()->logIn(u"ftp://example.org"_s, u"cs_alice"_s, u"x"_s);
        QVERIFY(session.account()->errorText().contains(u"is not a server address"_s));
        QVERIFY(!session.account()->busy());
    }

    void logInIsRememberedUntilLogout() {
        // (One address: in a cluster run each url() may name the other instance.)
        const QString server = url();
        {
            ChatSession session;
            logInAlice(session, server);
            // The token is as good as the password: kept by the client library's session store,
            // like chat-cli's, in a file only the user may read, and not in the settings.
            const QFileInfo stored(session.account()->store().path());
            QVERIFY(stored.exists());
            QCOMPARE(stored.permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            QCOMPARE(session.account()->store().load()->token.isEmpty(), false);
            QVERIFY(QSettings().allKeys().filter(u"token"_s).isEmpty());
            QCOMPARE(session.account()->connection(), desktop::Account::Connection::Online);
            QCOMPARE(session.currentChatTitle(), u"Lobby"_s);
        }
        {
            ChatSession restored;
            restored.account()->restore();
            QVERIFY(restored.account()->loggedIn());
            QCOMPARE(restored.account()->username(), u"cs_alice"_s);
            QTRY_COMPARE_WITH_TIMEOUT(restored.account()->connection(),
                                      desktop::Account::Connection::Online, 15000);
            restored.account()->logOut();
            QVERIFY(!restored.account()->loggedIn());
        }
        ChatSession afterLogout;
        afterLogout.account()->restore();
        QVERIFY(!afterLogout.account()->loggedIn());
        // The server address and the name stay for the next login; the token is gone.
        QCOMPARE(afterLogout.account()->serverAddress(), server);
        QCOMPARE(afterLogout.account()->username(), u"cs_alice"_s);
        QVERIFY(!afterLogout.account()->store().load());
        QVERIFY(afterLogout.account()->store().lastAccount()->token.isEmpty());
    }

    // Earlier builds kept the session in the app's settings: the first run of this one moves it
    // to the session store, logged in as before, and the settings forget it.
    void sessionInTheOldSettingsIsMovedToTheStore() {
        const client::SessionStore store;
        QVERIFY(!QFile::exists(store.path()) || QFile::remove(store.path()));
        {
            QSettings settings;
            settings.setValue(u"server"_s, url());
            settings.setValue(u"session/user_id"_s, m_alice->id);
            settings.setValue(u"session/username"_s, m_alice->username);
            settings.setValue(u"session/token"_s, m_alice->token);
            settings.setValue(u"session/expires_at"_s, QDateTime::currentSecsSinceEpoch() + 3600);
        }
        ChatSession session;
        session.account()->restore();
        QVERIFY(session.account()->loggedIn());
        QCOMPARE(session.account()->username(), u"cs_alice"_s);
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->connection(),
                                  desktop::Account::Connection::Online, 15000);
        QCOMPARE(store.load()->token, m_alice->token);
        QSettings settings;
        QVERIFY(!settings.contains(u"server"_s));
        QVERIFY(settings.allKeys().filter(u"session/"_s).isEmpty());
        session.account()->logOut();
    }

    void expiredSessionAsksToLogInAgain() {
        rememberAlice(m_alice->token, QDateTime::currentSecsSinceEpoch() - 1);
        ChatSession session;
        session.account()->restore();
        QVERIFY(!session.account()->loggedIn());
        QCOMPARE(session.account()->errorText(),
                 u"Your session has expired. Please log in again."_s);
    }

    // A token the server does not take (forged, or signed with an old secret): back to the
    // login page with the reason, and the token is forgotten.
    void refusedSessionReturnsToTheLogin() {
        rememberAlice(QString(m_alice->token).replace(10, 4, u"AAAA"_s),
                      QDateTime::currentSecsSinceEpoch() + 3600);
        ChatSession session;
        session.account()->restore();
        QVERIFY(session.account()->loggedIn());
        QTRY_VERIFY_WITH_TIMEOUT(!session.account()->loggedIn(), 15000);
        QVERIFY2(session.account()->errorText().startsWith(u"The server ended your session"_s),
                 qPrintable(session.account()->errorText()));
        ChatSession again;
        again.account()->restore();
        QVERIFY(!again.account()->loggedIn());
    }

    void messagesWhileAwayAreAnnouncedAndCountedUnread() {
        ChatSession session;
        logInAlice(session, url());
        QTRY_COMPARE_WITH_TIMEOUT(session.messages()->chatId(), session.currentChatId(), 15000);
        QSignalSpy announced(&session, &ChatSession::notificationRequested);
        TestClient peer;
        QVERIFY(!peer.join(m_server.wsUrl(u"name=cs_peer"_s)).isEmpty());

        session.markSeen(0); // the message view shows the newest message
        session.setViewActive(false);
        peer.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "are you there?"_L1}});
        QVERIFY(announced.wait(15000));
        QCOMPARE(announced.constFirst().at(0).toString(), u"cs_peer in Lobby"_s);
        QCOMPARE(announced.constFirst().at(1).toString(), u"are you there?"_s);
        QCOMPARE(session.chats()->totalUnread(), 1);

        // Back at the window: the open chat is read, and what comes next is neither.
        session.setViewActive(true);
        QCOMPARE(session.chats()->totalUnread(), 0);
        peer.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "ok, seen you"_L1}});
        QTRY_COMPARE(session.messages()->data(session.messages()->index(0),
                                              desktop::MessageListModel::TextRole),
                     QVariant(u"ok, seen you"_s));
        QCOMPARE(announced.size(), 1);
        QCOMPARE(session.chats()->totalUnread(), 0);
    }

    // A muted chat tells nothing, unless a message mentions the user; muting all silences that
    // too. Its unread messages stay counted in the chat but not in the total (the window title).
    // Both settings outlive the session.
    void mutedChatsAreSilentUnlessTheyMentionTheUser() {
        ChatSession session;
        logInAlice(session, url());
        QTRY_COMPARE_WITH_TIMEOUT(session.messages()->chatId(), kLobby, 15000);
        TestClient peer;
        QVERIFY(!peer.join(m_server.wsUrl(u"name=cs_muter"_s)).isEmpty());
        session.markSeen(0);
        session.setViewActive(false);
        auto *notifications = session.notifications();
        notifications->setMuted(kLobby, true);
        const int lobbyRow = session.chats()->rowOf(kLobby);
        QVERIFY(session.chats()
                    ->data(session.chats()->index(lobbyRow), desktop::ChatListModel::MutedRole)
                    .toBool());
        QSignalSpy announced(&session, &ChatSession::notificationRequested);
        const auto arrives = [&](const QString &text) {
            peer.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, text}});
            QTRY_COMPARE(session.messages()->data(session.messages()->index(0),
                                                  desktop::MessageListModel::TextRole),
                         QVariant(text));
        };

        arrives(u"nothing for alice"_s);
        QCOMPARE(announced.size(), 0);
        QCOMPARE(session.chats()->unread(kLobby), 1);
        QCOMPARE(session.chats()->totalUnread(), 0);

        arrives(u"@CS_Alice, look at this"_s);
        QCOMPARE(announced.size(), 1);
        QCOMPARE(announced.constFirst().at(0).toString(), u"cs_muter mentioned you in Lobby"_s);

        notifications->setAllMuted(true);
        arrives(u"@cs_alice still there?"_s);
        QCOMPARE(announced.size(), 1);

        // Unmuted, with all still muted: nothing yet; then everything again.
        notifications->setMuted(kLobby, false);
        QCOMPARE(session.chats()->totalUnread(), 3);
        arrives(u"anyone?"_s);
        QCOMPARE(announced.size(), 1);
        notifications->setAllMuted(false);
        notifications->setMuted(kLobby, true);
        arrives(u"one more"_s);
        QCOMPARE(announced.size(), 1);

        {
            ChatSession later;
            later.account()->restore();
            QVERIFY(later.notifications()->isMuted(kLobby));
            QVERIFY(!later.notifications()->allMuted());
        }
        notifications->setMuted(kLobby, false);
        arrives(u"and now?"_s);
        QCOMPARE(announced.size(), 2);
        QCOMPARE(announced.constLast().at(0).toString(), u"cs_muter in Lobby"_s);
        session.setViewActive(true);
    }

    // @ in the lobby: who wrote there lately first, then the server's other users with the
    // name; never the user; nothing in a direct chat.
    void mentionSuggestionsPutRecentWritersFirst() {
        const auto room = httpPostJson(m_server.httpUrl(u"/api/v1/rooms"_s),
                                       {{"name"_L1, "mentions"_L1}}, bearer(m_alice->token));
        QCOMPARE(room.status, 201);
        const QString roomId = room.json().value("id"_L1).toString();
        const auto member = createAccount(m_server, u"cs_zed_member"_s);
        QVERIFY(member);
        QCOMPARE(httpRequest("POST"_ba, m_server.httpUrl(u"/api/v1/rooms/%1/join"_s.arg(roomId)),
                             {}, bearer(member->token))
                     .status,
                 204);
        TestClient late;
        QVERIFY(!late.join(m_server.wsUrl(u"name=cs_zed_late"_s)).isEmpty());
        QVERIFY(createAccount(m_server, u"cs_zed_quiet"_s)); // an account that never wrote
        QVERIFY(!late.say(kLobby, u"hello"_s).isEmpty());
        ChatSession session;
        logInAlice(session, url());
        QTRY_VERIFY_WITH_TIMEOUT(
            session.messages()->chatId() == kLobby && session.messages()->rowCount() > 0, 15000);
        QSignalSpy suggested(&session, &ChatSession::mentionSuggestionsChanged);
        session.suggestMentions(u"CS_Z"_s);
        QCOMPARE(session.mentionSuggestions(), QStringList{u"cs_zed_late"_s});
        QTRY_COMPARE_WITH_TIMEOUT(
            session.mentionSuggestions(),
            (QStringList{u"cs_zed_late"_s, u"cs_zed_member"_s, u"cs_zed_quiet"_s}), 15000);
        session.suggestMentions(u"cs_alice"_s);
        QTRY_COMPARE(suggested.size(), 4);
        QVERIFY(session.mentionSuggestions().isEmpty());

        auto gus = partnerOfAlice(u"cs_gus"_s);
        QVERIFY(gus);
        QVERIFY(!gus->client->say(gus->chatId, u"hi"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(session.chats()->rowOf(gus->chatId) >= 0, 15000);
        session.openChat(gus->chatId);
        session.suggestMentions(u"cs_"_s);
        QVERIFY(session.mentionSuggestions().isEmpty());
        // A room: its members, though they never wrote there. Alice made it: she moderates it.
        QVERIFY(!session.moderating());
        QSignalSpy moderation(&session, &ChatSession::moderatingChanged);
        session.openChat(roomId);
        QVERIFY(session.moderating());
        QVERIFY(!moderation.isEmpty()); // the message menus offer Delete from now on
        QTRY_VERIFY_WITH_TIMEOUT((session.suggestMentions(u"cs_z"_s),
                                  session.mentionSuggestions() == QStringList{u"cs_zed_member"_s}),
                                 15000);

        // The lobby, newest again, is the chat the next tests' sessions open with.
        QVERIFY(!late.say(kLobby, u"bye"_s).isEmpty());
    }

    // Logging out and into another server starts over: the lobby there begins at its own first
    // message, not after the last one seen on the first server.
    void anotherServerAfterLogoutStartsFromScratch() {
        ChatSession session;
        logInAlice(session, url());
        TestClient here;
        QVERIFY(!here.join(m_server.wsUrl(u"name=cs_here"_s)).isEmpty());
        for (int i = 0; i < 3; ++i) {
            here.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, u"first server %1"_s.arg(i)}});
        }
        QTRY_COMPARE(session.messages()->data(session.messages()->index(0),
                                              desktop::MessageListModel::TextRole),
                     QVariant(u"first server 2"_s));
        session.account()->logOut();

        ServerProcess other;
        QVERIFY2(other.start(), qPrintable(other.log()));
        QVERIFY(createAccount(other, u"cs_alice"_s));
        logInAlice(session, other.httpUrl({}).toString());
        TestClient there;
        QVERIFY(!there.join(other.wsUrl(u"name=cs_there"_s)).isEmpty());
        there.sendJson({{"type"_L1, "message"_L1}, {"text"_L1, "second server"_L1}});
        QTRY_COMPARE(session.messages()->data(session.messages()->index(0),
                                              desktop::MessageListModel::TextRole),
                     QVariant(u"second server"_s));
        QCOMPARE(session.chats()->data(session.chats()->index(0),
                                       desktop::ChatListModel::LastMessageRole),
                 QVariant(u"cs_there: second server"_s));
    }

    void notifierDeliversPlainTextToTheNotificationService() {
        QProcess daemon;
        daemon.start(u"dbus-daemon"_s, {u"--session"_s, u"--nofork"_s, u"--print-address"_s});
        QVERIFY2(daemon.waitForStarted(), "dbus-daemon is needed (Debian package dbus-daemon)");
        QTRY_VERIFY(daemon.canReadLine());
        const QString address = QString::fromUtf8(daemon.readLine()).trimmed();
        {
            QDBusConnection serviceBus = QDBusConnection::connectToBus(address, u"service"_s);
            QVERIFY2(serviceBus.isConnected(), qPrintable(serviceBus.lastError().message()));
            NotificationService service;
            QVERIFY(serviceBus.registerService(u"org.freedesktop.Notifications"_s));
            QVERIFY(serviceBus.registerObject(u"/org/freedesktop/Notifications"_s, &service,
                                              QDBusConnection::ExportAllSlots));

            desktop::DesktopNotifier notifier(QDBusConnection::connectToBus(address, u"app"_s));
            QSignalSpy shown(&notifier, &desktop::DesktopNotifier::shown);
            notifier.show(u"bob"_s, u"<b>not bold</b> & <a href='x'>no link</a>"_s);
            QVERIFY(shown.wait(10000));
            QCOMPARE(shown.constFirst().at(0).toUInt(), 41u);
            notifier.show(u"bob"_s, u"second"_s);
            QVERIFY(shown.wait(10000));

            QCOMPARE(service.received.size(), 2);
            QCOMPARE(service.received[0].appName, u"NeonChat"_s);
            QCOMPARE(service.received[0].summary, u"bob"_s);
            QCOMPARE(service.received[0].body,
                     u"&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;a href='x'&gt;no link&lt;/a&gt;"_s);
            // The second replaces the first instead of stacking up.
            QCOMPARE(service.received[1].replacesId, 41u);
            QDBusConnection::disconnectFromBus(u"app"_s);
            QDBusConnection::disconnectFromBus(u"service"_s);
        }
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(10000));
    }

    void notifierReportsAMissingService() {
        // A bus with no notification service (a desktop without one): an error, no crash.
        QProcess daemon;
        daemon.start(u"dbus-daemon"_s, {u"--session"_s, u"--nofork"_s, u"--print-address"_s});
        QVERIFY(daemon.waitForStarted());
        QTRY_VERIFY(daemon.canReadLine());
        const QString address = QString::fromUtf8(daemon.readLine()).trimmed();
        {
            desktop::DesktopNotifier notifier(QDBusConnection::connectToBus(address, u"lone"_s));
            QSignalSpy failed(&notifier, &desktop::DesktopNotifier::failed);
            notifier.show(u"bob"_s, u"hello"_s);
            QVERIFY(failed.wait(10000));
            QDBusConnection::disconnectFromBus(u"lone"_s);
        }
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(10000));
    }

    // A chat with unread messages opens at the first of them, and only what the view has shown
    // counts as read: the server keeps the rest unread for the next session too.
    void onlyWhatWasShownIsRead() {
        auto bob = partnerOfAlice(u"cs_bob"_s);
        QVERIFY(bob);
        const QString chatId = bob->chatId;
        TestClient &writer = *bob->client;
        constexpr int kUnread = 80; // more than a page
        for (int i = 0; i < kUnread; ++i) {
            QVERIFY(!writer.say(chatId, u"unread %1"_s.arg(i)).isEmpty());
        }

        ChatSession session;
        logInAlice(session, url());
        session.openChat(chatId);
        const auto *messages = session.messages();
        QTRY_VERIFY_WITH_TIMEOUT(messages->chatId() == chatId && messages->firstUnreadRow() >= 0,
                                 15000);
        const int marker = messages->firstUnreadRow();
        QCOMPARE(messages->data(messages->index(marker), desktop::MessageListModel::TextRole),
                 QVariant(u"unread 0"_s));
        QCOMPARE(
            messages->data(messages->index(marker), desktop::MessageListModel::FirstUnreadRole),
            QVariant(true));
        QCOMPARE(session.currentUnread(), kUnread);
        QCOMPARE(serverUnread(chatId), kUnread);

        // The view shows the first 30 unread (rows are newest first).
        session.markSeen(marker - 29);
        QCOMPARE(session.currentUnread(), kUnread - 30);
        QTRY_COMPARE_WITH_TIMEOUT(serverUnread(chatId), kUnread - 30, 15000);
        // A message arriving while the view is scrolled up is not read either.
        QVERIFY(!writer.say(chatId, u"while scrolled up"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(session.currentUnread(), kUnread - 30 + 1, 15000);
        // Not in view: what the view shows is not read.
        session.setViewActive(false);
        session.markSeen(0);
        QCOMPARE(session.currentUnread(), kUnread - 30 + 1);
        // Back, at the newest: all read.
        session.setViewActive(true);
        QCOMPARE(session.currentUnread(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(serverUnread(chatId), 0, 15000);
        // And the line stays where the unread began while the chat is open.
        QCOMPARE(messages->data(messages->index(messages->firstUnreadRow()),
                                desktop::MessageListModel::TextRole),
                 QVariant(u"unread 0"_s));
    }

    // One's own messages show as read once the other side has read them (its read receipt), and
    // only those up to the one it read.
    void ownMessagesShowWhenTheyAreRead() {
        auto frank = partnerOfAlice(u"cs_frank"_s);
        QVERIFY(frank);
        const QString chatId = frank->chatId;
        ChatSession session;
        logInAlice(session, url());
        session.openChat(chatId);
        auto *messages = session.messages();
        QTRY_VERIFY_WITH_TIMEOUT(messages->chatId() == chatId && !messages->loading(), 15000);
        for (const QString &text : {u"first"_s, u"second"_s, u"third"_s}) {
            QVERIFY(session.send(text));
        }
        const auto valueAt = [&](int row, desktop::MessageListModel::Role role) {
            return messages->data(messages->index(row), role);
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            messages->rowCount() == 3 &&
                valueAt(2, desktop::MessageListModel::SeqRole).toLongLong() > 0 &&
                valueAt(0, desktop::MessageListModel::SeqRole).toLongLong() > 0,
            15000);
        QCOMPARE(valueAt(1, desktop::MessageListModel::TextRole).toString(), u"second"_s);
        QVERIFY(!valueAt(1, desktop::MessageListModel::ReadRole).toBool());

        frank->client->sendJson(
            {{"type"_L1, "read"_L1},
             {"chat_id"_L1, chatId},
             {"message_id"_L1, valueAt(1, desktop::MessageListModel::IdRole).toString()}});
        QTRY_VERIFY_WITH_TIMEOUT(valueAt(1, desktop::MessageListModel::ReadRole).toBool(), 15000);
        QVERIFY(valueAt(2, desktop::MessageListModel::ReadRole).toBool());
        QVERIFY(!valueAt(0, desktop::MessageListModel::ReadRole).toBool());
    }

    // Reply, edit, react and delete from the desktop, each seen in the open chat as the server
    // has it now; only one's own messages can be edited.
    void messageActions() {
        using Model = desktop::MessageListModel;
        auto gina = partnerOfAlice(u"cs_gina"_s);
        QVERIFY(gina);
        const QString chatId = gina->chatId;
        const QString questionId = gina->client->say(chatId, u"lunch at noon?"_s);
        QVERIFY(!questionId.isEmpty());

        ChatSession session;
        logInAlice(session, url());
        session.openChat(chatId);
        auto *messages = session.messages();
        QTRY_VERIFY_WITH_TIMEOUT(messages->chatId() == chatId && messages->find(questionId), 15000);
        const auto valueOf = [&](const QString &id, Model::Role role) {
            const auto message = messages->find(id);
            return message ? messages->data(messages->index(messages->rowOfSeq(message->seq)), role)
                           : QVariant();
        };

        // A reply quotes what it answers.
        session.startReply(questionId);
        QCOMPARE(session.replyTo().value(u"text"_s).toString(), u"lunch at noon?"_s);
        QVERIFY(session.send(u"yes!"_s));
        QVERIFY(session.replyTo().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!messages->lastOwnMessageId().isEmpty(), 15000);
        const QString answerId = messages->lastOwnMessageId();
        QCOMPARE(valueOf(answerId, Model::ReplyToRole).toString(), questionId);
        QCOMPARE(valueOf(answerId, Model::ReplySenderRole).toString(), u"cs_gina"_s);
        QCOMPARE(valueOf(answerId, Model::ReplyTextRole).toString(), u"lunch at noon?"_s);

        // Only one's own message can be edited; the edit shows as such.
        QCOMPARE(session.startEdit(questionId), QString());
        QVERIFY(session.editingId().isEmpty());
        QCOMPARE(session.startEdit(answerId), u"yes!"_s);
        QVERIFY(session.send(u"yes, at 12:30"_s));
        QVERIFY(session.editingId().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(valueOf(answerId, Model::TextRole).toString(), u"yes, at 12:30"_s,
                                  15000);
        QVERIFY(valueOf(answerId, Model::EditedRole).toBool());

        // A reaction toggles.
        session.toggleReaction(questionId, u"👍"_s);
        QTRY_COMPARE_WITH_TIMEOUT(valueOf(questionId, Model::ReactionsRole).toList().size(), 1,
                                  15000);
        const QVariantMap thumbs =
            valueOf(questionId, Model::ReactionsRole).toList().first().toMap();
        QCOMPARE(thumbs.value(u"emoji"_s).toString(), u"👍"_s);
        QCOMPARE(thumbs.value(u"count"_s).toInt(), 1);
        QVERIFY(thumbs.value(u"mine"_s).toBool());
        session.toggleReaction(questionId, u"👍"_s);
        QTRY_VERIFY_WITH_TIMEOUT(valueOf(questionId, Model::ReactionsRole).toList().isEmpty(),
                                 15000);

        // Deleted: no text left, and it can no longer be edited.
        session.deleteMessage(answerId);
        QTRY_VERIFY_WITH_TIMEOUT(valueOf(answerId, Model::DeletedRole).toBool(), 15000);
        QCOMPARE(valueOf(answerId, Model::TextRole).toString(), QString());
        QVERIFY(messages->lastOwnMessageId().isEmpty());
        QCOMPARE(session.startEdit(answerId), QString());

        // The quoted message, asked for, is shown where it is.
        QSignalSpy ready(messages, &Model::highlightReady);
        messages->openAround(questionId);
        QTRY_COMPARE(ready.size(), 1);
        QCOMPARE(messages->highlightRow(), messages->rowOfSeq(messages->find(questionId)->seq));
    }

    // A file of a message is saved in the user's download folder under the name it was sent
    // with; a second save of it does not overwrite the first.
    void savesAFileIntoTheDownloadFolder() {
        QTemporaryDir downloads;
        QVERIFY(downloads.isValid());
        {
            QFile userDirs(m_config.filePath(u"user-dirs.dirs"_s));
            QVERIFY(userDirs.open(QIODevice::WriteOnly));
            QVERIFY(userDirs.write("XDG_DOWNLOAD_DIR=\"" + downloads.path().toUtf8() + "\"\n") > 0);
        }
        auto hana = partnerOfAlice(u"cs_hana"_s);
        QVERIFY(hana);
        const QString chatId = hana->chatId;
        HttpHeaders headers = bearer(hana->account.token);
        headers.append({"Content-Type"_ba, "text/plain"_ba});
        const QByteArray contents = "minutes of the planning meeting\n";
        const HttpResult uploaded = httpRequest(
            "POST", m_server.httpUrl(u"/api/v1/uploads?filename=minutes.txt"_s), contents, headers);
        QCOMPARE(uploaded.status, 201);
        const QString uploadId = uploaded.json().value("id"_L1).toString();
        QVERIFY(!hana->client->say(chatId, {}, {{"attachment_ids"_L1, QJsonArray{uploadId}}})
                     .isEmpty());

        ChatSession session;
        logInAlice(session, url());
        session.openChat(chatId);
        auto *messages = session.messages();
        QTRY_VERIFY_WITH_TIMEOUT(
            messages->rowCount() == 1 &&
                messages->data(messages->index(0), desktop::MessageListModel::AttachmentsRole)
                        .toList()
                        .size() == 1,
            15000);
        QSignalSpy saved(&session, &ChatSession::fileSaved);
        session.saveAttachment(uploadId);
        QVERIFY(saved.wait(15000));
        const QString first = saved.takeFirst().at(0).toString();
        QCOMPARE(first, downloads.filePath(u"minutes.txt"_s));
        QFile file(first);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), contents);
        session.saveAttachment(uploadId);
        QVERIFY(saved.wait(15000));
        QCOMPARE(saved.takeFirst().at(0).toString(), downloads.filePath(u"minutes (2).txt"_s));
        QVERIFY(session.errorText().isEmpty());
    }

    // Files attached to the next message upload at once; the message goes when they are in, with
    // or without text. A file that cannot be read says why and holds the send until removed. An
    // image on the clipboard is attached as a PNG.
    void attachFilesAndPasteAnImage() {
        using Model = desktop::AttachmentListModel;
        const auto ivan = partnerOfAlice(u"cs_ivan"_s);
        QVERIFY(ivan);
        const QString chatId = ivan->chatId;
        QTemporaryDir files;
        QFile plan(files.filePath(u"plan.txt"_s));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        QVERIFY(plan.write("step 1: ship it\n") > 0);
        plan.close();

        ChatSession session;
        logInAlice(session, url());
        session.openChat(chatId);
        auto *attachments = session.attachments();
        attachments->addFile(QUrl::fromLocalFile(files.filePath(u"missing.txt"_s)));
        QCOMPARE(attachments->data(attachments->index(0), Model::StateRole).value<Model::State>(),
                 Model::State::Failed);
        QVERIFY(!session.send(u"here"_s));
        QVERIFY(!session.errorText().isEmpty());
        attachments->remove(0);
        attachments->addFile(QUrl::fromLocalFile(plan.fileName()));
        QVERIFY(!attachments->ready());
        QTRY_VERIFY_WITH_TIMEOUT(attachments->ready(), 15000);
        QVERIFY(session.send(QString())); // files alone need no text
        QCOMPARE(attachments->count(), 0);

        QGuiApplication::clipboard()->setImage(QImage(40, 30, QImage::Format_RGB32));
        QVERIFY(attachments->addClipboardImage());
        QTRY_VERIFY_WITH_TIMEOUT(attachments->ready(), 15000);
        QVERIFY(session.send(u"and a sketch"_s));

        auto *messages = session.messages();
        const auto attachedTo = [&](int row) {
            return messages->data(messages->index(row), desktop::MessageListModel::AttachmentsRole)
                .toList();
        };
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() == 2 && attachedTo(0).size() == 1 &&
                                     attachedTo(1).size() == 1,
                                 15000);
        QCOMPARE(attachedTo(1).first().toMap().value(u"filename"_s).toString(), u"plan.txt"_s);
        const QVariantMap sketch = attachedTo(0).first().toMap();
        QCOMPARE(sketch.value(u"contentType"_s).toString(), u"image/png"_s);
        QVERIFY(sketch.value(u"filename"_s).toString().startsWith(u"Pasted image"_s));
        QCOMPARE(messages->data(messages->index(0), desktop::MessageListModel::TextRole).toString(),
                 u"and a sketch"_s);

        // The sketch is shown inline: fetched once into the cache, byte for byte, and found
        // there the next time; a text file is not an image to show.
        auto *previews = session.previews();
        QVERIFY(previews->shows(u"image/png"_s, sketch.value(u"size"_s).toLongLong()));
        QVERIFY(!previews->shows(u"text/plain"_s, 10));
        QVERIFY(!previews->shows(u"image/png"_s, desktop::PreviewCache::kMaxImageBytes + 1));
        const QString sketchId = sketch.value(u"uploadId"_s).toString();
        // Two older images in the cache, the oldest looked at now: with room for one of them
        // beside the sketch, the one not looked at for longest goes.
        QVERIFY(QDir().mkpath(previews->directoryPath()));
        QStringList older;
        for (int hoursAgo : {2, 1}) {
            const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            QFile file(QDir(previews->directoryPath()).filePath(id));
            QVERIFY(file.open(QIODevice::WriteOnly));
            QCOMPARE(file.write(QByteArray(1000, 'x')), 1000);
            QVERIFY(file.flush()); // a write at close would make it new again
            QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-3600 * hoursAgo),
                                     QFileDevice::FileModificationTime));
            older.append(file.fileName());
        }
        QVERIFY(!previews->fileFor(QFileInfo(older[0]).fileName()).isEmpty());
        previews->setMaxCacheBytes(1000 + sketch.value(u"size"_s).toLongLong());
        QSignalSpy fetched(previews, &desktop::PreviewCache::ready);
        QVERIFY(previews->fileFor(sketchId).isEmpty());
        QVERIFY(fetched.wait(15000));
        QVERIFY(QFileInfo::exists(older[0]));
        QVERIFY(!QFileInfo::exists(older[1]));
        const QUrl cached = fetched.first().at(1).toUrl();
        QVERIFY(!QImage(cached.toLocalFile()).isNull());
        QCOMPARE(QImage(cached.toLocalFile()).size(), QSize(40, 30));
        QCOMPARE(previews->fileFor(sketchId), cached);
        QVERIFY(previews->fileFor(u"../../etc/passwd"_s).isEmpty());
        // Logging out forgets them.
        session.account()->logOut();
        QVERIFY(!QFileInfo::exists(cached.toLocalFile()));
    }

    // The New chat dialog's lists: people by the start of their name (never oneself), rooms with
    // the ones the user is in marked, each loading while asked and empty when nothing matches.
    void peopleAndRoomsAreListedFromTheServer() {
        const auto kim = createAccount(m_server, u"cs_kim"_s);
        const auto kit = createAccount(m_server, u"cs_kit"_s);
        QVERIFY(kim && kit);
        const QString joined = createRoom(m_server, u"cs-kitchen"_s, *kim, {*m_alice});
        const QString other = createRoom(m_server, u"cs-kiosk"_s, *kim, {});
        QVERIFY(!joined.isEmpty() && !other.isEmpty());
        ChatSession session;
        logInAlice(session, url());

        auto *people = session.people();
        people->search(u" CS_KI "_s);
        QVERIFY(people->loading());
        QTRY_VERIFY_WITH_TIMEOUT(!people->loading(), 15000);
        QCOMPARE(people->errorText(), QString());
        QStringList names;
        for (int row = 0; row < people->rowCount(); ++row) {
            names.append(
                people->data(people->index(row), desktop::PeopleModel::UsernameRole).toString());
        }
        names.sort();
        QCOMPARE(names, (QStringList{u"cs_kim"_s, u"cs_kit"_s}));
        people->search(u"cs_alice"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!people->loading(), 15000);
        QCOMPARE(people->rowCount(), 0); // oneself is no one to start a chat with

        auto *rooms = session.roomDirectory();
        rooms->refresh();
        QVERIFY(rooms->loading());
        QTRY_VERIFY_WITH_TIMEOUT(!rooms->loading() && rooms->rowCount() >= 2, 15000);
        QHash<QString, bool> joinedByName;
        for (int row = 0; row < rooms->rowCount(); ++row) {
            const QModelIndex index = rooms->index(row);
            joinedByName.insert(
                rooms->data(index, desktop::RoomDirectoryModel::NameRole).toString(),
                rooms->data(index, desktop::RoomDirectoryModel::JoinedRole).toBool());
        }
        QCOMPARE(joinedByName.value(u"cs-kitchen"_s, false), true);
        QCOMPARE(joinedByName.value(u"cs-kiosk"_s, true), false);

        // Logged out: the lists go with the account.
        session.account()->logOut();
        QCOMPARE(people->rowCount(), 0);
        QCOMPARE(rooms->rowCount(), 0);
    }

    // A server that cannot be reached: the lists say so instead of staying empty.
    void peopleAndRoomsSayWhenTheServerIsUnreachable() {
        rememberSession(u"http://127.0.0.1:9"_s, *m_alice, m_alice->token,
                        QDateTime::currentSecsSinceEpoch() + 3600);
        ChatSession session;
        session.account()->restore();
        QVERIFY(session.account()->loggedIn());
        session.people()->search(u"cs_"_s);
        session.roomDirectory()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!session.people()->errorText().isEmpty(), 15000);
        QVERIFY2(session.people()->errorText().startsWith(u"Server unreachable"_s),
                 qPrintable(session.people()->errorText()));
        QTRY_VERIFY_WITH_TIMEOUT(!session.roomDirectory()->errorText().isEmpty(), 15000);
        QVERIFY(!session.people()->loading());
        // Asked again, the error goes while the answer is awaited.
        session.people()->search(u"cs"_s);
        QCOMPARE(session.people()->errorText(), QString());
        QVERIFY(session.people()->loading());
        session.account()->logOut();
    }

    // Ctrl+F: found in all chats or only one, named by the chat they are in; a result opens its
    // chat at the message.
    void searchFindsAndShowsAMessage() {
        using Search = desktop::SearchModel;
        auto juno = partnerOfAlice(u"cs_juno"_s);
        QVERIFY(juno);
        const QString chatId = juno->chatId;
        for (const QString &text : {u"the quarterly roadmap draft is up"_s, u"coffee?"_s}) {
            QVERIFY(!juno->client->say(chatId, text).isEmpty());
        }
        ChatSession session;
        logInAlice(session, url());
        auto *search = session.search();
        search->search(u"quarterly roadm"_s);
        QVERIFY(search->loading());
        QTRY_VERIFY_WITH_TIMEOUT(!search->loading(), 15000);
        QVERIFY2(search->errorText().isEmpty(), qPrintable(search->errorText()));
        QCOMPARE(search->rowCount(), 1);
        const auto valueAt = [&](Search::Role role) {
            return search->data(search->index(0), role).toString();
        };
        QVERIFY(valueAt(Search::SnippetRole).contains(u"roadmap"_s));
        QCOMPARE(valueAt(Search::ChatTitleRole), u"cs_juno"_s);
        QCOMPARE(valueAt(Search::SenderRole), u"cs_juno"_s);

        // Only in the lobby: not there.
        search->search(u"quarterly"_s, kLobby);
        QTRY_VERIFY_WITH_TIMEOUT(!search->loading(), 15000);
        QCOMPARE(search->rowCount(), 0);
        search->search(u"quarterly"_s, chatId);
        QTRY_VERIFY_WITH_TIMEOUT(!search->loading() && search->rowCount() == 1, 15000);

        QSignalSpy shown(session.messages(), &desktop::MessageListModel::highlightReady);
        session.showMessage(chatId, valueAt(Search::MessageIdRole));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 15000); // at once when it is held already
        QCOMPARE(session.currentChatId(), chatId);
        const int row = session.messages()->highlightRow();
        QVERIFY(row >= 0);
        QCOMPARE(session.messages()
                     ->data(session.messages()->index(row), desktop::MessageListModel::TextRole)
                     .toString(),
                 u"the quarterly roadmap draft is up"_s);
        search->clear();
        QCOMPARE(search->rowCount(), 0);
        QVERIFY(search->query().isEmpty());
    }

    // A message the server refuses (here: to a room the user has not joined) shows failed with
    // the reason, also after switching away and back; once the user is in the room, Retry sends
    // it, once.
    void refusedMessageShowsAgainAndIsSentOnRetry() {
        using Model = desktop::MessageListModel;
        const auto owner = createAccount(m_server, u"cs_lena"_s);
        QVERIFY(owner);
        const QString roomId = createRoom(m_server, u"cs-retry"_s, *owner, {});
        QVERIFY(!roomId.isEmpty());
        ChatSession session;
        logInAlice(session, url());
        auto *messages = session.messages();
        const auto statusOfNewest = [messages] {
            return messages->data(messages->index(0), Model::StatusRole).value<Model::Status>();
        };
        session.openChat(roomId);
        QVERIFY(session.send(u"let me in"_s));
        QTRY_COMPARE_WITH_TIMEOUT(statusOfNewest(), Model::Status::Failed, 15000);
        const QString requestId =
            messages->data(messages->index(0), Model::RequestIdRole).toString();
        const QString reason = messages->data(messages->index(0), Model::ErrorRole).toString();
        QVERIFY(!reason.isEmpty());

        session.openChat(kLobby);
        session.openChat(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(messages->data(messages->index(0), Model::RequestIdRole),
                                  QVariant(requestId), 15000);
        QCOMPARE(statusOfNewest(), Model::Status::Failed);
        QCOMPARE(messages->data(messages->index(0), Model::ErrorRole).toString(), reason);

        session.joinRoom(roomId);
        QTRY_VERIFY_WITH_TIMEOUT(session.chats()->rowOf(roomId) >= 0, 15000);
        session.retry(requestId);
        QTRY_COMPARE_WITH_TIMEOUT(statusOfNewest(), Model::Status::Sent, 15000);
        QCOMPARE(messages->data(messages->index(0), Model::TextRole).toString(), u"let me in"_s);
        session.retry(requestId); // settled: nothing left to send again
        // Switched away and back, the room holds the message once, and no failed copy.
        session.openChat(kLobby);
        session.openChat(roomId);
        QTRY_VERIFY_WITH_TIMEOUT(!messages->loading() && messages->rowCount() > 0, 15000);
        int copies = 0;
        for (int row = 0; row < messages->rowCount(); ++row) {
            const QModelIndex index = messages->index(row);
            QCOMPARE(messages->data(index, Model::StatusRole).value<Model::Status>(),
                     Model::Status::Sent);
            copies += messages->data(index, Model::TextRole).toString() == u"let me in"_s ? 1 : 0;
        }
        QCOMPARE(copies, 1);
    }

    // Switching chats while the server is down: the chat says it waits for the connection,
    // messages typed meanwhile stay in the order they were typed (also after switching away and
    // back), partners do not show as online, and once the server is back the open chat's
    // history comes in with the messages sent, without opening it again.
    void switchingChatsOfflineLosesNothing() {
        ServerProcess flaky;
        QVERIFY2(flaky.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(flaky.log()));
        const quint16 port = flaky.port();
        const auto dana = createAccount(flaky, u"cs_dana"_s);
        const auto erin = createAccount(flaky, u"cs_erin"_s);
        QVERIFY(dana && erin);
        const QString direct = directChat(flaky, *erin, *dana);
        QVERIFY(!direct.isEmpty());
        TestClient erinOnline;
        QVERIFY(!erinOnline.join(erin->wsUrl(flaky)).isEmpty());
        erinOnline.sendJson(
            {{"type"_L1, "message"_L1}, {"chat_id"_L1, direct}, {"text"_L1, "hi"_L1}});
        QVERIFY(!erinOnline.waitFor(u"message_sent"_s).isEmpty());
        rememberSession(flaky.httpUrl({}).toString(), *dana, dana->token,
                        QDateTime::currentSecsSinceEpoch() + 3600);

        ChatSession session;
        QSignalSpy loaded(&session, &ChatSession::chatsLoaded);
        session.account()->restore();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 15000);
        auto *chats = session.chats();
        const auto partnerOnline = [&] {
            return chats
                ->data(chats->index(chats->rowOf(direct)),
                       desktop::ChatListModel::PartnerOnlineRole)
                .toBool();
        };
        QVERIFY(partnerOnline());

        QVERIFY(flaky.kill());
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->connection(),
                                  desktop::Account::Connection::Reconnecting, 10000);
        QVERIFY2(!partnerOnline(), "nobody shows as online while we are not");
        session.openChat(kLobby);
        auto *messages = session.messages();
        QTRY_VERIFY_WITH_TIMEOUT(!messages->errorText().isEmpty(), 15000);
        QVERIFY2(messages->errorText().contains(u"connection"_s),
                 qPrintable(messages->errorText()));
        const QStringList typed{u"one"_s, u"two"_s, u"three"_s};
        for (const QString &text : typed) {
            QVERIFY(session.send(text));
        }
        const auto shownTexts = [&] {
            QStringList texts; // oldest first, as on screen from the top
            for (int row = messages->rowCount() - 1; row >= 0; --row) {
                texts.append(
                    messages->data(messages->index(row), desktop::MessageListModel::TextRole)
                        .toString());
            }
            return texts;
        };
        QCOMPARE(shownTexts(), typed);
        session.openChat(direct);
        session.openChat(kLobby);
        QCOMPARE(shownTexts(), typed);

        QVERIFY2(flaky.start({u"--rate-limit"_s, u"1000"_s, u"--port"_s, QString::number(port)}),
                 qPrintable(flaky.log()));
        session.account()->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->connection(),
                                  desktop::Account::Connection::Online, 15000);
        // The lobby's history (from before) is there, and the three were stored in order.
        QTRY_VERIFY_WITH_TIMEOUT(
            messages->errorText().isEmpty() && messages->newestStoredId().size() > 0 &&
                shownTexts().mid(shownTexts().size() - 3) == typed &&
                messages->data(messages->index(0), desktop::MessageListModel::StatusRole)
                        .value<desktop::MessageListModel::Status>() ==
                    desktop::MessageListModel::Status::Sent,
            15000);
        QCOMPARE(shownTexts().count(u"one"_s), 1);
        // The partner's session ended with the server; back, she shows as online again.
        TestClient erinAgain;
        QVERIFY(!erinAgain.join(erin->wsUrl(flaky)).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(partnerOnline(), 15000);
        session.account()->logOut();
    }

    // Started while its server is down (a laptop before its network is up): the session keeps
    // trying from the first attempt, says why meanwhile, and comes online once the server is up.
    void startedBeforeItsServerComesOnlineLater() {
        ServerProcess late;
        QVERIFY2(late.start({u"--rate-limit"_s, u"1000"_s}), qPrintable(late.log()));
        const quint16 port = late.port();
        const auto carol = createAccount(late, u"cs_carol"_s);
        QVERIFY(carol);
        QVERIFY(late.kill());
        rememberSession(late.httpUrl({}).toString(), *carol, carol->token,
                        QDateTime::currentSecsSinceEpoch() + 3600);

        ChatSession session;
        session.account()->restore();
        QVERIFY(session.account()->loggedIn());
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->connection(),
                                  desktop::Account::Connection::Reconnecting, 10000);
        QVERIFY2(!session.account()->connectionProblem().isEmpty(), "the banner says why");
        QVERIFY(session.account()->reconnectSeconds() > 0);

        QVERIFY2(late.start({u"--rate-limit"_s, u"1000"_s, u"--port"_s, QString::number(port)}),
                 qPrintable(late.log()));
        QSignalSpy loaded(&session, &ChatSession::chatsLoaded);
        session.account()->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(session.account()->connection(),
                                  desktop::Account::Connection::Online, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 15000);
        QVERIFY(session.chats()->rowCount() > 0);
        session.account()->logOut();
    }

private:
    [[nodiscard]] QString url() const { return m_server.httpUrl({}).toString(); }

    // A new account with a direct chat with alice, online on its own session.
    struct Partner {
        TestAccount account;
        QString chatId;
        std::unique_ptr<TestClient> client = std::make_unique<TestClient>();
    };
    std::optional<Partner> partnerOfAlice(const QString &name) {
        const auto account = createAccount(m_server, name);
        if (!account) {
            return std::nullopt;
        }
        Partner partner{*account, directChat(m_server, *account, *m_alice)};
        if (partner.chatId.isEmpty() || partner.client->join(account->wsUrl(m_server)).isEmpty()) {
            return std::nullopt;
        }
        return partner;
    }

    // The open chat's unread count for alice as the server has it.
    [[nodiscard]] qint64 serverUnread(const QString &chatId) const {
        const QJsonArray chats =
            httpGet(m_server.httpUrl(u"/api/v1/chats"_s), bearer(m_alice->token))
                .json()
                .value("chats"_L1)
                .toArray();
        for (const QJsonValue &chat : chats) {
            if (chat["id"_L1].toString() == chatId) {
                return chat["unread_count"_L1].toInteger();
            }
        }
        return -1;
    }

    // Logs alice in and waits until her chat list is loaded.
    static void logInAlice(ChatSession &session, const QString &server) {
        QSignalSpy loaded(&session, &ChatSession::chatsLoaded);
        session.account()->logIn(server, u"cs_alice"_s, u"password-of-cs_alice"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 15000);
        QVERIFY(session.account()->loggedIn());
    }

    // What ChatSession keeps after a login, with the given token and expiry.
    void rememberAlice(const QString &token, qint64 expiresAt) const {
        rememberSession(url(), *m_alice, token, expiresAt);
    }

    static void rememberSession(const QString &server, const TestAccount &account,
                                const QString &token, qint64 expiresAt) {
        const auto problem = client::SessionStore().save(
            {QUrl(server), account.id, account.username, token, expiresAt});
        QVERIFY2(!problem, qPrintable(problem.value_or(QString())));
    }

    QTemporaryDir m_config;
    ServerProcess m_server;
    std::optional<TestAccount> m_alice;
};

// A GUI application: the clipboard (pasted images) needs one.
QTEST_MAIN(TestChatSession)
#include "tst_chatsession.moc"
