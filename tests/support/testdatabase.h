// SPDX-License-Identifier: MIT
// A new, empty database for one test: a SQLite file in a temporary directory, or a fresh database
// on the throwaway PostgreSQL cluster of the test run when NEONCHAT_TEST_DB=postgres.
#pragma once

#include <QString>
#include <QTemporaryDir>

namespace neonchat::testing {

class TestDatabase {
public:
    TestDatabase() = default;
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    // Creates the database. False, with the reason in failureText(), if it could not: a run that
    // asks for PostgreSQL and has none fails, it does not fall back to SQLite.
    [[nodiscard]] bool create();

    // The value for chat-server's --db.
    [[nodiscard]] QString url() const { return m_url; }
    [[nodiscard]] bool isPostgres() const { return m_url.startsWith(u"postgres"); }
    [[nodiscard]] QString failureText() const { return m_failure; }

private:
    QTemporaryDir m_dir;
    QString m_url;
    QString m_failure;
};

// "postgres" or "sqlite": the database this test run uses (NEONCHAT_TEST_DB, default sqlite).
[[nodiscard]] QString testDatabaseKind();

} // namespace neonchat::testing
