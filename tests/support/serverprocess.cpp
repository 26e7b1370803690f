// SPDX-License-Identifier: MIT
#include "serverprocess.h"

#include "http.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

QString chatServerPath() {
    // Another build of the server (an older commit, to show a test fails without its fix).
    const QString other = qEnvironmentVariable("NEONCHAT_TEST_CHAT_SERVER");
    return other.isEmpty() ? QStringLiteral(NEONCHAT_CHAT_SERVER_PATH) : other;
}

QString chatCliPath() {
    return QStringLiteral(NEONCHAT_CHAT_CLI_PATH);
}

ServerProcess::~ServerProcess() {
    // A server that died on its own (a crash, a sanitizer report) says why in the test output.
    if (m_port != 0 && !m_stopRequested && m_process.state() == QProcess::NotRunning) {
        qWarning().noquote() << "chat-server exited on its own, code" << m_process.exitCode()
                             << "; its log ends:\n"
                             << ownLog().right(8000);
    }
    // NEONCHAT_TEST_SERVER_LOGS=DIR keeps every server's whole log there, to read after a run.
    if (const QString keep = qEnvironmentVariable("NEONCHAT_TEST_SERVER_LOGS"); !keep.isEmpty()) {
        QFile file(u"%1/chat-server-%2.log"_s.arg(keep).arg(m_port));
        if (file.open(QIODevice::WriteOnly | QIODevice::Append)) {
            file.write(ownLog().toUtf8());
        }
    }
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        const bool exited = m_process.waitForFinished(5000);
        Q_UNUSED(exited) // a process that outlives kill is the OS's business now
    }
}

bool testClusterRun() {
    return qEnvironmentVariable("NEONCHAT_TEST_CLUSTER") == u"1"_s;
}

bool ServerProcess::start(const QStringList &extraArguments) {
    QStringList arguments{u"--addr"_s, u"127.0.0.1"_s,    u"--port"_s,
                          u"0"_s,      u"--log-format"_s, u"text"_s};
    if (!extraArguments.contains(u"--data-dir"_s)) {
        arguments += {u"--data-dir"_s, m_dataDir.path()};
    }
    if (!extraArguments.contains(u"--db"_s)) {
        if (!m_databaseCreated && !m_database.create()) {
            m_log = m_database.failureText().toUtf8();
            return false;
        }
        m_databaseCreated = true;
        arguments += {u"--db"_s, m_database.url()};
    }
    // Suites register accounts by the dozen from one address; the limit meant for strangers has
    // tests of its own (tst_adversarial) and is off unless a test sets it.
    // (An older build named by NEONCHAT_TEST_CHAT_SERVER has neither the limit nor the flag.)
    if (!extraArguments.contains(u"--register-rate"_s) &&
        qEnvironmentVariableIsEmpty("NEONCHAT_TEST_CHAT_SERVER")) {
        arguments += {u"--register-rate"_s, u"0"_s};
    }
    arguments += extraArguments;
    if (!testClusterRun()) {
        return startOne(arguments);
    }
    // A cluster: the instances share the database (created above), a Redis and the secret that
    // signs tokens. Started again after a stop, they find the same.
    if (!m_redis) {
        m_redis = std::make_unique<RedisProcess>();
        m_sibling = std::make_unique<ServerProcess>();
        if (!m_redis->start()) {
            m_log = m_redis->failureText().toUtf8();
            return false;
        }
    }
    if (!extraArguments.contains(u"--jwt-secret"_s)) {
        arguments += {u"--jwt-secret"_s, u"test-cluster-secret-of-at-least-32-bytes"_s};
    }
    arguments += {u"--redis"_s, m_redis->url(), u"--cluster-timeout"_s, u"3s"_s};
    m_turn = 0;
    // A restart on a given port is a restart of both instances where they were.
    QStringList siblingArguments = arguments;
    if (extraArguments.contains(u"--port"_s) && m_sibling->port() != 0) {
        siblingArguments += {u"--port"_s, QString::number(m_sibling->port())};
    }
    return startOne(arguments) && m_sibling->startOne(siblingArguments);
}

bool ServerProcess::startOne(const QStringList &arguments) {
    m_log.clear();
    m_port = 0;
    m_stopRequested = false;
    if (m_launcher.isEmpty()) {
        m_process.setProgram(chatServerPath());
        m_process.setArguments(arguments);
    } else {
        m_process.setProgram(m_launcher.first());
        m_process.setArguments(m_launcher.sliced(1) + QStringList{chatServerPath()} + arguments);
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    // The server logs to stderr; waitForReadyRead() waits on the read channel.
    m_process.setReadChannel(QProcess::StandardError);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        return false;
    }
    static const QRegularExpression listening(u"listening on [^ ]+:(\\d+)"_s);
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        const QRegularExpressionMatch match = listening.match(ownLog());
        if (match.hasMatch()) {
            m_port = static_cast<quint16>(match.captured(1).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning) {
            return false;
        }
        const bool more = m_process.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
        Q_UNUSED(more) // the loop looks at the log and the process state either way
    }
    return false;
}

QString ServerProcess::ownLog() {
    m_log += m_process.readAllStandardError();
    return QString::fromUtf8(m_log);
}

QString ServerProcess::log() {
    if (m_sibling) {
        return ownLog() + u"\n--- second instance ---\n"_s + m_sibling->log();
    }
    return ownLog();
}

bool ServerProcess::waitForExit(int timeoutMs) {
    if (m_sibling && !m_sibling->waitForExit(timeoutMs)) {
        return false;
    }
    // waitForFinished() is false for a process that already finished while events ran.
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs) ||
           m_process.state() == QProcess::NotRunning;
}

int ServerProcess::terminate(int timeoutMs) {
    if (m_sibling && m_sibling->terminate(timeoutMs) != 0) {
        return -1;
    }
    signal(SIGTERM);
    if (!waitForExit(timeoutMs)) {
        return -1;
    }
    m_log += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool ServerProcess::kill() {
    if (m_sibling && !m_sibling->kill()) {
        return false;
    }
    m_stopRequested = true;
    m_process.kill();
    const bool exited = waitForExit();
    m_log += m_process.readAllStandardError();
    return exited;
}

void ServerProcess::signal(int signalNumber) {
    if (m_sibling) {
        m_sibling->signal(signalNumber);
    }
    m_stopRequested = true;
    if (m_process.processId() > 0) {
        ::kill(static_cast<pid_t>(m_process.processId()), signalNumber);
    }
}

double ServerProcess::metric(const QByteArray &sample) const {
    const QUrl url(u"http://127.0.0.1:%1/metrics"_s.arg(m_port));
    return metricValue(httpGet(url).body, sample);
}

quint16 ServerProcess::nextPort() const {
    return m_sibling && m_turn++ % 2 == 1 ? m_sibling->port() : m_port;
}

QUrl ServerProcess::httpUrl(const QString &path) const {
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(nextPort()).arg(path));
}

QUrl ServerProcess::wsUrl(const QString &query) const {
    QUrl url(u"ws://127.0.0.1:%1/ws"_s.arg(nextPort()));
    if (!query.isEmpty()) {
        url.setQuery(query);
    }
    return url;
}

} // namespace neonchat::testing
