// SPDX-License-Identifier: MIT
// The messages of one chat for a QML ListView, oldest first, bounded in size.
#pragma once

#include "protocol/protocol.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by LobbySession")
public:
    enum Role { IdRole = Qt::UserRole + 1, SenderRole, TextRole, TimeRole, OwnRole, SeqRole };
    Q_ENUM(Role)

    // The view keeps a window of the newest messages, not the whole history.
    static constexpr int kMaxMessages = 2000;

    explicit MessageListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Adds a message in seq order; a message already present (same id) is ignored.
    void add(const protocol::ChatMessage &message, bool own);
    [[nodiscard]] qint64 lastSeq() const;

private:
    struct Entry {
        protocol::ChatMessage message;
        bool own = false;
    };
    QList<Entry> m_entries;
};

} // namespace neonchat::desktop
