// SPDX-License-Identifier: MIT
#include "messagelistmodel.h"
#include "servererror.h"

#include <QSet>

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

QDate localDay(const protocol::ChatMessage &message) {
    return message.createdAt.toLocalTime().date();
}

// Messages of one sender this close together show under one name and time.
constexpr qint64 kGroupGapSeconds = 5 * 60;

} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int MessageListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row();
    const Entry &entry = m_entries[row];
    const protocol::ChatMessage &message = entry.message;
    switch (role) {
    case IdRole:
        return message.id;
    case RequestIdRole:
        return entry.requestId;
    case SenderRole:
        return message.sender;
    case SenderIdRole:
        return message.senderId;
    case TextRole:
    case Qt::DisplayRole:
        return message.text;
    case TimeRole:
        return message.createdAt;
    case TimeTextRole:
        return QLocale().toString(message.createdAt.toLocalTime().time(), QLocale::ShortFormat);
    case DayRole: {
        const QDate day = localDay(message);
        const QDate today = QDate::currentDate();
        if (day == today) {
            return tr("Today");
        }
        if (day == today.addDays(-1)) {
            return tr("Yesterday");
        }
        return QLocale().toString(day, QLocale::LongFormat);
    }
    case FirstOfDayRole:
        return row + 1 == m_entries.size() ||
               localDay(message) != localDay(m_entries[row + 1].message);
    case EditedRole:
        return message.editedAt.has_value();
    case DeletedRole:
        return message.deleted;
    case ReplyToRole:
        return message.replyToId.value_or(QString());
    case ReplySenderRole:
    case ReplyTextRole: {
        const auto original = message.replyToId ? find(*message.replyToId) : std::nullopt;
        if (!original) {
            return QString();
        }
        if (role == ReplySenderRole) {
            return original->sender;
        }
        return original->deleted ? tr("Deleted message") : original->text;
    }
    case ReactionsRole: {
        QVariantList reactions;
        for (const protocol::Reaction &reaction : message.reactions) {
            reactions.append(QVariantMap{{u"emoji"_s, reaction.emoji},
                                         {u"count"_s, reaction.userIds.size()},
                                         {u"mine"_s, reaction.userIds.contains(m_ownUserId)}});
        }
        return reactions;
    }
    case AttachmentsRole: {
        QVariantList attachments;
        for (const protocol::Attachment &attachment : message.attachments) {
            attachments.append(QVariantMap{{u"uploadId"_s, attachment.id},
                                           {u"filename"_s, attachment.filename},
                                           {u"contentType"_s, attachment.contentType},
                                           {u"size"_s, attachment.size}});
        }
        return attachments;
    }
    case ReadRole:
        return message.seq > 0 && message.seq <= m_readByOthersSeq;
    case FirstUnreadRole:
        return m_firstUnreadSeq > 0 && message.seq == m_firstUnreadSeq;
    case FirstOfGroupRole: {
        if (row + 1 == m_entries.size()) {
            return true;
        }
        const protocol::ChatMessage &before = m_entries[row + 1].message;
        return before.senderId != message.senderId || localDay(before) != localDay(message) ||
               before.createdAt.secsTo(message.createdAt) > kGroupGapSeconds;
    }
    case OwnRole:
        return !entry.requestId.isEmpty() || message.senderId == m_ownUserId;
    case SeqRole:
        return message.seq;
    case StatusRole:
        return QVariant::fromValue(entry.status);
    case ErrorRole:
        return entry.error;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{IdRole, "messageId"},
            {RequestIdRole, "requestId"},
            {SenderRole, "sender"},
            {SenderIdRole, "senderId"},
            {TextRole, "text"},
            {TimeRole, "time"},
            {TimeTextRole, "timeText"},
            {DayRole, "day"},
            {FirstOfDayRole, "firstOfDay"},
            {FirstOfGroupRole, "firstOfGroup"},
            {FirstUnreadRole, "firstUnread"},
            {ReadRole, "readByOthers"},
            {EditedRole, "edited"},
            {DeletedRole, "deleted"},
            {ReplyToRole, "replyToId"},
            {ReplySenderRole, "replySender"},
            {ReplyTextRole, "replyText"},
            {ReactionsRole, "reactions"},
            {AttachmentsRole, "attachments"},
            {OwnRole, "own"},
            {SeqRole, "seq"},
            {StatusRole, "status"},
            {ErrorRole, "errorText"}};
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const {
    return !parent.isValid() && m_api && !m_chatId.isEmpty() && m_hasOlder && !m_loading;
}

void MessageListModel::fetchMore(const QModelIndex &parent) {
    if (canFetchMore(parent)) {
        load(Direction::Older);
    }
}

void MessageListModel::setSource(client::ApiClient *api, const QString &ownUserId) {
    m_api = api;
    m_ownUserId = ownUserId;
}

