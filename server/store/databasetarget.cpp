// SPDX-License-Identifier: MIT
#include "databasetarget.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {
constexpr auto kDefaultSqliteFile = "neonchat.db"_L1;
}

std::variant<DatabaseTarget, QString> parseDatabaseUrl(const QString &url, const QString &dataDir) {
    DatabaseTarget target;
    if (url.isEmpty()) {
        target.sqlitePath = QDir(dataDir).filePath(kDefaultSqliteFile);
        return target;
    }
    if (url.startsWith("sqlite:"_L1)) {
        target.sqlitePath = url.mid(7);
        if (target.sqlitePath.startsWith("//"_L1)) {
            target.sqlitePath = target.sqlitePath.mid(2); // sqlite:///abs/path
        }
        if (target.sqlitePath.isEmpty()) {
            return u"sqlite: needs a file path (sqlite:/var/lib/neonchat/chat.db)"_s;
        }
        return target;
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() ||
        (parsed.scheme() != "postgres"_L1 && parsed.scheme() != "postgresql"_L1)) {
        return u"must be sqlite:PATH or postgres://user:pass@host:port/db"_s;
    }
    target.dialect = SqlDialect::Postgres;
    target.host = parsed.host();
    target.port = parsed.port(5432);
    target.user = parsed.userName(QUrl::FullyDecoded);
    target.password = parsed.password(QUrl::FullyDecoded);
    target.databaseName = parsed.path(QUrl::FullyDecoded).mid(1);
    if (target.host.isEmpty()) {
        return u"postgres:// needs a host (postgres://user:pass@host:port/db)"_s;
    }
    if (target.databaseName.isEmpty() || target.databaseName.contains(u'/')) {
        return u"postgres:// needs a database name (postgres://user:pass@host:port/db)"_s;
    }
    if (target.port <= 0 || target.port > 65535) {
        return u"postgres:// port must be 1-65535"_s;
    }
    return target;
}

std::optional<QString> makePrivateDirectory(const QString &dir) {
    if (QFileInfo::exists(dir)) {
        return std::nullopt;
    }
    if (!QDir().mkpath(dir) ||
        !QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                        QFileDevice::ExeOwner)) {
        return u"cannot create the directory %1"_s.arg(dir);
    }
    return std::nullopt;
}

} // namespace neonchat::server
