// SPDX-License-Identifier: MIT
#include "chatsession.h"

#include "client/follow.h"
#include "client/savedfile.h"
#include "messagetext.h"
#include "protocol/codec.h"
#include "servererror.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

// The open chat is told again that the user is typing at most this often, and that the user
// stopped after this long without an edit.
constexpr qint64 kTypingRepeatMs = 3000;
constexpr int kTypingIdleMs = 5000;
// Someone else counts as typing until this long after the last notice about them.
constexpr qint64 kTyperExpiryMs = 8000;

QVariantMap userEntry(const client::UserSummary &user) {
    return {{u"userId"_s, user.id}, {u"username"_s, user.username}, {u"online"_s, user.online}};
}

} // namespace

ChatSession::ChatSession(QObject *parent)
    : QObject(parent) {
    m_clock.start();
    m_typingIdle.setSingleShot(true);
    m_typingIdle.setInterval(kTypingIdleMs);
    connect(&m_typingIdle, &QTimer::timeout, this, &ChatSession::stopTyping);
    m_typersExpiry.setInterval(1000);
    connect(&m_typersExpiry, &QTimer::timeout, this, &ChatSession::updateTypingText);
    m_reconnectTick.setInterval(1000);
    connect(&m_reconnectTick, &QTimer::timeout, this, &ChatSession::connectionChanged);

    connect(&m_messages, &MessageListModel::opened, this, [this] {
        // Read up to the first unread message (everything held, when none was unread); the
        // view reports what it shows from here.
        const int firstUnread = m_messages.firstUnreadRow();
        const auto below = m_messages.storedAtOrBelow(firstUnread >= 0 ? firstUnread + 1 : 0);
        m_readSeq = below ? below->seq : 0;
        markSeenRead();
    });
    // The down button counts the open chat's unread messages.
    connect(&m_chats, &ChatListModel::modelReset, this, &ChatSession::currentUnreadChanged);
    connect(&m_chats, &ChatListModel::dataChanged, this, &ChatSession::currentUnreadChanged);
    connect(this, &ChatSession::currentChatChanged, this, &ChatSession::currentUnreadChanged);
    connect(&m_notifications, &NotificationSettings::mutedChatsChanged, this,
            [this] { m_chats.setMutedChats(m_notifications.mutedChats()); });
}

ChatSession::~ChatSession() = default;

void ChatSession::wire(client::ChatConnection &connection) {
    // From the first attempt: a laptop starts the app before its network is up, and a server
    // restarts; the app keeps trying, and the banner says why and when.
    connection.setReconnect(client::ChatConnection::Reconnect::Always);
    connect(&connection, &client::ChatConnection::stateChanged, this, [this, &connection] {
        if (connection.state() != client::ChatConnection::State::Reconnecting) {
            m_reconnectTick.stop();
        }
        // Who is online is unknown while we are not; the chat list read on the next welcome
        // says again.
        if (connection.state() != client::ChatConnection::State::Online) {
            m_chats.clearPresence();
        }
        Q_EMIT connectionChanged();
    });
    connect(&connection, &client::ChatConnection::reconnectScheduled, this, [this](int ms) {
        m_reconnectAtMs = m_clock.elapsed() + ms;
        m_reconnectTick.start();
        Q_EMIT connectionChanged();
    });
    connect(&connection, &client::ChatConnection::welcomed, this, [this] {
        // Unread counts and last messages may have moved while the session was down, and the
        // open chat's messages could not be loaded while it was.
        loadChats();
        if (!m_messages.errorText().isEmpty()) {
            m_messages.reloadLatest();
        }
    });
    connect(&connection, &client::ChatConnection::messageReceived, this, &ChatSession::onMessage);
    connect(&connection, &client::ChatConnection::messageAcknowledged, this,
            [this](const QString &requestId, const protocol::ChatMessage &message) {
                forgetUnsettled(requestId);
                m_messages.markSent(requestId, message);
                if (!m_chats.messageArrived(message, true, false)) {
                    loadChats();
                }
            });
    connect(&connection, &client::ChatConnection::messageRejected, this,
            [this](const QString &requestId, const protocol::ErrorFrame &error) {
                const auto found = std::find_if(
                    m_unsettled.begin(), m_unsettled.end(),
                    [&](const Unsettled &entry) { return entry.requestId == requestId; });
                const QString reason = serverErrorText(error.code, error.message);
                if (found != m_unsettled.end()) {
                    found->failure = reason;
                }
                m_messages.markFailed(requestId, reason);
            });
    connect(&connection, &client::ChatConnection::presenceChanged, this,
            [this](const QString &userId, bool online) { m_chats.setPresence(userId, online); });
    connect(&connection, &client::ChatConnection::typingChanged, this, &ChatSession::onTyping);
    connect(&connection, &client::ChatConnection::messageUpdated, &m_messages,
            &MessageListModel::update);
    connect(&connection, &client::ChatConnection::readReceived, this,
            [this](const QString &chatId, const QString &userId, const QString &messageId) {
                if (chatId == m_currentChatId && userId != m_account.userId) {
                    m_messages.markReadByOthers(messageId);
                }
            });
    connect(&connection, &client::ChatConnection::disconnected, this,
            [this](int closeCode, const QString &reason, bool) {
                if (!m_loggedIn) {
                    return;
                }
                // The server refused the session: the token expired or is no longer valid, and
                // trying again will not change that. Anything else did not connect at all.
                if (closeCode == QWebSocketProtocol::CloseCodePolicyViolated) {
                    logOut();
                    setErrorText(
                        tr("The server ended your session (%1). Please log in again.").arg(reason));
                    return;
                }
                setErrorText(tr("Disconnected: %1").arg(reason));
            });
}

