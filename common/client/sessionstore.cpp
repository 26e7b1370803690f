// SPDX-License-Identifier: MIT
#include "sessionstore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace neonchat::client {

SessionStore::SessionStore(QString path)
    : m_path(path.isEmpty()
                 ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                       .filePath(u"session.json"_s)
                 : std::move(path)) {}

std::optional<StoredSession> SessionStore::lastAccount() const {
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    StoredSession session{
        QUrl(object.value("server"_L1).toString()), object.value("user_id"_L1).toString(),
        object.value("username"_L1).toString(), object.value("token"_L1).toString(),
        object.value("expires_at"_L1).toInteger()};
    if (!session.server.isValid()) {
        return std::nullopt;
    }
    return session;
}

std::optional<StoredSession> SessionStore::load() const {
    auto session = lastAccount();
    if (!session || session->token.isEmpty()) {
        return std::nullopt;
    }
    return session;
}

std::optional<QString> SessionStore::save(const StoredSession &session) const {
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir)) {
        return u"cannot create %1"_s.arg(dir);
    }
    const QJsonObject object{{"server"_L1, session.server.toString()},
                             {"user_id"_L1, session.userId},
                             {"username"_L1, session.username},
                             {"token"_L1, session.token},
                             {"expires_at"_L1, session.expiresAtSeconds}};
    QSaveFile file(m_path);
    // QSaveFile writes a temporary file and renames it; its mode is set before the token goes in.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(QJsonDocument(object).toJson()) < 0 || !file.commit()) {
        return u"cannot write %1: %2"_s.arg(m_path, file.errorString());
    }
    return std::nullopt;
}

} // namespace neonchat::client
