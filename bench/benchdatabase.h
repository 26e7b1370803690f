// SPDX-License-Identifier: MIT
// Scratch databases for the storage benchmarks.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>
#include <QUuid>

#include <cstdio>
#include <optional>

namespace neonchat::bench {

using namespace Qt::StringLiterals;

// A new database for one run: a SQLite file in dir, or a new database on the PostgreSQL server
// the admin URL points at.
inline std::optional<QString> createDatabase(const QString &kind, const QString &postgresAdminUrl,
                                             const QTemporaryDir &dir, int run) {
    if (kind == "sqlite"_L1) {
        return u"sqlite:"_s + dir.filePath(u"run%1.db"_s.arg(run));
    }
    const QUrl admin(postgresAdminUrl);
    const QString name = u"neonchat_bench_"_s + QUuid::createUuid().toString(QUuid::Id128);
    const QString connection = u"bench-admin-%1"_s.arg(run);
    bool created = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
        db.setHostName(admin.host());
        db.setPort(admin.port(5432));
        db.setUserName(admin.userName());
        db.setPassword(admin.password());
        db.setDatabaseName(admin.path().mid(1));
        if (db.open()) {
            QSqlQuery query(db);
            created = query.exec(u"CREATE DATABASE "_s + name);
            if (!created) {
                std::fprintf(stderr, "bench: %s\n", qUtf8Printable(query.lastError().text()));
            }
        } else {
            std::fprintf(stderr, "bench: %s\n", qUtf8Printable(db.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!created) {
        return std::nullopt;
    }
    QUrl url = admin;
    url.setPath(u"/"_s + name);
    return url.toString();
}

} // namespace neonchat::bench