QString ChatSession::serverAddress() const {
    const QUrl server =
        m_loggedIn ? m_account.server : QUrl(m_settings.value(u"server"_s).toString());
    return server.isEmpty() ? u"http://localhost:8080"_s : server.toString();
}

QString ChatSession::username() const {
    return m_loggedIn ? m_account.username : m_settings.value(u"session/username"_s).toString();
}

ChatSession::Connection ChatSession::connection() const {
    if (!m_connection) {
        return Connection::Offline;
    }
    switch (m_connection->state()) {
    case client::ChatConnection::State::Offline:
        return Connection::Offline;
    case client::ChatConnection::State::Connecting:
        return Connection::Connecting;
    case client::ChatConnection::State::Online:
        return Connection::Online;
    case client::ChatConnection::State::Reconnecting:
        return Connection::Reconnecting;
    }
    return Connection::Offline;
}

int ChatSession::reconnectSeconds() const {
    if (!m_connection || m_connection->state() != client::ChatConnection::State::Reconnecting) {
        return 0;
    }
    const qint64 remaining = std::max<qint64>(0, m_reconnectAtMs - m_clock.elapsed());
    return static_cast<int>((remaining + 999) / 1000);
}

QString ChatSession::connectionProblem() const {
    return m_connection ? m_connection->stateReason() : QString();
}

QString ChatSession::currentChatTitle() const {
    const int row = m_chats.rowOf(m_currentChatId);
    return row < 0 ? QString()
                   : m_chats.data(m_chats.index(row), ChatListModel::TitleRole).toString();
}

void ChatSession::setViewActive(bool active) {
    if (m_viewActive == active) {
        return;
    }
    m_viewActive = active;
    Q_EMIT viewActiveChanged();
    if (active) {
        markSeenRead();
    }
}

void ChatSession::reconnectNow() {
    if (m_connection) {
        m_connection->reconnectNow();
    }
}

void ChatSession::restore() {
    client::StoredSession account;
    account.server = QUrl(m_settings.value(u"server"_s).toString());
    account.userId = m_settings.value(u"session/user_id"_s).toString();
    account.username = m_settings.value(u"session/username"_s).toString();
    account.token = m_settings.value(u"session/token"_s).toString();
    account.expiresAtSeconds = m_settings.value(u"session/expires_at"_s).toLongLong();
    if (account.token.isEmpty() || account.server.isEmpty()) {
        return;
    }
    if (account.expiresAtSeconds <= QDateTime::currentSecsSinceEpoch()) {
        m_settings.remove(u"session/token"_s);
        setErrorText(serverErrorText(u"unauthorized"_s, {}));
        return;
    }
    start(account);
}