void MessageListModel::open(const QString &chatId, qint64 unreadCount) {
    ++m_generation;
    beginResetModel();
    m_entries.clear();
    m_chatId = chatId;
    m_unreadAtOpen = unreadCount;
    m_firstUnreadSeq = 0;
    m_readByOthersSeq = 0;
    m_aroundId.clear();
    endResetModel();
    setLoading(false);
    setErrorText({});
    setWindow(true, false);
    Q_EMIT chatChanged();
    if (!chatId.isEmpty() && m_api) {
        load(Direction::Newest);
    }
}

void MessageListModel::reloadLatest() {
    if (!m_api || m_chatId.isEmpty()) {
        return;
    }
    replaceStoredWith(Direction::Newest);
}

void MessageListModel::replaceStoredWith(Direction page) {
    ++m_generation; // what earlier loads bring is no longer wanted
    const int pending = pendingCount();
    if (pending < m_entries.size()) {
        beginRemoveRows({}, pending, static_cast<int>(m_entries.size()) - 1);
        m_entries.remove(pending, m_entries.size() - pending);
        endRemoveRows();
    }
    setLoading(false);
    setErrorText({});
    // The newest page is the latest by definition; a page around a message is until it says.
    setWindow(page == Direction::Newest, false);
    load(page);
}

void MessageListModel::loadNewer() {
    if (m_api && !m_chatId.isEmpty() && !m_atLatest && !m_loading) {
        load(Direction::Newer);
    }
}

QCoro::Task<> MessageListModel::load(Direction direction) {
    QPointer<MessageListModel> self(this);
    const quint64 generation = m_generation;
    const QString chatId = m_chatId;
    client::ApiClient::PageFrom from = client::ApiClient::PageFrom::Newest;
    QString fromId;
    const auto stored = std::find_if(m_entries.cbegin(), m_entries.cend(),
                                     [](const Entry &entry) { return entry.message.seq > 0; });
    if (direction == Direction::Older && !m_entries.isEmpty() && m_entries.last().message.seq > 0) {
        from = client::ApiClient::PageFrom::Before;
        fromId = m_entries.last().message.id;
    } else if (direction == Direction::Newer && stored != m_entries.cend()) {
        from = client::ApiClient::PageFrom::After;
        fromId = stored->message.id;
    } else if (direction == Direction::Around) {
        from = client::ApiClient::PageFrom::Around;
        fromId = m_aroundId;
    }
    setLoading(true);
    const auto answer = co_await m_api->history(chatId, kPage, from, fromId);
    if (!self || generation != m_generation) {
        co_return;
    }
    setLoading(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        // Without a connection the session loads the chat again once it is back.
        setErrorText(error->status == 0
                         ? tr("Not connected: the messages will show once the connection is back.")
                         : tr("Cannot load messages: %1").arg(serverErrorText(*error)));
        co_return;
    }
    setErrorText({});
    const auto &page = std::get<client::HistoryPage>(answer);
    place(page.messages);
    switch (direction) {
    case Direction::Newest:
        setWindow(!page.hasNext, page.hasPrevious);
        trimTo(Direction::Newest);
        if (findFirstUnread()) {
            Q_EMIT opened();
        }
        break;
    case Direction::Older:
        setWindow(m_atLatest, page.hasPrevious);
        trimTo(Direction::Older);
        if (m_firstUnreadSeq == 0 && m_unreadAtOpen > 0 && findFirstUnread()) {
            Q_EMIT opened();
        }
        break;
    case Direction::Newer:
        setWindow(!page.hasNext, m_hasOlder);
        trimTo(Direction::Newer);
        break;
    case Direction::Around:
        setWindow(!page.hasNext, page.hasPrevious);
        Q_EMIT highlightReady();
        break;
    }
}

void MessageListModel::place(const QList<protocol::ChatMessage> &messages) {
    // Pages are oldest first; a run older than everything held is appended as one block.
    const qint64 oldestHeld =
        !m_entries.isEmpty() && m_entries.last().message.seq > 0 ? m_entries.last().message.seq : 0;
    QList<Entry> older;
    for (auto message = messages.crbegin(); message != messages.crend(); ++message) {
        if (oldestHeld != 0 && message->seq < oldestHeld) {
            older.append(Entry{*message, {}, Status::Sent, {}});
        } else if (oldestHeld == 0 && pendingCount() == m_entries.size()) {
            older.append(Entry{*message, {}, Status::Sent, {}});
        } else {
            insertStored(*message);
        }
    }
    if (older.isEmpty()) {
        return;
    }
    const int first = static_cast<int>(m_entries.size());
    beginInsertRows({}, first, first + static_cast<int>(older.size()) - 1);
    m_entries.append(older);
    endInsertRows();
    refreshSeam(first - 1);
}

