// SPDX-License-Identifier: MIT
#include "redisprocess.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

#include <signal.h>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

namespace {

quint16 freeLoopbackPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return probe.serverPort();
}

bool accepts(quint16 port) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(200);
}

} // namespace

RedisProcess::~RedisProcess() {
    if (m_process.state() != QProcess::NotRunning) {
        static_cast<void>(kill());
    }
}

QString RedisProcess::url() const {
    return u"redis://127.0.0.1:%1"_s.arg(m_port);
}

bool RedisProcess::start() {
    const QString program = QStandardPaths::findExecutable(u"redis-server"_s);
    if (program.isEmpty()) {
        m_failure = u"redis-server is not installed (scripts/install-deps --test)"_s;
        return false;
    }
    // A port picked by a probe can be taken by someone else before Redis binds it: try again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const bool samePort = m_port != 0;
        if (!samePort) {
            m_port = freeLoopbackPort();
        }
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(program, {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s,
                                  u"--save"_s, u""_s, u"--appendonly"_s, u"no"_s, u"--daemonize"_s,
                                  u"no"_s, u"--loglevel"_s, u"warning"_s});
        if (!m_process.waitForStarted(10000)) {
            m_failure = m_process.errorString();
            return false;
        }
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            if (accepts(m_port)) {
                return true;
            }
            m_process.waitForFinished(50);
        }
        m_failure = QString::fromUtf8(m_process.readAll());
        static_cast<void>(kill());
        if (samePort) {
            return false; // a restart must come back where it was
        }
        m_port = 0;
    }
    return false;
}

bool RedisProcess::kill() {
    if (m_process.state() == QProcess::NotRunning) {
        return true;
    }
    ::kill(static_cast<pid_t>(m_process.processId()), SIGKILL);
    return m_process.waitForFinished(10000);
}

} // namespace neonchat::testing