void ChatSession::logIn(const QString &server, const QString &username, const QString &password) {
    signIn(server, username, password, false);
}

void ChatSession::registerAccount(const QString &server, const QString &username,
                                  const QString &password) {
    signIn(server, username, password, true);
}

QCoro::Task<> ChatSession::signIn(QString server, QString username, QString password, bool create) {
    if (m_busy) {
        co_return;
    }
    const auto url = client::serverUrl(server.trimmed());
    if (!std::holds_alternative<QUrl>(url)) {
        setErrorText(tr("“%1” is not a server address like http://localhost:8080").arg(server));
        co_return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        setErrorText(tr("Enter a username and a password."));
        co_return;
    }
    QPointer<ChatSession> self(this);
    setErrorText({});
    setBusy(true);
    auto api = std::make_unique<client::ApiClient>(client::ServerAccess{std::get<QUrl>(url), {}});
    if (create) {
        const auto created = co_await api->registerAccount(username.trimmed(), password);
        if (!self) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&created)) {
            setBusy(false);
            reportApiError(*error);
            co_return;
        }
    }
    const auto answer = co_await api->logIn(username.trimmed(), password);
    if (!self) {
        co_return;
    }
    setBusy(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        reportApiError(*error);
        co_return;
    }
    const auto &login = std::get<client::LoginSession>(answer);
    const client::StoredSession account{
        std::get<QUrl>(url), login.userId, login.username, login.token,
        QDateTime::currentSecsSinceEpoch() + login.expiresInSeconds};
    remember(account);
    start(account);
}

void ChatSession::remember(const client::StoredSession &account) {
    constexpr auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    // Created private before the token is in it; Qt's settings writer keeps the mode of a file
    // that exists.
    const QString path = m_settings.fileName();
    if (!QFile::exists(path)) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile created(path);
        if (!created.open(QIODevice::WriteOnly) || !created.setPermissions(ownerOnly)) {
            setErrorText(tr("Cannot keep your session in %1: %2").arg(path, created.errorString()));
            return;
        }
    } else if (!QFile::setPermissions(path, ownerOnly)) {
        setErrorText(tr("Cannot keep your session in %1: %2").arg(path, u"chmod"_s));
        return;
    }
    m_settings.setValue(u"server"_s, account.server.toString());
    m_settings.setValue(u"session/user_id"_s, account.userId);
    m_settings.setValue(u"session/username"_s, account.username);
    m_settings.setValue(u"session/token"_s, account.token);
    m_settings.setValue(u"session/expires_at"_s, account.expiresAtSeconds);
    m_settings.sync();
}

void ChatSession::reportApiError(const client::ApiError &error) {
    if (error.status == 0) {
        setErrorText(tr("Server unreachable: %1").arg(error.message));
    } else if (error.code == "unauthorized"_L1) {
        setErrorText(serverErrorText(error));
        logOut();
    } else {
        setErrorText(serverErrorText(error));
    }
}

void ChatSession::start(const client::StoredSession &account) {
    ++m_login;
    m_account = account;
    m_api = std::make_unique<client::ApiClient>(client::ServerAccess{account.server, {}});
    m_api->setToken(account.token);
    m_messages.setSource(m_api.get(), account.userId);
    m_attachments.setApi(m_api.get());
    m_previews.setApi(m_api.get());
    m_search.setSource(m_api.get(), &m_chats);
    m_chats.setOwnUserId(account.userId);
    m_notifications.setAccount(account.userId);
    m_userNames.insert(account.userId, account.username);
    m_loggedIn = true;
    Q_EMIT accountChanged();
    // A connection of its own: nothing of an earlier account (chat cursors, unsent messages)
    // carries over to this one.
    m_connection = std::make_unique<client::ChatConnection>();
    wire(*m_connection);
    m_connection->open(m_api->webSocketUrl(account.token));
}

void ChatSession::logOut() {
    // The name stays for the next login, like the server address; the token goes.
    for (const auto key : {u"session/token", u"session/user_id", u"session/expires_at"}) {
        m_settings.remove(QString::fromUtf16(key));
    }
    m_settings.sync();
    m_previews.clear();
    stop();
}

