// SPDX-License-Identifier: MIT
#include "testdatabase.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

namespace {

// The admin URL of the throwaway cluster: from the environment, or from the file the CTest
// fixture (tests/services/postgres) wrote when it started the cluster.
QString postgresAdminUrl() {
    const QString fromEnvironment = qEnvironmentVariable("NEONCHAT_TEST_POSTGRES_URL");
    if (!fromEnvironment.isEmpty()) {
        return fromEnvironment;
    }
    QFile file(QStringLiteral(NEONCHAT_TEST_SERVICES_DIR) + u"/postgres/url"_s);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).trimmed();
}

} // namespace

QString testDatabaseKind() {
    return qEnvironmentVariable("NEONCHAT_TEST_DB") == "postgres"_L1 ? u"postgres"_s : u"sqlite"_s;
}

bool TestDatabase::create() {
    if (testDatabaseKind() == "sqlite"_L1) {
        if (!m_dir.isValid()) {
            m_failure = u"no temporary directory: "_s + m_dir.errorString();
            return false;
        }
        m_url = u"sqlite:"_s + m_dir.filePath(u"chat.db"_s);
        return true;
    }
    const QUrl admin(postgresAdminUrl());
    if (admin.isEmpty()) {
        m_failure = u"NEONCHAT_TEST_DB=postgres but no test cluster is running (the CTest fixture "
                    "tests/services/postgres starts one)"_s;
        return false;
    }
    const QString name = u"neonchat_test_"_s + QUuid::createUuid().toString(QUuid::Id128);
    const QString connectionName = u"admin-"_s + name;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
        db.setHostName(admin.host());
        db.setPort(admin.port(5432));
        db.setUserName(admin.userName());
        db.setPassword(admin.password());
        db.setDatabaseName(admin.path().mid(1));
        if (!db.open()) {
            m_failure = u"cannot reach the test cluster: "_s + db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(u"CREATE DATABASE "_s + name)) {
                m_failure = u"CREATE DATABASE failed: "_s + query.lastError().text();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!m_failure.isEmpty()) {
        return false;
    }
    QUrl url = admin;
    url.setPath(u"/"_s + name);
    m_url = url.toString();
    return true;
}

} // namespace neonchat::testing
