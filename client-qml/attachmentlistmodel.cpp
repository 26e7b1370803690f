// SPDX-License-Identifier: MIT
#include "attachmentlistmodel.h"
#include "servererror.h"

#include <QBuffer>
#include <QClipboard>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QMimeDatabase>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

AttachmentListModel::AttachmentListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int AttachmentListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant AttachmentListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Entry &entry = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case FilenameRole:
        return entry.filename;
    case SizeRole:
        return entry.size;
    case StateRole:
        return QVariant::fromValue(entry.state);
    case ErrorRole:
        return entry.error;
    default:
        return {};
    }
}

QHash<int, QByteArray> AttachmentListModel::roleNames() const {
    return {{FilenameRole, "filename"},
            {SizeRole, "size"},
            {StateRole, "uploadState"},
            {ErrorRole, "errorText"}};
}

void AttachmentListModel::setApi(client::ApiClient *api) {
    m_api = api;
    clear();
}

bool AttachmentListModel::ready() const {
    return std::all_of(m_entries.cbegin(), m_entries.cend(),
                       [](const Entry &entry) { return entry.state == State::Ready; });
}

void AttachmentListModel::append(Entry entry) {
    const bool wasReady = ready();
    beginInsertRows({}, count(), count());
    m_entries.append(std::move(entry));
    endInsertRows();
    Q_EMIT countChanged();
    if (wasReady != ready()) {
        Q_EMIT readyChanged();
    }
}

void AttachmentListModel::addFile(const QUrl &url) {
    const QString path = url.toLocalFile();
    const QFileInfo info(path);
    Entry entry{m_nextKey++, info.fileName(), info.size(), State::Uploading, {}, {}};
    auto file = std::make_unique<QFile>(path);
    if (count() >= kMaxFiles) {
        entry.state = State::Failed;
        entry.error = tr("At most %1 files go with one message.").arg(kMaxFiles);
    } else if (!m_api) {
        entry.state = State::Failed;
        entry.error = tr("Not logged in.");
    } else if (!info.isFile() || !file->open(QIODevice::ReadOnly)) {
        entry.state = State::Failed;
        entry.error = info.exists() ? file->errorString() : tr("There is no such file.");
    }
    const quint64 key = entry.key;
    const bool uploading = entry.state == State::Uploading;
    append(std::move(entry));
    if (uploading) {
        upload(key, std::move(file), info.fileName(), QMimeDatabase().mimeTypeForFile(info).name());
    }
}

bool AttachmentListModel::addClipboardImage() {
    const QMimeData *clipboard = QGuiApplication::clipboard()->mimeData();
    if (!clipboard || !clipboard->hasImage() || !m_api || count() >= kMaxFiles) {
        return false;
    }
    const QImage image = qvariant_cast<QImage>(clipboard->imageData());
    auto png = std::make_unique<QBuffer>();
    if (image.isNull() || !png->open(QIODevice::ReadWrite) || !image.save(png.get(), "PNG")) {
        return false;
    }
    png->seek(0);
    const QString name = tr("Pasted image %1.png")
                             .arg(QDateTime::currentDateTime().toString(u"yyyy-MM-dd hh.mm.ss"_s));
    const quint64 key = m_nextKey++;
    append({key, name, png->size(), State::Uploading, {}, {}});
    upload(key, std::move(png), name, u"image/png"_s);
    return true;
}

QCoro::Task<> AttachmentListModel::upload(quint64 key, std::unique_ptr<QIODevice> source,
                                          QString filename, QString contentType) {
    QPointer<AttachmentListModel> self(this);
    QPointer<client::ApiClient> api = m_api;
    const auto answer = co_await api->upload(source.get(), filename, contentType);
    if (!self) {
        co_return;
    }
    const int row = rowOfKey(key);
    if (row < 0) {
        co_return; // removed (or sent without it) meanwhile
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        setFailed(key, serverErrorText(*error));
        co_return;
    }
    const bool wasReady = ready();
    m_entries[row].state = State::Ready;
    m_entries[row].uploadId = std::get<protocol::Upload>(answer).id;
    Q_EMIT dataChanged(index(row), index(row), {StateRole});
    if (wasReady != ready()) {
        Q_EMIT readyChanged();
    }
}

void AttachmentListModel::setFailed(quint64 key, const QString &error) {
    const int row = rowOfKey(key);
    if (row < 0) {
        return;
    }
    const bool wasReady = ready();
    m_entries[row].state = State::Failed;
    m_entries[row].error = error;
    Q_EMIT dataChanged(index(row), index(row), {StateRole, ErrorRole});
    if (wasReady != ready()) {
        Q_EMIT readyChanged();
    }
}

int AttachmentListModel::rowOfKey(quint64 key) const {
    const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(),
                                    [key](const Entry &entry) { return entry.key == key; });
    return found == m_entries.cend() ? -1 : static_cast<int>(found - m_entries.cbegin());
}

void AttachmentListModel::remove(int row) {
    if (row < 0 || row >= count()) {
        return;
    }
    const bool wasReady = ready();
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    if (wasReady != ready()) {
        Q_EMIT readyChanged();
    }
}

QStringList AttachmentListModel::takeIds() {
    QStringList ids;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.state == State::Ready) {
            ids.append(entry.uploadId);
        }
    }
    clear();
    return ids;
}

void AttachmentListModel::clear() {
    if (m_entries.isEmpty()) {
        return;
    }
    const bool wasReady = ready();
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
    if (wasReady != ready()) {
        Q_EMIT readyChanged();
    }
}

} // namespace neonchat::desktop