void ChatSession::stop() {
    ++m_login;
    stopTyping();
    if (m_connection) {
        // Possibly inside one of its signals: it goes once that returns.
        m_connection->disconnect(this);
        m_connection->close();
        m_connection.release()->deleteLater();
    }
    Q_EMIT connectionChanged();
    m_loggedIn = false;
    m_unsettled.clear();
    m_followed.clear();
    m_typers.clear();
    m_currentChatId.clear();
    m_messages.open({});
    m_chats.reset({});
    m_messages.setSource(nullptr, {});
    m_attachments.setApi(nullptr);
    m_previews.setApi(nullptr);
    m_search.setSource(nullptr, nullptr);
    m_notifications.setAccount({});
    Q_EMIT currentChatChanged();
    Q_EMIT accountChanged();
    updateTypingText();
}

QCoro::Task<> ChatSession::loadChats() {
    if (!m_loggedIn) {
        co_return;
    }
    QPointer<ChatSession> self(this);
    const quint64 login = m_login;
    const auto answer = co_await m_api->chats();
    if (!self || login != m_login) {
        co_return; // an answer for a session that has ended since
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        reportApiError(*error);
        co_return;
    }
    const auto &chats = std::get<QList<client::ChatSummary>>(answer);
    m_chats.reset(chats);
    for (const client::ChatSummary &chat : chats) {
        if (chat.partner) {
            m_userNames.insert(chat.partner->id, chat.partner->username);
        }
        if (!m_followed.contains(chat.id)) {
            follow(chat);
        }
    }
    if (m_currentChatId.isEmpty() && !chats.isEmpty()) {
        openChat(chats.constFirst().id);
    } else {
        // The open chat was read while away only if the window was in view.
        markSeenRead();
        Q_EMIT currentChatChanged();
    }
    Q_EMIT chatsLoaded();
}

void ChatSession::follow(const client::ChatSummary &chat) {
    m_followed.insert(chat.id);
    [](QPointer<ChatSession> self, QPointer<client::ApiClient> api,
       QPointer<client::ChatConnection> connection, client::ChatSummary chat) -> QCoro::Task<> {
        const QString chatId = chat.id;
        const auto problem = co_await client::followChat(*api, *connection, std::move(chat));
        if (self && problem) {
            self->m_followed.remove(chatId); // tried again when the chat list is read next
        }
    }(this, m_api.get(), m_connection.get(), chat);
}

void ChatSession::openChat(const QString &chatId) {
    if (chatId == m_currentChatId) {
        return;
    }
    stopTyping();
    cancelCompose();
    m_attachments.clear(); // files go with the message they were added for, in its chat
    clearMentionSuggestions();
    m_roomMembers.clear();
    m_currentChatId = chatId;
    m_readSeq = -1; // known once the chat's first unread message is found
    m_seenSeq = 0;
    m_seenNewest = false;
    m_messages.open(chatId, m_chats.unread(chatId));
    // What is still on its way to this chat shows again, pending or failed.
    // In the order they were sent: each goes below the one before.
    for (const Unsettled &entry : std::as_const(m_unsettled)) {
        if (entry.chatId == chatId) {
            m_messages.addPending(entry.requestId, entry.text, m_account.username);
            if (!entry.failure.isEmpty()) {
                m_messages.markFailed(entry.requestId, entry.failure);
            }
        }
    }
    Q_EMIT currentChatChanged();
    updateTypingText();
    const int row = m_chats.rowOf(chatId);
    if (row >= 0 && m_chats.data(m_chats.index(row), ChatListModel::KindRole) == "room"_L1) {
        loadMembers(chatId);
    }
}

void ChatSession::showMessage(const QString &chatId, const QString &messageId) {
    openChat(chatId);
    m_messages.openAround(messageId);
}

