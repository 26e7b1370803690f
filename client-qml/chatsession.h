// SPDX-License-Identifier: MIT
// Everything the desktop app shows of the signed-in account's chats: the chat list, the open
// chat's messages, sending with pending and failed states (one outbox), read markers, message
// actions, notifications. The account (login, the stored session, ApiClient and ChatConnection
// with reconnects that lose and double nothing) is Account's; typing is TypingTracker's; people,
// rooms and search results are list models of their own.
#pragma once

#include "account.h"
#include "attachmentlistmodel.h"
#include "chatlistmodel.h"
#include "directorymodels.h"
#include "messagelistmodel.h"
#include "notificationsettings.h"
#include "previewcache.h"
#include "searchmodel.h"
#include "typingtracker.h"

#include <QObject>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class ChatSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    // Login, logout, the stored session and the connection's state.
    Q_PROPERTY(Account *account READ account CONSTANT)
    // What went wrong with the last thing the user did in the chats.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
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
    // Who else types in the open chat.
    Q_PROPERTY(TypingTracker *typing READ typing CONSTANT)
    // The New chat dialog's people and rooms.
    Q_PROPERTY(PeopleModel *people READ people CONSTANT)
    Q_PROPERTY(RoomDirectoryModel *roomDirectory READ roomDirectory CONSTANT)
    Q_PROPERTY(QString currentChatId READ currentChatId NOTIFY currentChatChanged)
    Q_PROPERTY(QString currentChatTitle READ currentChatTitle NOTIFY currentChatChanged)
    // The open chat is a room the user created: any of its messages can be deleted.
    Q_PROPERTY(bool moderating READ moderating NOTIFY moderatingChanged)
    // What the composer's next send does besides sending: answer a message ({messageId, sender,
    // text}; empty when not replying), or replace the text of one's own message (its id).
    Q_PROPERTY(QVariantMap replyTo READ replyTo NOTIFY composeTargetChanged)
    Q_PROPERTY(QString editingId READ editingId NOTIFY composeTargetChanged)
    // The open chat's unread messages (for the down button).
    Q_PROPERTY(qint64 currentUnread READ currentUnread NOTIFY currentUnreadChanged)
    // Whether the user sees the window: messages of the open chat count as read only then.
    Q_PROPERTY(bool viewActive READ viewActive WRITE setViewActive NOTIFY viewActiveChanged)
    // Names to complete an @mention with in the open room or lobby (suggestMentions()).
    Q_PROPERTY(
        QStringList mentionSuggestions READ mentionSuggestions NOTIFY mentionSuggestionsChanged)
    Q_PROPERTY(int textMaxChars READ textMaxChars CONSTANT)
public:
    explicit ChatSession(QObject *parent = nullptr);
    // store: where the account's session is kept (tests keep theirs apart).
    explicit ChatSession(client::SessionStore store, QObject *parent = nullptr);
    ~ChatSession() override;

    [[nodiscard]] Account *account() { return &m_account; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }
    [[nodiscard]] ChatListModel *chats() { return &m_chats; }
    [[nodiscard]] MessageListModel *messages() { return &m_messages; }
    [[nodiscard]] AttachmentListModel *attachments() { return &m_attachments; }
    [[nodiscard]] PreviewCache *previews() { return &m_previews; }
    [[nodiscard]] SearchModel *search() { return &m_search; }
    [[nodiscard]] NotificationSettings *notifications() { return &m_notifications; }
    [[nodiscard]] TypingTracker *typing() { return &m_typing; }
    [[nodiscard]] PeopleModel *people() { return &m_people; }
    [[nodiscard]] RoomDirectoryModel *roomDirectory() { return &m_roomDirectory; }
    [[nodiscard]] const QString &currentChatId() const { return m_currentChatId; }
    [[nodiscard]] QString currentChatTitle() const;
    [[nodiscard]] bool moderating() const {
        return !m_currentChatId.isEmpty() &&
               m_chats.roomCreator(m_currentChatId) == m_account.userId();
    }
    [[nodiscard]] qint64 currentUnread() const;
    [[nodiscard]] const QVariantMap &replyTo() const { return m_replyTo; }
    [[nodiscard]] const QString &editingId() const { return m_editingId; }
    [[nodiscard]] bool viewActive() const { return m_viewActive; }
    void setViewActive(bool active);
    // Off: what the view shows is not marked read (a --screenshot run leaves no trace).
    void setMarksRead(bool marks) { m_marksRead = marks; }
    [[nodiscard]] const QStringList &mentionSuggestions() const { return m_mentionSuggestions; }
    [[nodiscard]] static int textMaxChars() { return protocol::kTextMaxChars; }

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
    // The names starting with prefix (ignoring case) that an @mention in the open chat can
    // complete to: who wrote there recently first, then the room's other members, or in the
    // lobby, where everyone is a member, the server's users. Nothing in a direct chat.
    Q_INVOKABLE void suggestMentions(const QString &prefix);
    Q_INVOKABLE void clearMentionSuggestions();
    Q_INVOKABLE void startDirectChat(const QString &userId);
    Q_INVOKABLE void joinRoom(const QString &roomId);
    Q_INVOKABLE void createRoom(const QString &name);

