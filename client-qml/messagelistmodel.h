// SPDX-License-Identifier: MIT
// The messages of the open chat for the message view: newest first (row 0 is the newest, so a
// ListView laid out bottom to top grows upward as older pages are fetched, without moving what
// is on screen). The model holds a window of at most kWindow stored messages, not the whole
// history: fetching older pages drops the newest ones beyond the window, and loadNewer() brings
// them back. Messages being sent sit above the stored ones, marked pending, or failed with the
// server's reason until they are sent again.
#pragma once

#include "client/apiclient.h"
#include "protocol/protocol.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace neonchat::desktop {

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    Q_PROPERTY(QString chatId READ chatId NOTIFY chatChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    // True while the newest stored messages are held, so new ones are added as they come.
    Q_PROPERTY(bool atLatest READ atLatest NOTIFY windowChanged)
    Q_PROPERTY(bool hasOlder READ hasOlder NOTIFY windowChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        RequestIdRole,
        SenderRole,
        SenderIdRole,
        TextRole,
        TimeRole,
        TimeTextRole,
        DayRole,
        FirstOfDayRole,
        FirstOfGroupRole,
        FirstUnreadRole, // the "New messages" line goes above it
        ReadRole,        // one's own message, read by someone else in the chat
        EditedRole,      // changed after it was sent
        DeletedRole,     // deleted: no text, no files, no reactions
        ReplyToRole,     // the id of the message it answers, empty if none
        ReplySenderRole, // that message's sender and text, when held (else empty)
        ReplyTextRole,
        ReactionsRole,   // [{emoji, count, mine}] in order of first use
        AttachmentsRole, // [{uploadId, filename, contentType, size}]
        OwnRole,
        SeqRole,
        StatusRole,
        ErrorRole,
    };
    Q_ENUM(Role)
    enum class Status { Sent, Pending, Failed };
    Q_ENUM(Status)

    static constexpr int kWindow = 300;
    static constexpr int kPage = 50;

    explicit MessageListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    // Loads the page before the oldest message held.
    void fetchMore(const QModelIndex &parent) override;

    // Where pages come from and whose messages are "own". The API client outlives the chat.
    void setSource(client::ApiClient *api, const QString &ownUserId);
    // Shows a chat: its newest page, then whatever arrives. Empty: no chat. With unread messages,
    // older pages are loaded until the first unread one is held (as far as the window goes);
    // opened() follows then, and that message carries FirstUnreadRole for as long as the chat
    // stays open.
    void open(const QString &chatId, qint64 unreadCount = 0);
    // Loads the page after the newest message held (after fetching older ones dropped it).
    Q_INVOKABLE void loadNewer();
    // Shows the newest page again in place of what is held (messages being sent stay): the
    // jump to the newest message, and the retry of a chat whose messages could not be loaded.
    Q_INVOKABLE void reloadLatest();

    // A stored message of any chat; ignored unless it belongs here and the newest are held.
    void addStored(const protocol::ChatMessage &message);
    // A message of this chat being sent under requestId.
    void addPending(const QString &requestId, const QString &text, const QString &sender);
    void markSent(const QString &requestId, const protocol::ChatMessage &message);
    void markFailed(const QString &requestId, const QString &reason);
    // A message held changed (an edit, a deletion, reactions): shown as it is now, if newer.
    void update(const protocol::ChatMessage &message);
    // The stored message with this id, if held.
    [[nodiscard]] std::optional<protocol::ChatMessage> find(const QString &messageId) const;
    // The newest of one's own messages held that can be edited (not deleted), for ↑.
    Q_INVOKABLE QString lastOwnMessageId() const;
    // Shows the page around a message (a reply's original, a search result) in place of what
    // is held; highlightReady() follows with highlightRow() at the message.
    Q_INVOKABLE void openAround(const QString &messageId);
    // The row of the message to show after openAround(), -1 once shown.
    Q_INVOKABLE int highlightRow() const;

    // Someone else read this chat up to messageId (a read receipt): one's own messages up to
    // there show as read. A message not held is ignored.
    void markReadByOthers(const QString &messageId);
    // Takes a failed message out (to be sent again); returns its text, empty if none.
    QString takeFailed(const QString &requestId);

    [[nodiscard]] const QString &chatId() const { return m_chatId; }
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }
    [[nodiscard]] bool atLatest() const { return m_atLatest; }
    [[nodiscard]] bool hasOlder() const { return m_hasOlder; }
    // The newest stored message held (for read markers), empty if none.
    [[nodiscard]] QString newestStoredId() const;
    // The row of the first message unread when the chat was opened; -1 if none.
    Q_INVOKABLE int firstUnreadRow() const;
    // The newest stored message at this row or older (rows are newest first): what a view that
    // shows this row as its newest has shown.
    [[nodiscard]] std::optional<protocol::ChatMessage> storedAtOrBelow(int row) const;
    // The row of the stored message with this seq; -1 if it is not held.
    [[nodiscard]] int rowOfSeq(qint64 seq) const;
    // How many of the held messages from others have a seq in (afterSeq, upToSeq].
    [[nodiscard]] qint64 othersBetween(qint64 afterSeq, qint64 upToSeq) const;
    // The other senders of the held messages, the most recent first (each once).
    [[nodiscard]] QStringList recentSenders() const;

Q_SIGNALS:
    void chatChanged();
    void loadingChanged();
    void errorTextChanged();
    void windowChanged();
    // The newest page of the opened chat is in.
    void opened();
    // The message openAround() asked for is held: the view shows highlightRow().
    void highlightReady();

private:
    struct Entry {
        protocol::ChatMessage message; // seq 0 while not stored
        QString requestId;
        Status status = Status::Sent;
        QString error;
    };

    enum class Direction { Newest, Older, Newer, Around };
    QCoro::Task<> load(Direction direction);
    // Drops the stored messages held (not those being sent) and loads this page in their place.
    void replaceStoredWith(Direction page);
    void place(const QList<protocol::ChatMessage> &messages);
    // Row of the stored message with this seq, or where it would go (rows are newest first).
    [[nodiscard]] int storedRowFor(qint64 seq) const;
    [[nodiscard]] int pendingCount() const;
    // Finds the first unread message once its page is held; false while an older page is being
    // loaded to find it.
    bool findFirstUnread();
    [[nodiscard]] int rowOfRequest(const QString &requestId) const;
    void insertStored(const protocol::ChatMessage &message);
    void trimTo(Direction kept);
    // After rows were inserted or removed just below newerRow (rows are newest first).
    void refreshSeam(int newerRow);
    void setLoading(bool loading);
    void setErrorText(const QString &text);
    void setWindow(bool atLatest, bool hasOlder);

    QPointer<client::ApiClient> m_api;
    QString m_ownUserId;
    QString m_chatId;
    QList<Entry> m_entries;
    bool m_loading = false;
    QString m_errorText;
    bool m_atLatest = true;
    bool m_hasOlder = false;
    quint64 m_generation = 0; // bumped by open(): answers for an earlier chat are dropped
    qint64 m_unreadAtOpen = 0;
    qint64 m_firstUnreadSeq = 0;  // 0: none (or not found yet)
    qint64 m_readByOthersSeq = 0; // read receipts seen since the chat was opened
    QString m_aroundId;           // the message openAround() asked for
};

} // namespace neonchat::desktop