QCoro::Task<> ChatSession::loadMembers(QString chatId) {
    QPointer<ChatSession> self(this);
    const quint64 login = m_login;
    const auto answer = co_await m_api->members(chatId);
    if (!self || login != m_login) {
        co_return;
    }
    if (const auto *members = std::get_if<QList<client::UserSummary>>(&answer)) {
        QStringList names;
        for (const client::UserSummary &member : *members) {
            m_userNames.insert(member.id, member.username);
            if (member.id != m_account.userId) {
                names.append(member.username);
            }
        }
        if (chatId == m_currentChatId) {
            m_roomMembers = names;
        }
        updateTypingText();
    }
}

void ChatSession::markSeen(int row) {
    const auto shown = m_messages.storedAtOrBelow(row);
    m_seenSeq = shown ? shown->seq : 0;
    // The bottom row (or one of the messages being sent below the stored ones) on screen: the
    // view follows the newest message.
    m_seenNewest = m_messages.atLatest() && (!shown || shown->id == m_messages.newestStoredId());
    markSeenRead();
}

void ChatSession::markSeenRead() {
    if (!m_viewActive || !m_marksRead || m_currentChatId.isEmpty() ||
        m_messages.chatId() != m_currentChatId || m_readSeq < 0 || !m_connection) {
        return;
    }
    // Following the newest: what arrived since the view last said so is on screen too.
    const int row = m_seenNewest ? 0 : m_messages.rowOfSeq(m_seenSeq);
    const auto shown = row < 0 ? std::nullopt : m_messages.storedAtOrBelow(row);
    if (!shown || shown->seq <= m_readSeq) {
        return;
    }
    const qint64 before = m_chats.unread(m_currentChatId);
    const qint64 newlyRead = m_messages.othersBetween(m_readSeq, shown->seq);
    m_readSeq = shown->seq;
    const bool toTheEnd = m_messages.atLatest() && shown->id == m_messages.newestStoredId();
    m_chats.setUnread(m_currentChatId, toTheEnd ? 0 : std::max<qint64>(0, before - newlyRead));
    if (before > 0) {
        m_connection->markRead(m_currentChatId, shown->id);
    }
}

qint64 ChatSession::currentUnread() const {
    return m_chats.unread(m_currentChatId);
}

void ChatSession::onMessage(const protocol::ChatMessage &message) {
    m_userNames.insert(message.senderId, message.sender);
    const bool own = message.senderId == m_account.userId;
    m_messages.addStored(message);
    if (!m_chats.messageArrived(message, own, false)) {
        loadChats(); // someone opened a chat with the user
    }
    if (message.chatId == m_currentChatId) {
        markSeenRead(); // read at once if the view follows the newest message
    }
    // A message ends its sender's typing.
    if (auto typers = m_typers.find(message.chatId); typers != m_typers.end()) {
        typers->remove(message.senderId);
        updateTypingText();
    }
    const bool mentioned = !own && mentionsUser(message.text, m_account.username);
    if (!own && !m_viewActive && m_notifications.allows(message.chatId, mentioned)) {
        const int row = m_chats.rowOf(message.chatId);
        const QString chatTitle =
            row < 0 ? QString()
                    : m_chats.data(m_chats.index(row), ChatListModel::TitleRole).toString();
        QString title;
        if (chatTitle == message.sender) {
            title = message.sender; // a direct chat
        } else if (mentioned) {
            title = tr("%1 mentioned you in %2").arg(message.sender, chatTitle);
        } else {
            title = tr("%1 in %2").arg(message.sender, chatTitle);
        }
        Q_EMIT notificationRequested(title, message.text);
    }
}

bool ChatSession::send(const QString &typed) {
    if (m_currentChatId.isEmpty()) {
        return false;
    }
    const QString text = composedText(typed);
    const bool withFiles = m_editingId.isEmpty() && m_attachments.count() > 0;
    if (withFiles && !m_attachments.ready()) {
        setErrorText(tr("The files are not all uploaded yet (or one failed: remove it)."));
        return false;
    }
    // A message of files alone needs no text; one with text follows the text rules.
    if (const auto problem = protocol::messageTextProblem(text);
        problem && !(withFiles && text.isEmpty())) {
        setErrorText(text.trimmed().isEmpty()
                         ? tr("A message needs some text.")
                         : tr("A message has at most %1 characters.").arg(textMaxChars()));
        return false;
    }
    setErrorText({});
    stopTyping();
    if (!m_editingId.isEmpty()) {
        submitEdit(m_editingId, text);
        cancelCompose();
        return true;
    }
    const QString replyToId = m_replyTo.value(u"messageId"_s).toString();
    cancelCompose();
    queue(text, replyToId, m_attachments.takeIds());
    return true;
}