int MessageListModel::pendingCount() const {
    const auto stored = std::find_if(m_entries.cbegin(), m_entries.cend(),
                                     [](const Entry &entry) { return entry.requestId.isEmpty(); });
    return static_cast<int>(stored - m_entries.cbegin());
}

int MessageListModel::storedRowFor(qint64 seq) const {
    const auto first = m_entries.cbegin() + pendingCount();
    const auto position = std::partition_point(
        first, m_entries.cend(), [seq](const Entry &entry) { return entry.message.seq > seq; });
    return static_cast<int>(position - m_entries.cbegin());
}

int MessageListModel::rowOfRequest(const QString &requestId) const {
    const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(), [&](const Entry &entry) {
        return entry.requestId == requestId;
    });
    return found == m_entries.cend() ? -1 : static_cast<int>(found - m_entries.cbegin());
}

void MessageListModel::insertStored(const protocol::ChatMessage &message) {
    const int row = storedRowFor(message.seq);
    if (row < m_entries.size() && m_entries[row].message.seq == message.seq) {
        return; // already held (a page overlapping live traffic)
    }
    beginInsertRows({}, row, row);
    m_entries.insert(row, Entry{message, {}, Status::Sent, {}});
    endInsertRows();
    refreshSeam(row - 1);
}

void MessageListModel::trimTo(Direction kept) {
    const int pending = pendingCount();
    const int excess = static_cast<int>(m_entries.size()) - pending - kWindow;
    if (excess <= 0) {
        return;
    }
    if (kept == Direction::Older) {
        // Scrolling back: the newest go, and come back through loadNewer().
        beginRemoveRows({}, pending, pending + excess - 1);
        m_entries.remove(pending, excess);
        endRemoveRows();
        refreshSeam(pending - 1);
        setWindow(false, m_hasOlder);
    } else {
        const int first = static_cast<int>(m_entries.size()) - excess;
        beginRemoveRows({}, first, static_cast<int>(m_entries.size()) - 1);
        m_entries.remove(first, excess);
        endRemoveRows();
        refreshSeam(first - 1);
        setWindow(m_atLatest, true);
    }
}

void MessageListModel::refreshSeam(int newerRow) {
    // Whether a row starts a day or a group depends on the row after it (the older message).
    if (newerRow >= 0 && newerRow < m_entries.size()) {
        const QModelIndex changed = index(newerRow);
        Q_EMIT dataChanged(changed, changed, {FirstOfDayRole, FirstOfGroupRole});
    }
}

void MessageListModel::addStored(const protocol::ChatMessage &message) {
    if (message.chatId != m_chatId || !m_atLatest) {
        return;
    }
    insertStored(message);
    trimTo(Direction::Newest);
}

void MessageListModel::addPending(const QString &requestId, const QString &text,
                                  const QString &sender) {
    Entry entry;
    entry.message.chatId = m_chatId;
    entry.message.senderId = m_ownUserId;
    entry.message.sender = sender;
    entry.message.text = text;
    entry.message.createdAt = QDateTime::currentDateTimeUtc();
    entry.requestId = requestId;
    entry.status = Status::Pending;
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
}

void MessageListModel::markSent(const QString &requestId, const protocol::ChatMessage &message) {
    if (const int row = rowOfRequest(requestId); row >= 0) {
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
        refreshSeam(row - 1);
    }
    addStored(message);
}

void MessageListModel::markFailed(const QString &requestId, const QString &reason) {
    if (const int row = rowOfRequest(requestId); row >= 0) {
        m_entries[row].status = Status::Failed;
        m_entries[row].error = reason;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {StatusRole, ErrorRole});
    }
}

QString MessageListModel::takeFailed(const QString &requestId) {
    const int row = rowOfRequest(requestId);
    if (row < 0 || m_entries[row].status != Status::Failed) {
        return {};
    }
    const QString text = m_entries[row].message.text;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    refreshSeam(row - 1);
    return text;
}

void MessageListModel::update(const protocol::ChatMessage &message) {
    if (message.chatId != m_chatId) {
        return;
    }
    const int row = rowOfSeq(message.seq);
    if (row < 0 || m_entries[row].message.modSeq >= message.modSeq) {
        return;
    }
    m_entries[row].message = message;
    Q_EMIT dataChanged(index(row), index(row));
    // Replies quote it: their quotes change with it.
    for (int at = 0; at < row; ++at) {
        if (m_entries[at].message.replyToId == message.id) {
            Q_EMIT dataChanged(index(at), index(at), {ReplySenderRole, ReplyTextRole});
        }
    }
}

std::optional<protocol::ChatMessage> MessageListModel::find(const QString &messageId) const {
    const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(), [&](const Entry &entry) {
        return entry.message.seq > 0 && entry.message.id == messageId;
    });
    return found == m_entries.cend() ? std::nullopt : std::optional(found->message);
}

