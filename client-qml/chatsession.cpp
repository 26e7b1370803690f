// SPDX-License-Identifier: MIT
#include "chatsession.h"

#include "client/follow.h"
#include "client/savedfile.h"
#include "messagetext.h"
#include "protocol/codec.h"
#include "servererror.h"

#include <QDir>
#include <QPointer>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

ChatSession::ChatSession(QObject *parent)
    : ChatSession(client::SessionStore(), parent) {}

ChatSession::ChatSession(client::SessionStore store, QObject *parent)
    : QObject(parent)
    , m_account(std::move(store)) {
    connect(&m_account, &Account::started, this, &ChatSession::start);
    connect(&m_account, &Account::stopping, this, &ChatSession::stop);
    connect(&m_account, &Account::disconnected, this,
            [this](const QString &reason) { setErrorText(tr("Disconnected: %1").arg(reason)); });
    connect(&m_typing, &TypingTracker::announce, this, [this](const QString &chatId, bool typing) {
        if (auto *connection = m_account.chatConnection()) {
            connection->setTyping(chatId, typing);
        }
    });

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
    // Who created the open room is in the chat list, which a reconnect reads again.
    connect(this, &ChatSession::currentChatChanged, this, &ChatSession::moderatingChanged);
    connect(&m_chats, &ChatListModel::modelReset, this, &ChatSession::moderatingChanged);
    connect(&m_notifications, &NotificationSettings::mutedChatsChanged, this,
            [this] { m_chats.setMutedChats(m_notifications.mutedChats()); });
}

ChatSession::~ChatSession() {
    // The account, and its connection, outlive the models its signals would reach.
    if (auto *connection = m_account.chatConnection()) {
        connection->disconnect(this);
    }
}