void ChatSession::queue(const QString &text, const QString &replyToId,
                        const QStringList &attachmentIds) {
    const QString requestId = m_connection->send(text, m_currentChatId, replyToId, attachmentIds);
    m_unsettled.append(Unsettled{requestId, m_currentChatId, text, replyToId, attachmentIds, {}});
    m_messages.addPending(requestId, text, m_account.username);
}

void ChatSession::retry(const QString &requestId) {
    const auto failed =
        std::find_if(m_unsettled.cbegin(), m_unsettled.cend(),
                     [&](const Unsettled &entry) { return entry.requestId == requestId; });
    if (failed == m_unsettled.cend() || m_messages.takeFailed(requestId).isEmpty()) {
        return;
    }
    const Unsettled again = *failed;
    forgetUnsettled(requestId);
    queue(again.text, again.replyToId, again.attachmentIds);
}

void ChatSession::startReply(const QString &messageId) {
    const auto original = m_messages.find(messageId);
    if (!original || original->deleted) {
        return;
    }
    m_editingId.clear();
    m_replyTo = {{u"messageId"_s, original->id},
                 {u"sender"_s, original->sender},
                 {u"text"_s, original->text}};
    Q_EMIT composeTargetChanged();
}

QString ChatSession::startEdit(const QString &messageId) {
    const auto original = m_messages.find(messageId);
    if (!original || original->deleted || original->senderId != m_account.userId) {
        return {};
    }
    m_replyTo.clear();
    m_editingId = messageId;
    Q_EMIT composeTargetChanged();
    return original->text;
}

void ChatSession::cancelCompose() {
    if (m_replyTo.isEmpty() && m_editingId.isEmpty()) {
        return;
    }
    m_replyTo.clear();
    m_editingId.clear();
    Q_EMIT composeTargetChanged();
}

QCoro::Task<> ChatSession::submitEdit(QString messageId, QString text) {
    QPointer<ChatSession> self(this);
    const quint64 login = m_login;
    const auto answer = co_await m_api->editMessage(messageId, text);
    if (!self || login != m_login) {
        co_return;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        reportApiError(*error);
        co_return;
    }
    m_messages.update(std::get<protocol::ChatMessage>(answer));
}

void ChatSession::deleteMessage(const QString &messageId) {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString messageId) -> QCoro::Task<> {
        const auto answer = co_await api->deleteMessage(messageId);
        if (self) {
            if (const auto *error = std::get_if<client::ApiError>(&answer)) {
                self->reportApiError(*error);
            }
        }
    }(this, m_api.get(), messageId);
}

void ChatSession::toggleReaction(const QString &messageId, const QString &emoji) {
    const auto message = m_messages.find(messageId);
    if (!m_api || !message) {
        return;
    }
    const auto reaction =
        std::find_if(message->reactions.cbegin(), message->reactions.cend(),
                     [&](const protocol::Reaction &given) { return given.emoji == emoji; });
    const bool add =
        reaction == message->reactions.cend() || !reaction->userIds.contains(m_account.userId);
    [](QPointer<ChatSession> self, client::ApiClient *api, QString messageId, QString emoji,
       bool add) -> QCoro::Task<> {
        const auto answer = co_await api->react(messageId, emoji, add);
        if (self) {
            if (const auto *error = std::get_if<client::ApiError>(&answer)) {
                self->reportApiError(*error);
            }
        }
    }(this, m_api.get(), messageId, emoji, add);
}

void ChatSession::saveAttachment(const QString &uploadId) {
    if (!m_api) {
        return;
    }
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (folder.isEmpty() || !QDir().mkpath(folder)) {
        folder = QDir::homePath();
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString uploadId,
       QString folder) -> QCoro::Task<> {
        const auto saved = co_await client::saveUpload(*api, uploadId, folder);
        if (!self) {
            co_return;
        }
        if (const auto *path = std::get_if<QString>(&saved)) {
            Q_EMIT self->fileSaved(*path);
            co_return;
        }
        const auto &problem = std::get<client::SaveProblem>(saved);
        self->setErrorText(tr("The file could not be saved (%1): %2")
                               .arg(QDir::toNativeSeparators(problem.path), problem.reason));
    }(this, m_api.get(), uploadId, folder);
}

