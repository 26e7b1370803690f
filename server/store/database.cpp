// SPDX-License-Identifier: MIT
#include "database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

std::optional<QString> runPragma(QSqlDatabase &db, const QString &statement,
                                 const QString &expected = {}) {
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        return u"%1 failed: %2"_s.arg(statement, query.lastError().text());
    }
    if (!expected.isEmpty() &&
        (!query.next() || query.value(0).toString().compare(expected, Qt::CaseInsensitive) != 0)) {
        return u"%1 did not take effect"_s.arg(statement);
    }
    return std::nullopt;
}

} // namespace

DatabaseConnection::~DatabaseConnection() {
    close();
}

std::optional<QString> DatabaseConnection::open(const DatabaseTarget &target, const QString &name) {
    close();
    m_dialect = target.dialect;
    if (target.dialect == SqlDialect::Sqlite) {
        const QFileInfo file(target.sqlitePath);
        if (auto problem = makePrivateDirectory(file.absolutePath())) {
            return problem;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        m_name = name;
        db.setDatabaseName(file.absoluteFilePath());
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
        if (!db.open()) {
            return u"cannot open SQLite database %1: %2"_s.arg(file.absoluteFilePath(),
                                                               db.lastError().text());
        }
        // WAL lets readers work beside the writer; FULL sync makes a commit survive power loss,
        // which is what acknowledging a message promises. secure_delete zeroes what a deletion
        // frees, so a deleted message's text does not linger in the file.
        for (const auto &[statement, expected] :
             {std::pair{u"PRAGMA journal_mode=WAL"_s, u"wal"_s},
              std::pair{u"PRAGMA synchronous=FULL"_s, QString()},
              std::pair{u"PRAGMA secure_delete=ON"_s, u"1"_s},
              std::pair{u"PRAGMA foreign_keys=ON"_s, QString()}}) {
            if (auto problem = runPragma(db, statement, expected)) {
                return problem;
            }
        }
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
    m_name = name;
    db.setHostName(target.host);
    db.setPort(target.port);
    db.setUserName(target.user);
    db.setPassword(target.password);
    db.setDatabaseName(target.databaseName);
    db.setConnectOptions(u"connect_timeout=10"_s);
    if (!db.open()) {
        return u"cannot connect to PostgreSQL at %1:%2/%3: %4"_s.arg(
            target.host, QString::number(target.port), target.databaseName, db.lastError().text());
    }
    return std::nullopt;
}

void DatabaseConnection::close() {
    if (m_name.isEmpty()) {
        return;
    }
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

QSqlDatabase DatabaseConnection::database() const {
    return QSqlDatabase::database(m_name, false);
}

bool DatabaseConnection::isAlive() const {
    QSqlQuery probe(database());
    return probe.exec(u"SELECT 1"_s);
}

} // namespace neonchat::server
