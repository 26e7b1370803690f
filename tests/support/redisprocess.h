// SPDX-License-Identifier: MIT
// A real redis-server on a loopback port for one test, which the test may kill -9 and start again
// on the same port, as when Redis crashes and comes back. Nothing is persisted.
#pragma once

#include <QProcess>
#include <QString>

namespace neonchat::testing {

class RedisProcess {
public:
    RedisProcess() = default;
    ~RedisProcess();

    RedisProcess(const RedisProcess &) = delete;
    RedisProcess &operator=(const RedisProcess &) = delete;

    // Starts redis-server on a free port (the first time) or on the port of the last start, and
    // waits until it accepts connections. False, with the reason in failureText(), if it cannot.
    [[nodiscard]] bool start();
    // SIGKILL and wait: connections drop without a word, as in a crash.
    [[nodiscard]] bool kill();

    [[nodiscard]] quint16 port() const { return m_port; }
    // The value for chat-server's --redis.
    [[nodiscard]] QString url() const;
    [[nodiscard]] QString failureText() const { return m_failure; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_failure;
};

} // namespace neonchat::testing