void ChatSession::forgetUnsettled(const QString &requestId) {
    m_unsettled.removeIf([&](const Unsettled &entry) { return entry.requestId == requestId; });
}

void ChatSession::composerEdited(const QString &text) {
    if (m_currentChatId.isEmpty()) {
        return;
    }
    if (text.isEmpty()) {
        stopTyping();
        return;
    }
    const qint64 now = m_clock.elapsed();
    if (m_typingSentAtMs < 0 || now - m_typingSentAtMs >= kTypingRepeatMs) {
        m_connection->setTyping(m_currentChatId, true);
        m_typingSentAtMs = now;
    }
    m_typingIdle.start();
}

void ChatSession::stopTyping() {
    m_typingIdle.stop();
    if (m_typingSentAtMs >= 0 && !m_currentChatId.isEmpty() && m_connection) {
        m_connection->setTyping(m_currentChatId, false);
    }
    m_typingSentAtMs = -1;
}

void ChatSession::onTyping(const QString &chatId, const QString &userId, bool isTyping) {
    if (userId == m_account.userId) {
        return;
    }
    if (isTyping) {
        m_typers[chatId].insert(userId, m_clock.elapsed());
    } else if (auto typers = m_typers.find(chatId); typers != m_typers.end()) {
        typers->remove(userId);
    }
    updateTypingText();
}

void ChatSession::updateTypingText() {
    const qint64 now = m_clock.elapsed();
    QStringList names;
    if (auto typers = m_typers.find(m_currentChatId); typers != m_typers.end()) {
        for (auto typer = typers->begin(); typer != typers->end();) {
            if (now - typer.value() > kTyperExpiryMs) {
                typer = typers->erase(typer);
                continue;
            }
            names.append(m_userNames.value(typer.key(), tr("Someone")));
            ++typer;
        }
    }
    names.sort(Qt::CaseInsensitive);
    QString text;
    if (names.size() == 1) {
        text = tr("%1 is typing…").arg(names.constFirst());
    } else if (names.size() == 2) {
        text = tr("%1 and %2 are typing…").arg(names[0], names[1]);
    } else if (names.size() > 2) {
        text = tr("%n people are typing…", nullptr, static_cast<int>(names.size()));
    }
    const bool anyone = std::any_of(m_typers.cbegin(), m_typers.cend(),
                                    [](const auto &typers) { return !typers.isEmpty(); });
    if (anyone && !m_typersExpiry.isActive()) {
        m_typersExpiry.start();
    } else if (!anyone) {
        m_typersExpiry.stop();
    }
    if (text != m_typingText) {
        m_typingText = text;
        Q_EMIT typingTextChanged();
    }
}

void ChatSession::searchUsers(const QString &prefix) {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString prefix) -> QCoro::Task<> {
        const auto answer = co_await api->searchUsers(prefix);
        if (!self) {
            co_return;
        }
        QVariantList found;
        if (const auto *users = std::get_if<QList<client::UserSummary>>(&answer)) {
            for (const client::UserSummary &user : *users) {
                if (user.id != self->m_account.userId) {
                    found.append(userEntry(user));
                }
            }
        } else {
            self->reportApiError(std::get<client::ApiError>(answer));
        }
        self->m_foundUsers = found;
        Q_EMIT self->foundUsersChanged();
    }(this, m_api.get(), prefix.trimmed());
}

