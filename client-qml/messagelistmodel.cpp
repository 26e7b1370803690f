// SPDX-License-Identifier: MIT
#include "messagelistmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int MessageListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Entry &entry = m_entries[index.row()];
    switch (role) {
    case IdRole:
        return entry.message.id;
    case SenderRole:
        return entry.message.sender;
    case TextRole:
    case Qt::DisplayRole:
        return entry.message.text;
    case TimeRole:
        return entry.message.createdAt.toLocalTime().toString(u"HH:mm"_s);
    case OwnRole:
        return entry.own;
    case SeqRole:
        return entry.message.seq;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{IdRole, "messageId"}, {SenderRole, "sender"}, {TextRole, "text"},
            {TimeRole, "time"},    {OwnRole, "own"},       {SeqRole, "seq"}};
}

void MessageListModel::add(const protocol::ChatMessage &message, bool own) {
    const auto position =
        std::upper_bound(m_entries.cbegin(), m_entries.cend(), message.seq,
                         [](qint64 seq, const Entry &entry) { return seq < entry.message.seq; });
    if (position != m_entries.cbegin() && std::prev(position)->message.id == message.id) {
        return;
    }
    const int row = static_cast<int>(position - m_entries.cbegin());
    beginInsertRows({}, row, row);
    m_entries.insert(row, Entry{message, own});
    endInsertRows();
    if (m_entries.size() > kMaxMessages) {
        const int excess = static_cast<int>(m_entries.size()) - kMaxMessages;
        beginRemoveRows({}, 0, excess - 1);
        m_entries.remove(0, excess);
        endRemoveRows();
    }
}

qint64 MessageListModel::lastSeq() const {
    return m_entries.isEmpty() ? 0 : m_entries.last().message.seq;
}

} // namespace neonchat::desktop
