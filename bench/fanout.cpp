// SPDX-License-Identifier: MIT
// bench-fanout: one sender, N receivers in the lobby of a real chat-server; measures how many
// deliveries per second the server fans out and the send-to-receive latency.
#include "latency.h"
#include "protocol/codec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

using namespace Qt::StringLiterals;
using namespace neonchat;

namespace {

// Shared by the receiver threads of one run; the clock and the totals are the run's, not global.
struct RunState {
    QElapsedTimer clock;
    std::atomic<qint64> delivered{0};
    std::atomic<int> connected{0};
    std::mutex latencyMutex;
    std::vector<qint64> latenciesUs;
};

// Receivers of one client thread; each counts the messages that arrive and their latency.
class ReceiverGroup : public QObject {
    Q_OBJECT
public:
    ReceiverGroup(RunState &state, QUrl url, int count)
        : m_state(state)
        , m_url(std::move(url))
        , m_count(count) {}

    void start() {
        for (int i = 0; i < m_count; ++i) {
            auto socket = std::make_unique<QWebSocket>();
            QWebSocket *raw = socket.get();
            connect(raw, &QWebSocket::textMessageReceived, this,
                    [this](const QString &text) { onText(text); });
            QUrl url = m_url;
            url.setQuery(u"name=r%1"_s.arg(reinterpret_cast<quintptr>(raw) % 100000));
            raw->open(url);
            m_sockets.push_back(std::move(socket));
        }
    }

    void stop() {
        for (auto &socket : m_sockets) {
            socket->abort();
        }
        m_sockets.clear();
    }

private:
    void onText(const QString &text) {
        const auto frame = protocol::decodeServerFrame(text.toUtf8());
        if (!frame.ok()) {
            return;
        }
        if (std::holds_alternative<protocol::Welcome>(frame.value())) {
            m_state.connected.fetch_add(1);
            return;
        }
        const auto *message = std::get_if<protocol::NewMessage>(&frame.value());
        if (!message) {
            return;
        }
        const qint64 sentUs = message->message.text.section(u' ', 0, 0).toLongLong();
        const qint64 latency = m_state.clock.nsecsElapsed() / 1000 - sentUs;
        {
            const std::lock_guard lock(m_state.latencyMutex);
            m_state.latenciesUs.push_back(latency);
        }
        m_state.delivered.fetch_add(1, std::memory_order_relaxed);
    }

    RunState &m_state;
    QUrl m_url;
    int m_count;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
};

struct Result {
    int receivers = 0;
    int messages = 0;
    qint64 delivered = 0;
    double seconds = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

bool waitUntil(const std::function<bool()> &done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    return true;
}

struct RunSettings {
    int messages = 200;
    int clientThreads = 2;
    int messageBytes = 100;
    int ratePerSecond = 0; // 0: send as fast as the socket takes them
};

std::optional<Result> runOnce(const QUrl &url, int receivers, const RunSettings &settings) {
    const int messages = settings.messages;
    const int clientThreads = settings.clientThreads;
    RunState state;
    state.clock.start();
    state.latenciesUs.reserve(static_cast<size_t>(receivers) * static_cast<size_t>(messages));

    std::vector<std::unique_ptr<QThread>> threads;
    std::vector<ReceiverGroup *> groups;
    for (int t = 0; t < clientThreads; ++t) {
        const int count = receivers / clientThreads + (t < receivers % clientThreads ? 1 : 0);
        auto thread = std::make_unique<QThread>();
        auto *group = new ReceiverGroup(state, url, count);
        group->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, group, &QObject::deleteLater);
        thread->start();
        QMetaObject::invokeMethod(group, &ReceiverGroup::start, Qt::QueuedConnection);
        groups.push_back(group);
        threads.push_back(std::move(thread));
    }
    auto stopAll = [&] {
        for (ReceiverGroup *group : groups) {
            QMetaObject::invokeMethod(group, &ReceiverGroup::stop, Qt::BlockingQueuedConnection);
        }
        for (auto &thread : threads) {
            thread->quit();
            thread->wait();
        }
    };
    if (!waitUntil([&] { return state.connected.load() == receivers; }, 120000)) {
        std::fprintf(stderr, "bench-fanout: only %d of %d receivers connected\n",
                     state.connected.load(), receivers);
        stopAll();
        return std::nullopt;
    }