void ChatSession::wire(client::ChatConnection &connection) {
    connect(&connection, &client::ChatConnection::stateChanged, this, [this, &connection] {
        // Who is online is unknown while we are not; the chat list read on the next welcome
        // says again.
        if (connection.state() != client::ChatConnection::State::Online) {
            m_chats.clearPresence();
        }
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
                m_messages.markSent(requestId, message);
                if (!m_chats.messageArrived(message, true, false)) {
                    loadChats();
                }
            });
    connect(&connection, &client::ChatConnection::messageRejected, this,
            [this, &connection](const QString &requestId, const protocol::ErrorFrame &error) {
                const QString reason = serverErrorText(error.code, error.message);
                // Still in the connection's outbox while this is told.
                for (const auto &message : connection.unsettled()) {
                    if (message.requestId == requestId) {
                        m_rejected.append({message, reason});
                    }
                }
                m_messages.markFailed(requestId, reason);
            });
    connect(&connection, &client::ChatConnection::presenceChanged, this,
            [this](const QString &userId, bool online) { m_chats.setPresence(userId, online); });
    connect(&connection, &client::ChatConnection::typingChanged, &m_typing, &TypingTracker::heard);
    connect(&connection, &client::ChatConnection::messageUpdated, &m_messages,
            &MessageListModel::update);
    connect(&connection, &client::ChatConnection::readReceived, this,
            [this](const QString &chatId, const QString &userId, const QString &messageId) {
                if (chatId == m_currentChatId && userId != m_account.userId()) {
                    m_messages.markReadByOthers(messageId);
                }
            });
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

void ChatSession::reportApiError(const client::ApiError &error) {
    if (error.code == "unauthorized"_L1) {
        m_account.end(serverErrorText(error));
    } else {
        setErrorText(requestErrorText(error));
    }
}

void ChatSession::start() {
    auto *api = m_account.api();
    const QString &userId = m_account.userId();
    setErrorText({});
    m_messages.setSource(api, userId);
    m_attachments.setApi(api);
    m_previews.setApi(api);
    m_search.setSource(api, &m_chats);
    m_people.setSource(api, userId);
    m_roomDirectory.setSource(api, &m_chats);
    m_chats.setOwnUserId(userId);
    m_notifications.setAccount(userId);
    m_typing.setOwnUserId(userId);
    m_typing.learnName(userId, m_account.username());
    wire(*m_account.chatConnection());
}

void ChatSession::stop() {
    m_typing.clear();
    if (auto *connection = m_account.chatConnection()) {
        connection->disconnect(this);
    }
    m_rejected.clear();
    m_followed.clear();
    m_currentChatId.clear();
    m_messages.open({});
    m_chats.reset({});
    m_messages.setSource(nullptr, {});
    m_attachments.setApi(nullptr);
    m_previews.clear();
    m_previews.setApi(nullptr);
    m_search.setSource(nullptr, nullptr);
    m_people.setSource(nullptr, {});
    m_roomDirectory.setSource(nullptr, nullptr);
    m_notifications.setAccount({});
    Q_EMIT currentChatChanged();
}

QCoro::Task<> ChatSession::loadChats() {
    if (!m_account.loggedIn()) {
        co_return;
    }
    QPointer<ChatSession> self(this);
    const quint64 generation = m_account.generation();
    const auto answer = co_await m_account.api()->chats();
    if (!self || !sameSession(generation)) {
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
            m_typing.learnName(chat.partner->id, chat.partner->username);
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
    }(this, m_account.api(), m_account.chatConnection(), chat);
}

void ChatSession::openChat(const QString &chatId) {
    if (chatId == m_currentChatId) {
        return;
    }
    cancelCompose();
    m_attachments.clear(); // files go with the message they were added for, in its chat
    clearMentionSuggestions();
    m_roomMembers.clear();
    m_currentChatId = chatId;
    m_readSeq = -1; // known once the chat's first unread message is found
    m_seenSeq = 0;
    m_seenNewest = false;
    m_typing.setChat(chatId);
    m_messages.open(chatId, m_chats.unread(chatId));
    // What did not reach this chat shows again: the refused, then what is still on its way, each
    // below the one before. (The server answers a session's messages in order: what it refused
    // was sent before anything still waiting.)
    for (const Rejected &rejected : std::as_const(m_rejected)) {
        if (rejected.message.chatId == chatId) {
            m_messages.addPending(rejected.message.requestId, rejected.message.text,
                                  m_account.username());
            m_messages.markFailed(rejected.message.requestId, rejected.reason);
        }
    }
    if (const auto *connection = m_account.chatConnection()) {
        for (const auto &message : connection->unsettled()) {
            if (message.chatId == chatId) {
                m_messages.addPending(message.requestId, message.text, m_account.username());
            }
        }
    }
    Q_EMIT currentChatChanged();
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
    const quint64 generation = m_account.generation();
    const auto answer = co_await m_account.api()->members(chatId);
    if (!self || !sameSession(generation)) {
        co_return;
    }
    if (const auto *members = std::get_if<QList<client::UserSummary>>(&answer)) {
        QStringList names;
        for (const client::UserSummary &member : *members) {
            m_typing.learnName(member.id, member.username);
            if (member.id != m_account.userId()) {
                names.append(member.username);
            }
        }
        if (chatId == m_currentChatId) {
            m_roomMembers = names;
        }
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
        m_messages.chatId() != m_currentChatId || m_readSeq < 0 || !m_account.chatConnection()) {
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
        m_account.chatConnection()->markRead(m_currentChatId, shown->id);
    }
}

qint64 ChatSession::currentUnread() const {
    return m_chats.unread(m_currentChatId);
}

void ChatSession::onMessage(const protocol::ChatMessage &message) {
    m_typing.learnName(message.senderId, message.sender);
    const bool own = message.senderId == m_account.userId();
    m_messages.addStored(message);
    if (!m_chats.messageArrived(message, own, false)) {
        loadChats(); // someone opened a chat with the user
    }
    if (message.chatId == m_currentChatId) {
        markSeenRead(); // read at once if the view follows the newest message
    }
    // A message ends its sender's typing.
    m_typing.heard(message.chatId, message.senderId, false);
    const bool mentioned = !own && mentionsUser(message.text, m_account.username());
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
    m_typing.stop();
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
    const QString requestId =
        m_account.chatConnection()->send(text, m_currentChatId, replyToId, attachmentIds);
    m_messages.addPending(requestId, text, m_account.username());
}

void ChatSession::retry(const QString &requestId) {
    const auto failed =
        std::find_if(m_rejected.cbegin(), m_rejected.cend(), [&](const Rejected &rejected) {
            return rejected.message.requestId == requestId;
        });
    if (failed == m_rejected.cend() || failed->message.chatId != m_currentChatId ||
        m_messages.takeFailed(requestId).isEmpty()) {
        return;
    }
    const client::ChatConnection::Outgoing again = failed->message;
    m_rejected.erase(failed);
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
    if (!original || original->deleted || original->senderId != m_account.userId()) {
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
    const quint64 generation = m_account.generation();
    const auto answer = co_await m_account.api()->editMessage(messageId, text);
    if (!self || !sameSession(generation)) {
        co_return;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        reportApiError(*error);
        co_return;
    }
    m_messages.update(std::get<protocol::ChatMessage>(answer));
}

void ChatSession::deleteMessage(const QString &messageId) {
    if (!m_account.loggedIn()) {
        return;
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString messageId) -> QCoro::Task<> {
        const auto answer = co_await api->deleteMessage(messageId);
        if (self && self->sameSession(generation)) {
            if (const auto *error = std::get_if<client::ApiError>(&answer)) {
                self->reportApiError(*error);
            }
        }
    }(this, m_account.generation(), m_account.api(), messageId);
}

void ChatSession::toggleReaction(const QString &messageId, const QString &emoji) {
    const auto message = m_messages.find(messageId);
    if (!m_account.loggedIn() || !message) {
        return;
    }
    const auto reaction =
        std::find_if(message->reactions.cbegin(), message->reactions.cend(),
                     [&](const protocol::Reaction &given) { return given.emoji == emoji; });
    const bool add =
        reaction == message->reactions.cend() || !reaction->userIds.contains(m_account.userId());
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString messageId, QString emoji, bool add) -> QCoro::Task<> {
        const auto answer = co_await api->react(messageId, emoji, add);
        if (self && self->sameSession(generation)) {
            if (const auto *error = std::get_if<client::ApiError>(&answer)) {
                self->reportApiError(*error);
            }
        }
    }(this, m_account.generation(), m_account.api(), messageId, emoji, add);
}

void ChatSession::saveAttachment(const QString &uploadId) {
    if (!m_account.loggedIn()) {
        return;
    }
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (folder.isEmpty() || !QDir().mkpath(folder)) {
        folder = QDir::homePath();
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString uploadId, QString folder) -> QCoro::Task<> {
        const auto saved = co_await client::saveUpload(*api, uploadId, folder);
        if (!self || !self->sameSession(generation)) {
            co_return;
        }
        if (const auto *path = std::get_if<QString>(&saved)) {
            Q_EMIT self->fileSaved(*path);
            co_return;
        }
        const auto &problem = std::get<client::SaveProblem>(saved);
        self->setErrorText(tr("The file could not be saved (%1): %2")
                               .arg(QDir::toNativeSeparators(problem.path), problem.reason));
    }(this, m_account.generation(), m_account.api(), uploadId, folder);
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
    if (kind != "lobby"_L1 || !m_account.loggedIn() || names.size() >= kMaxSuggestions) {
        return; // a room's members are all known (loaded when it was opened)
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString prefix) -> QCoro::Task<> {
        const auto answer = co_await api->searchUsers(prefix);
        if (!self || !self->sameSession(generation) || prefix != self->m_mentionPrefix) {
            co_return;
        }
        const auto *users = std::get_if<QList<client::UserSummary>>(&answer);
        if (!users) {
            co_return; // the recent names stay; a completion is no place for an error
        }
        for (const client::UserSummary &user : *users) {
            if (user.id != self->m_account.userId() &&
                !self->m_mentionSuggestions.contains(user.username, Qt::CaseInsensitive) &&
                self->m_mentionSuggestions.size() < kMaxSuggestions) {
                self->m_mentionSuggestions.append(user.username);
            }
        }
        Q_EMIT self->mentionSuggestionsChanged();
    }(this, m_account.generation(), m_account.api(), prefix);
}

void ChatSession::clearMentionSuggestions() {
    m_mentionPrefix.clear();
    if (!m_mentionSuggestions.isEmpty()) {
        m_mentionSuggestions.clear();
        Q_EMIT mentionSuggestionsChanged();
    }
}

void ChatSession::startDirectChat(const QString &userId) {
    if (!m_account.loggedIn()) {
        return;
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString userId) -> QCoro::Task<> {
        const auto answer = co_await api->openDirectChat(userId);
        if (!self || !self->sameSession(generation)) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&answer)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(std::get<client::ChatSummary>(answer).id);
    }(this, m_account.generation(), m_account.api(), userId);
}

