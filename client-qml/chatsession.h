// SPDX-License-Identifier: MIT
// Everything the desktop app shows of one account: signing in or registering (remembered in
// QSettings until logout), the chat list, the open chat's messages, sending with pending and
// failed states, typing both ways, read markers, and the connection's state for the banner.
// Built on the same client library as chat-cli: ApiClient for REST, ChatConnection for the
// session with reconnects that lose and double nothing.
#pragma once

#include "attachmentlistmodel.h"
#include "chatlistmodel.h"
#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "client/sessionstore.h"
#include "messagelistmodel.h"
#include "notificationsettings.h"
#include "previewcache.h"
#include "searchmodel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QSettings>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace neonchat::desktop {

class ChatSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY accountChanged)
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    Q_PROPERTY(bool loggedIn READ loggedIn NOTIFY accountChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(Connection connection READ connection NOTIFY connectionChanged)
    Q_PROPERTY(int reconnectSeconds READ reconnectSeconds NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionProblem READ connectionProblem NOTIFY connectionChanged)
    Q_PROPERTY(ChatListModel *chats READ chats CONSTANT)
    Q_PROPERTY(MessageListModel *messages READ messages CONSTANT)
    // The files attached to the message being written.
    Q_PROPERTY(AttachmentListModel *attachments READ attachments CONSTANT)
    // Images sent as files, fetched for the timeline.
    Q_PROPERTY(PreviewCache *previews READ previews CONSTANT)
    // Ctrl+F: messages found in the open chat or everywhere.
    Q_PROPERTY(SearchModel *search READ search CONSTANT)
    // Muted chats, and all notifications muted.
    Q_PROPERTY(NotificationSettings *notifications READ notifications CONSTANT)
    Q_PROPERTY(QString currentChatId READ currentChatId NOTIFY currentChatChanged)
    Q_PROPERTY(QString currentChatTitle READ currentChatTitle NOTIFY currentChatChanged)
    // The open chat is a room the user created: any of its messages can be deleted.
    Q_PROPERTY(bool moderating READ moderating NOTIFY currentChatChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged)
    // What the composer's next send does besides sending: answer a message ({messageId, sender,
    // text}; empty when not replying), or replace the text of one's own message (its id).
    Q_PROPERTY(QVariantMap replyTo READ replyTo NOTIFY composeTargetChanged)
    Q_PROPERTY(QString editingId READ editingId NOTIFY composeTargetChanged)
    // The open chat's unread messages (for the down button).
    Q_PROPERTY(qint64 currentUnread READ currentUnread NOTIFY currentUnreadChanged)
    // Whether the user sees the window: messages of the open chat count as read only then.
    Q_PROPERTY(bool viewActive READ viewActive WRITE setViewActive NOTIFY viewActiveChanged)
    Q_PROPERTY(QVariantList foundUsers READ foundUsers NOTIFY foundUsersChanged)
    Q_PROPERTY(QVariantList rooms READ rooms NOTIFY roomsChanged)
    // Names to complete an @mention with in the open room or lobby (suggestMentions()).
    Q_PROPERTY(
        QStringList mentionSuggestions READ mentionSuggestions NOTIFY mentionSuggestionsChanged)
    Q_PROPERTY(int textMaxChars READ textMaxChars CONSTANT)
public:
    enum class Connection { Offline, Connecting, Online, Reconnecting };
    Q_ENUM(Connection)

    explicit ChatSession(QObject *parent = nullptr);
    ~ChatSession() override;

    [[nodiscard]] QString serverAddress() const;
    [[nodiscard]] QString username() const;
    [[nodiscard]] bool loggedIn() const { return m_loggedIn; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }
    [[nodiscard]] Connection connection() const;
    [[nodiscard]] int reconnectSeconds() const;
    [[nodiscard]] QString connectionProblem() const;
    [[nodiscard]] ChatListModel *chats() { return &m_chats; }
    [[nodiscard]] MessageListModel *messages() { return &m_messages; }
    [[nodiscard]] AttachmentListModel *attachments() { return &m_attachments; }
    [[nodiscard]] PreviewCache *previews() { return &m_previews; }
    [[nodiscard]] SearchModel *search() { return &m_search; }
    [[nodiscard]] NotificationSettings *notifications() { return &m_notifications; }
    [[nodiscard]] const QString &currentChatId() const { return m_currentChatId; }
    [[nodiscard]] QString currentChatTitle() const;
    [[nodiscard]] bool moderating() const {
        return !m_currentChatId.isEmpty() &&
               m_chats.roomCreator(m_currentChatId) == m_account.userId;
    }
    [[nodiscard]] const QString &typingText() const { return m_typingText; }
    [[nodiscard]] qint64 currentUnread() const;
    [[nodiscard]] const QVariantMap &replyTo() const { return m_replyTo; }
    [[nodiscard]] const QString &editingId() const { return m_editingId; }
    [[nodiscard]] bool viewActive() const { return m_viewActive; }
    void setViewActive(bool active);
    // Off: what the view shows is not marked read (a --screenshot run leaves no trace).
    void setMarksRead(bool marks) { m_marksRead = marks; }
    [[nodiscard]] const QVariantList &foundUsers() const { return m_foundUsers; }
    [[nodiscard]] const QVariantList &rooms() const { return m_rooms; }
    [[nodiscard]] const QStringList &mentionSuggestions() const { return m_mentionSuggestions; }
    [[nodiscard]] static int textMaxChars() { return protocol::kTextMaxChars; }

    // Resumes the session remembered from the last run, if it has not expired.
    Q_INVOKABLE void restore();
    Q_INVOKABLE void logIn(const QString &server, const QString &username, const QString &password);
    Q_INVOKABLE void registerAccount(const QString &server, const QString &username,
                                     const QString &password);
    Q_INVOKABLE void logOut();
    // While waiting to reconnect: tries at once.
    Q_INVOKABLE void reconnectNow();

    Q_INVOKABLE void openChat(const QString &chatId);
    // Opens a chat at one of its messages (a search result).
    Q_INVOKABLE void showMessage(const QString &chatId, const QString &messageId);
    // The message view shows this row of the open chat's messages as its newest (lowest) one:
    // what is there and older counts as read while the window is in view.
    Q_INVOKABLE void markSeen(int row);
    // Sends to the open chat, without the blank lines around the typed text (as the reply or the
    // edit started, if one was); false (with errorText) if it cannot be sent.
    Q_INVOKABLE bool send(const QString &typed);
    // The next send answers this message of the open chat.
    Q_INVOKABLE void startReply(const QString &messageId);
    // The next send replaces this own message's text; returns the text to edit (empty if the
    // message cannot be edited).
    Q_INVOKABLE QString startEdit(const QString &messageId);
    // Back to a plain send.
    Q_INVOKABLE void cancelCompose();
    Q_INVOKABLE void deleteMessage(const QString &messageId);
    // Adds the user's reaction with this emoji, or takes it back if it is there.
    Q_INVOKABLE void toggleReaction(const QString &messageId, const QString &emoji);
    // Saves a file of a message in the user's download folder (under the name it was sent
    // with, made unique); fileSaved() or errorText says how it went.
    Q_INVOKABLE void saveAttachment(const QString &uploadId);
    Q_INVOKABLE void retry(const QString &requestId);
    // The composer's text changed: the chat learns the user is typing (or stopped, when empty).
    Q_INVOKABLE void composerEdited(const QString &text);
    Q_INVOKABLE void searchUsers(const QString &prefix);
    // The names starting with prefix (ignoring case) that an @mention in the open chat can
    // complete to: who wrote there recently first, then the room's other members, or in the
    // lobby, where everyone is a member, the server's users. Nothing in a direct chat.
    Q_INVOKABLE void suggestMentions(const QString &prefix);
    Q_INVOKABLE void clearMentionSuggestions();
    Q_INVOKABLE void startDirectChat(const QString &userId);
    Q_INVOKABLE void listRooms();
    Q_INVOKABLE void joinRoom(const QString &roomId);
    Q_INVOKABLE void createRoom(const QString &name);

Q_SIGNALS:
    void accountChanged();
    void busyChanged();
    void errorTextChanged();
    void connectionChanged();
    void currentChatChanged();
    void typingTextChanged();
    void currentUnreadChanged();
    void composeTargetChanged();
    void fileSaved(const QString &path);
    void viewActiveChanged();
    void foundUsersChanged();
    void roomsChanged();
    void mentionSuggestionsChanged();
    // The chat list is loaded (after login, restore or reconnect).
    void chatsLoaded();
    // A message from someone else arrived while the window is not in view, in a chat that is not
    // muted or mentioning the user (unless all notifications are muted).
    void notificationRequested(const QString &title, const QString &text);

private:
    struct Unsettled {
        QString requestId;
        QString chatId;
        QString text;
        QString replyToId;
        QStringList attachmentIds;
        QString failure; // empty while pending
    };
    QCoro::Task<> signIn(QString server, QString username, QString password, bool create);
    void start(const client::StoredSession &account);
    // Writes the session to the settings, readable by the user only (the token is a password).
    void remember(const client::StoredSession &account);
    void wire(client::ChatConnection &connection);
    // Tracks a chat on the connection from its newest message, so a reconnect catches it up.
    void follow(const client::ChatSummary &chat);
    void stop();
    QCoro::Task<> loadChats();
    QCoro::Task<> loadMembers(QString chatId);
    QCoro::Task<> openNewChat(QString chatId);
    void onMessage(const protocol::ChatMessage &message);
    void onTyping(const QString &chatId, const QString &userId, bool isTyping);
    // Marks the open chat read up to what the view has shown, if the window is in view.
    void markSeenRead();
    void stopTyping();
    void forgetUnsettled(const QString &requestId);
    // Sends text (and files) to the open chat and shows it pending until the server has it.
    void queue(const QString &text, const QString &replyToId, const QStringList &attachmentIds);
    QCoro::Task<> submitEdit(QString messageId, QString text);
    void updateTypingText();
    void reportApiError(const client::ApiError &error);
    void setBusy(bool busy);
    void setErrorText(const QString &text);

    QSettings m_settings;
    client::StoredSession m_account;
    bool m_loggedIn = false;
    quint64 m_login = 0; // changes with every login and logout: late answers are dropped
    bool m_busy = false;
    QString m_errorText;
    std::unique_ptr<client::ApiClient> m_api;
    std::unique_ptr<client::ChatConnection> m_connection; // while logged in
    ChatListModel m_chats;
    MessageListModel m_messages;
    AttachmentListModel m_attachments;
    PreviewCache m_previews;
    SearchModel m_search;
    NotificationSettings m_notifications;
    QString m_currentChatId;
    QVariantMap m_replyTo;
    QString m_editingId;
    qint64 m_readSeq = -1;               // the open chat is read up to here; -1 until it is opened
    qint64 m_seenSeq = 0;                // the newest message the view has shown
    bool m_seenNewest = false;           // the view follows the newest message
    QList<Unsettled> m_unsettled;        // in the order they were sent
    QHash<QString, QString> m_userNames; // user id → username, as learnt
    QSet<QString> m_followed;            // chats the connection catches up on reconnect
    bool m_viewActive = true;
    bool m_marksRead = true;
    QVariantList m_foundUsers;
    QVariantList m_rooms;
    QStringList m_mentionSuggestions;
    QStringList m_roomMembers; // the open room's other members' names
    QString m_mentionPrefix;   // what the suggestions are for: a late answer for another is dropped

    // Typing, both ways.
    QElapsedTimer m_clock;
    qint64 m_typingSentAtMs = -1; // -1: the open chat is not told the user is typing
    QTimer m_typingIdle;
    QHash<QString, QHash<QString, qint64>> m_typers; // chat → user → when last heard (ms)
    QTimer m_typersExpiry;
    QString m_typingText;

    qint64 m_reconnectAtMs = 0;
    QTimer m_reconnectTick;
};

} // namespace neonchat::desktop