Q_SIGNALS:
    void errorTextChanged();
    void currentChatChanged();
    void moderatingChanged();
    void currentUnreadChanged();
    void composeTargetChanged();
    void fileSaved(const QString &path);
    void viewActiveChanged();
    void mentionSuggestionsChanged();
    // The chat list is loaded (after login, restore or reconnect).
    void chatsLoaded();
    // A message from someone else arrived while the window is not in view, in a chat that is not
    // muted or mentioning the user (unless all notifications are muted).
    void notificationRequested(const QString &title, const QString &text);

private:
    // A message the server refused, with why: shown failed until it is sent again.
    struct Rejected {
        client::ChatConnection::Outgoing message;
        QString reason;
    };
    // A session of the account begins: its chats are read once its connection is welcomed.
    void start();
    void wire(client::ChatConnection &connection);
    // Tracks a chat on the connection from its newest message, so a reconnect catches it up.
    void follow(const client::ChatSummary &chat);
    void stop();
    QCoro::Task<> loadChats();
    QCoro::Task<> loadMembers(QString chatId);
    QCoro::Task<> openNewChat(QString chatId);
    void onMessage(const protocol::ChatMessage &message);
    // Marks the open chat read up to what the view has shown, if the window is in view.
    void markSeenRead();
    // Sends text (and files) to the open chat and shows it pending until the server has it.
    void queue(const QString &text, const QString &replyToId, const QStringList &attachmentIds);
    QCoro::Task<> submitEdit(QString messageId, QString text);
    // Whether the answer of a request made in this session of the account still matters.
    [[nodiscard]] bool sameSession(quint64 generation) const {
        return m_account.loggedIn() && generation == m_account.generation();
    }
    void reportApiError(const client::ApiError &error);
    void setErrorText(const QString &text);

    Account m_account;
    QString m_errorText;
    ChatListModel m_chats;
    MessageListModel m_messages;
    AttachmentListModel m_attachments;
    PreviewCache m_previews;
    SearchModel m_search;
    NotificationSettings m_notifications;
    TypingTracker m_typing;
    PeopleModel m_people;
    RoomDirectoryModel m_roomDirectory;
    QString m_currentChatId;
    QVariantMap m_replyTo;
    QString m_editingId;
    qint64 m_readSeq = -1;     // the open chat is read up to here; -1 until it is opened
    qint64 m_seenSeq = 0;      // the newest message the view has shown
    bool m_seenNewest = false; // the view follows the newest message
    // What is on its way is the connection's outbox alone; these left it refused.
    QList<Rejected> m_rejected;
    QSet<QString> m_followed; // chats the connection catches up on reconnect
    bool m_viewActive = true;
    bool m_marksRead = true;
    QStringList m_mentionSuggestions;
    QStringList m_roomMembers; // the open room's other members' names
    QString m_mentionPrefix;   // what the suggestions are for: a late answer for another is dropped
};

} // namespace neonchat::desktop