QString MessageListModel::lastOwnMessageId() const {
    const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(), [&](const Entry &entry) {
        return entry.message.seq > 0 && entry.message.senderId == m_ownUserId &&
               !entry.message.deleted;
    });
    return found == m_entries.cend() ? QString() : found->message.id;
}

void MessageListModel::openAround(const QString &messageId) {
    if (!m_api || m_chatId.isEmpty() || messageId.isEmpty()) {
        return;
    }
    if (find(messageId)) {
        m_aroundId = messageId;
        Q_EMIT highlightReady();
        return;
    }
    m_aroundId = messageId;
    replaceStoredWith(Direction::Around);
}

int MessageListModel::highlightRow() const {
    const auto found = find(m_aroundId);
    return found ? rowOfSeq(found->seq) : -1;
}

void MessageListModel::markReadByOthers(const QString &messageId) {
    const auto read = std::find_if(m_entries.cbegin(), m_entries.cend(), [&](const Entry &entry) {
        return entry.message.id == messageId && entry.message.seq > 0;
    });
    if (read == m_entries.cend() || read->message.seq <= m_readByOthersSeq) {
        return;
    }
    const qint64 before = m_readByOthersSeq;
    m_readByOthersSeq = read->message.seq;
    // Rows are newest first: the newly read ones run from the read message down to before.
    const int first = static_cast<int>(read - m_entries.cbegin());
    int last = first;
    while (last + 1 < m_entries.size() && m_entries[last + 1].message.seq > before) {
        ++last;
    }
    Q_EMIT dataChanged(index(first), index(last), {ReadRole});
}

bool MessageListModel::findFirstUnread() {
    if (m_unreadAtOpen <= 0 || m_firstUnreadSeq != 0) {
        return true;
    }
    // The chat's unread messages are the newest ones from others: the first of them is the
    // unread count-th from the end.
    qint64 counted = 0;
    qint64 oldestStored = 0;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.message.seq <= 0) {
            continue;
        }
        oldestStored = entry.message.seq;
        if (entry.message.senderId != m_ownUserId && ++counted == m_unreadAtOpen) {
            m_firstUnreadSeq = entry.message.seq;
            break;
        }
    }
    const bool roomForAPage = m_entries.size() - pendingCount() + kPage <= kWindow;
    if (m_firstUnreadSeq == 0 && m_hasOlder && roomForAPage) {
        load(Direction::Older); // opened() once the first unread is in
        return false;
    }
    if (m_firstUnreadSeq == 0) {
        // More unread than the window holds: the line goes above the oldest held.
        m_firstUnreadSeq = oldestStored;
    }
    const int row = rowOfSeq(m_firstUnreadSeq);
    if (row >= 0) {
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {FirstUnreadRole});
    }
    return true;
}

int MessageListModel::rowOfSeq(qint64 seq) const {
    if (seq <= 0) {
        return -1;
    }
    const int row = storedRowFor(seq);
    return row < m_entries.size() && m_entries[row].message.seq == seq ? row : -1;
}

int MessageListModel::firstUnreadRow() const {
    return rowOfSeq(m_firstUnreadSeq);
}

std::optional<protocol::ChatMessage> MessageListModel::storedAtOrBelow(int row) const {
    for (int at = std::max(row, 0); at < m_entries.size(); ++at) {
        if (m_entries[at].message.seq > 0) {
            return m_entries[at].message;
        }
    }
    return std::nullopt;
}

qint64 MessageListModel::othersBetween(qint64 afterSeq, qint64 upToSeq) const {
    return std::count_if(m_entries.cbegin(), m_entries.cend(), [&](const Entry &entry) {
        return entry.message.seq > afterSeq && entry.message.seq <= upToSeq &&
               entry.message.senderId != m_ownUserId;
    });
}

QStringList MessageListModel::recentSenders() const {
    QStringList senders;
    QSet<QString> seen;
    for (const Entry &entry : m_entries) {
        const auto &message = entry.message;
        if (message.senderId != m_ownUserId && !message.sender.isEmpty() &&
            !seen.contains(message.senderId)) {
            seen.insert(message.senderId);
            senders.append(message.sender);
        }
    }
    return senders;
}

QString MessageListModel::newestStoredId() const {
    const int row = pendingCount();
    return row < m_entries.size() ? m_entries[row].message.id : QString();
}

void MessageListModel::setLoading(bool loading) {
    if (m_loading != loading) {
        m_loading = loading;
        Q_EMIT loadingChanged();
    }
}

void MessageListModel::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

void MessageListModel::setWindow(bool atLatest, bool hasOlder) {
    if (m_atLatest != atLatest || m_hasOlder != hasOlder) {
        m_atLatest = atLatest;
        m_hasOlder = hasOlder;
        Q_EMIT windowChanged();
    }
}

} // namespace neonchat::desktop