void ChatSession::joinRoom(const QString &roomId) {
    if (!m_account.loggedIn()) {
        return;
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString roomId) -> QCoro::Task<> {
        const auto answer = co_await api->joinRoom(roomId);
        if (!self || !self->sameSession(generation)) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&answer)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(roomId);
    }(this, m_account.generation(), m_account.api(), roomId);
}

void ChatSession::createRoom(const QString &name) {
    if (!m_account.loggedIn()) {
        return;
    }
    [](QPointer<ChatSession> self, quint64 generation, QPointer<client::ApiClient> api,
       QString name) -> QCoro::Task<> {
        const auto created = co_await api->createRoom(name);
        if (!self || !self->sameSession(generation)) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&created)) {
            self->reportApiError(*error);
            co_return;
        }
        const QString roomId = std::get<client::RoomSummary>(created).id;
        const auto joined = co_await api->joinRoom(roomId);
        if (!self || !self->sameSession(generation)) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&joined)) {
            self->reportApiError(*error);
            co_return;
        }
        co_await self->openNewChat(roomId);
    }(this, m_account.generation(), m_account.api(), name.trimmed());
}

QCoro::Task<> ChatSession::openNewChat(QString chatId) {
    QPointer<ChatSession> self(this);
    co_await loadChats();
    if (self) {
        openChat(chatId);
    }
}

void ChatSession::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

} // namespace neonchat::desktop
