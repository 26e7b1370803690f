// SPDX-License-Identifier: MIT
// The files attached to the message being written: each is uploaded as soon as it is added (read
// from its file as it is sent), and the next send carries the ids of those that are in. A file
// that could not be uploaded says why and is left out until removed.
#pragma once

#include "client/apiclient.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class AttachmentListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Every file is uploaded (none still on its way, none failed): the message can go.
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
public:
    enum Role { FilenameRole = Qt::UserRole + 1, SizeRole, StateRole, ErrorRole };
    Q_ENUM(Role)
    enum class State { Uploading, Ready, Failed };
    Q_ENUM(State)

    // At most this many files go with one message (CONTRACT §9).
    static constexpr int kMaxFiles = 10;

    explicit AttachmentListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Where uploads go; null: nowhere (logged out).
    void setApi(client::ApiClient *api);
    // A local file (a file:// URL from a dialog or a drop).
    Q_INVOKABLE void addFile(const QUrl &url);
    // The image on the clipboard, as a PNG; false if there is none.
    Q_INVOKABLE bool addClipboardImage();
    Q_INVOKABLE void remove(int row);
    // The uploaded files' ids for a send; the list is empty afterwards.
    QStringList takeIds();
    void clear();

    [[nodiscard]] int count() const { return static_cast<int>(m_entries.size()); }
    [[nodiscard]] bool ready() const;

Q_SIGNALS:
    void countChanged();
    void readyChanged();

private:
    struct Entry {
        quint64 key = 0; // which entry an upload's answer is for
        QString filename;
        qint64 size = 0;
        State state = State::Uploading;
        QString uploadId;
        QString error;
    };
    QCoro::Task<> upload(quint64 key, std::unique_ptr<QIODevice> source, QString filename,
                         QString contentType);
    void append(Entry entry);
    [[nodiscard]] int rowOfKey(quint64 key) const;
    void setFailed(quint64 key, const QString &error);

    QPointer<client::ApiClient> m_api;
    QList<Entry> m_entries;
    quint64 m_nextKey = 1;
};

} // namespace neonchat::desktop