void ChatSession::suggestMentions(const QString &prefix) {
    constexpr qsizetype kMaxSuggestions = 8;
    const int row = m_chats.rowOf(m_currentChatId);
    const QString kind =
        row < 0 ? QString() : m_chats.data(m_chats.index(row), ChatListModel::KindRole).toString();
    if (kind.isEmpty() || kind == "direct"_L1) {
        clearMentionSuggestions();
        return;
    }
    m_mentionPrefix = prefix;
    QStringList names;
    for (const QString &name : m_messages.recentSenders()) {
        if (name.startsWith(prefix, Qt::CaseInsensitive) && names.size() < kMaxSuggestions) {
            names.append(name);
        }
    }
    if (kind == "room"_L1) {
        for (const QString &member : std::as_const(m_roomMembers)) {
            if (member.startsWith(prefix, Qt::CaseInsensitive) &&
                !names.contains(member, Qt::CaseInsensitive) && names.size() < kMaxSuggestions) {
                names.append(member);
            }
        }
    }
    m_mentionSuggestions = names;
    Q_EMIT mentionSuggestionsChanged();
    if (kind != "lobby"_L1 || !m_api || names.size() >= kMaxSuggestions) {
        return; // a room's members are all known (loaded when it was opened)
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString prefix) -> QCoro::Task<> {
        const auto answer = co_await api->searchUsers(prefix);
        if (!self || prefix != self->m_mentionPrefix) {
            co_return;
        }
        const auto *users = std::get_if<QList<client::UserSummary>>(&answer);
        if (!users) {
            co_return; // the recent names stay; a completion is no place for an error
        }
        for (const client::UserSummary &user : *users) {
            if (user.id != self->m_account.userId &&
                !self->m_mentionSuggestions.contains(user.username, Qt::CaseInsensitive) &&
                self->m_mentionSuggestions.size() < kMaxSuggestions) {
                self->m_mentionSuggestions.append(user.username);
            }
        }
        Q_EMIT self->mentionSuggestionsChanged();
    }(this, m_api.get(), prefix);
}

void ChatSession::clearMentionSuggestions() {
    m_mentionPrefix.clear();
    if (!m_mentionSuggestions.isEmpty()) {
        m_mentionSuggestions.clear();
        Q_EMIT mentionSuggestionsChanged();
    }
}

void ChatSession::startDirectChat(const QString &userId) {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString userId) -> QCoro::Task<> {
        const auto answer = co_await api->openDirectChat(userId);
        if (!self) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&answer)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(std::get<client::ChatSummary>(answer).id);
    }(this, m_api.get(), userId);
}

void ChatSession::listRooms() {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, client::ApiClient *api) -> QCoro::Task<> {
        const auto answer = co_await api->rooms();
        if (!self) {
            co_return;
        }
        QVariantList rooms;
        if (const auto *listed = std::get_if<QList<client::RoomSummary>>(&answer)) {
            for (const client::RoomSummary &room : *listed) {
                rooms.append(QVariantMap{{u"roomId"_s, room.id},
                                         {u"name"_s, room.name},
                                         {u"members"_s, room.members},
                                         {u"joined"_s, self->m_chats.rowOf(room.id) >= 0}});
            }
        } else {
            self->reportApiError(std::get<client::ApiError>(answer));
        }
        self->m_rooms = rooms;
        Q_EMIT self->roomsChanged();
    }(this, m_api.get());
}

void ChatSession::joinRoom(const QString &roomId) {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, client::ApiClient *api, QString roomId) -> QCoro::Task<> {
        const auto answer = co_await api->joinRoom(roomId);
        if (!self) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&answer)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(roomId);
    }(this, m_api.get(), roomId);
}

void ChatSession::createRoom(const QString &name) {
    if (!m_api) {
        return;
    }
    [](QPointer<ChatSession> self, QPointer<client::ApiClient> api, QString name) -> QCoro::Task<> {
        const auto created = co_await api->createRoom(name);
        if (!self || !api) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&created)) {
            self->reportApiError(*error);
            co_return;
        }
        const QString roomId = std::get<client::RoomSummary>(created).id;
        const auto joined = co_await api->joinRoom(roomId);
        if (!self) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&joined)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(roomId);
    }(this, m_api.get(), name.trimmed());
}

QCoro::Task<> ChatSession::openNewChat(QString chatId) {
    QPointer<ChatSession> self(this);
    co_await loadChats();
    if (self) {
        openChat(chatId);
    }
}

void ChatSession::setBusy(bool busy) {
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged();
    }
}

void ChatSession::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

} // namespace neonchat::desktop