    QWebSocket sender;
    int acked = 0;
    QObject::connect(&sender, &QWebSocket::textMessageReceived, [&acked](const QString &text) {
        if (text.contains("\"message_sent\""_L1)) {
            ++acked;
        }
    });
    QUrl senderUrl = url;
    senderUrl.setQuery(u"name=sender"_s);
    sender.open(senderUrl);
    if (!waitUntil([&] { return sender.state() == QAbstractSocket::ConnectedState; }, 10000)) {
        stopAll();
        return std::nullopt;
    }
    const QString padding(std::max(0, settings.messageBytes - 24), u'x');
    const qint64 expected = static_cast<qint64>(receivers) * messages;
    const qint64 startNs = state.clock.nsecsElapsed();
    for (int i = 0; i < messages; ++i) {
        if (settings.ratePerSecond > 0) {
            const qint64 dueNs =
                startNs + static_cast<qint64>(i) * 1'000'000'000 / settings.ratePerSecond;
            waitUntil([&] { return state.clock.nsecsElapsed() >= dueNs; }, 600000);
        }
        const QString text = u"%1 %2"_s.arg(state.clock.nsecsElapsed() / 1000).arg(padding);
        sender.sendTextMessage(QString::fromUtf8(protocol::encode(
            protocol::ClientFrame{protocol::SendMessage{std::nullopt, text, std::nullopt}})));
        // Yield now and then so acks are read and the sender never floods its own socket.
        if (i % 50 == 49) {
            QCoreApplication::processEvents();
        }
    }
    const bool complete =
        waitUntil([&] { return state.delivered.load() >= expected && acked == messages; }, 300000);
    const double seconds = static_cast<double>(state.clock.nsecsElapsed() - startNs) / 1e9;
    sender.abort();
    stopAll();
    if (!complete) {
        std::fprintf(stderr, "bench-fanout: %lld of %lld deliveries arrived\n",
                     static_cast<long long>(state.delivered.load()),
                     static_cast<long long>(expected));
        return std::nullopt;
    }
    std::sort(state.latenciesUs.begin(), state.latenciesUs.end());
    return Result{receivers,
                  messages,
                  state.delivered.load(),
                  seconds,
                  bench::percentileMs(state.latenciesUs, 0.50),
                  bench::percentileMs(state.latenciesUs, 0.99)};
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench-fanout"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Fan-out benchmark: one sender, N receivers in the lobby. Starts the given chat-server "
        "on a free loopback port (or uses --url) and prints one Markdown table row per run."_s);
    parser.addHelpOption();
    parser.addOption({u"server"_s, u"chat-server binary to start."_s, u"PATH"_s});
    parser.addOption({u"url"_s, u"Use a running server instead (ws://HOST:PORT/ws)."_s, u"URL"_s});
    parser.addOption(
        {u"receivers"_s, u"Comma list of receiver counts."_s, u"LIST"_s, u"100,1000"_s});
    parser.addOption({u"messages"_s, u"Messages sent per run."_s, u"N"_s, u"200"_s});
    parser.addOption({u"bytes"_s, u"Approximate text size of each message."_s, u"N"_s, u"100"_s});
    parser.addOption({u"rate"_s,
                      u"Messages per second the sender paces itself to (0: no pacing)."_s, u"N"_s,
                      u"0"_s});
    parser.addOption({u"client-threads"_s, u"Threads holding the receivers."_s, u"N"_s, u"2"_s});
    parser.addOption(
        {u"workers"_s, u"--workers for the started server (0: one per core)."_s, u"N"_s, u"0"_s});
    parser.process(app);

    QProcess server;
    QUrl url(parser.value(u"url"_s));
    if (parser.isSet(u"server"_s)) {
        server.setProgram(parser.value(u"server"_s));
        server.setArguments({u"--addr"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--log-format"_s,
                             u"text"_s, u"--log-level"_s, u"info"_s, u"--rate-limit"_s,
                             u"1000000"_s, u"--max-connections"_s, u"100000"_s, u"--send-buffer"_s,
                             u"100000"_s, u"--workers"_s, parser.value(u"workers"_s)});
        server.setReadChannel(QProcess::StandardError);
        server.start();
        QByteArray log;
        static const QRegularExpression listening(u"listening on [^ ]+:(\\d+)"_s);
        QRegularExpressionMatch match;
        while (!(match = listening.match(QString::fromUtf8(log))).hasMatch()) {
            if (!server.waitForReadyRead(10000)) {
                std::fprintf(stderr, "bench-fanout: the server did not start\n%s\n",
                             log.constData());
                return 1;
            }
            log += server.readAllStandardError();
        }
        url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(match.captured(1)));
        // Keep reading the server's log so its pipe never fills.
        QObject::connect(&server, &QProcess::readyReadStandardError, &server,
                         [&server] { server.readAllStandardError(); });
    }
    if (!url.isValid() || url.isEmpty()) {
        std::fprintf(stderr, "bench-fanout: give --server PATH or --url URL\n");
        return 2;
    }

    std::printf("| receivers | messages | deliveries | seconds | deliveries/s | p50 ms | p99 ms |\n"
                "|---:|---:|---:|---:|---:|---:|---:|\n");
    int status = 0;
    for (const QString &count : parser.value(u"receivers"_s).split(u',')) {
        const RunSettings settings{parser.value(u"messages"_s).toInt(),
                                   std::max(1, parser.value(u"client-threads"_s).toInt()),
                                   parser.value(u"bytes"_s).toInt(),
                                   std::max(0, parser.value(u"rate"_s).toInt())};
        const auto result = runOnce(url, count.toInt(), settings);
        if (!result) {
            status = 1;
            continue;
        }
        std::printf("| %d | %d | %lld | %.2f | %.0f | %.1f | %.1f |\n", result->receivers,
                    result->messages, static_cast<long long>(result->delivered), result->seconds,
                    static_cast<double>(result->delivered) / result->seconds, result->p50Ms,
                    result->p99Ms);
        std::fflush(stdout);
    }
    if (server.state() != QProcess::NotRunning) {
        server.terminate();
        if (!server.waitForFinished(15000)) {
            server.kill();
        }
    }
    return status;
}

#include "fanout.moc"
