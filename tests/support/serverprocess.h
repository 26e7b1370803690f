// SPDX-License-Identifier: MIT
// The real chat-server binary, started on a free loopback port for one test.
//
// With NEONCHAT_TEST_CLUSTER=1 (and NEONCHAT_TEST_DB=postgres) one ServerProcess is a cluster of
// two instances on one PostgreSQL database and a redis-server of its own (CONTRACT §8): httpUrl()
// and wsUrl() name the two instances in turn, as a load balancer without sticky sessions would,
// so a suite written for one server checks that two behave as one.
#pragma once

#include "redisprocess.h"
#include "testdatabase.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace neonchat::testing {

class ServerProcess {
public:
    ServerProcess() = default;
    ~ServerProcess();

    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Starts chat-server with --port 0 and the given extra arguments; waits until it listens.
    // Returns false (with the log in failureText()) if it exits or does not listen in time.
    // Unless the arguments name their own, the server gets a data directory and a new database
    // of the run's kind (testdatabase.h) that belong to this object: a later start() of the same
    // object (a restart) finds the data the earlier one left.
    [[nodiscard]] bool start(const QStringList &extraArguments = {});
    // A command the server is started through, such as {"prlimit", "--nofile=1024:4096", "--"};
    // it must exec the server in its own process so that the process id stays the server's.
    void setLauncher(const QStringList &launcher) { m_launcher = launcher; }
    // SIGKILL and wait: the server gets no chance to finish anything.
    [[nodiscard]] bool kill();
    // SIGTERM and wait for exit; returns the exit code, or -1 if it did not exit in time.
    int terminate(int timeoutMs = 15000);
    void signal(int signalNumber);
    // True once the process has exited, whether before this call or within the timeout.
    [[nodiscard]] bool waitForExit(int timeoutMs = 15000);

    // The first instance's port (the only one, unless in a cluster).
    [[nodiscard]] quint16 port() const { return m_port; }
    // In a cluster, each call names the next instance.
    [[nodiscard]] QUrl httpUrl(const QString &path) const;
    [[nodiscard]] QUrl wsUrl(const QString &query = {}) const;
    // A sample of the (first) instance's /metrics ("name{labels}"), or -1 if absent.
    [[nodiscard]] double metric(const QByteArray &sample) const;
    [[nodiscard]] QProcess &process() { return m_process; }
    // Everything the server has logged so far (its stderr).
    [[nodiscard]] QString log();
    [[nodiscard]] QString failureText() { return log(); }

private:
    // Starts this process alone with exactly these arguments.
    [[nodiscard]] bool startOne(const QStringList &arguments);
    // This process's log, without a sibling's.
    [[nodiscard]] QString ownLog();
    // The port of the instance the next URL names.
    [[nodiscard]] quint16 nextPort() const;

    QProcess m_process;
    QStringList m_launcher;
    QByteArray m_log;
    quint16 m_port = 0;
    bool m_stopRequested = false; // the test signalled or killed it: an exit is expected
    QTemporaryDir m_dataDir;
    TestDatabase m_database;
    bool m_databaseCreated = false;
    // In a cluster: the second instance and the Redis both use.
    std::unique_ptr<ServerProcess> m_sibling;
    std::unique_ptr<RedisProcess> m_redis;
    mutable quint64 m_turn = 0;
};

// Whether the run asks for every ServerProcess to be a cluster (NEONCHAT_TEST_CLUSTER=1).
[[nodiscard]] bool testClusterRun();

// Path of a binary built by this project, passed in by CMake (the server's can be replaced by
// NEONCHAT_TEST_CHAT_SERVER).
[[nodiscard]] QString chatServerPath();
[[nodiscard]] QString chatCliPath();

} // namespace neonchat::testing
