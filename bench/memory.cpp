// SPDX-License-Identifier: MIT
// bench-memory: what connections cost a real chat-server, read from /proc: N idle guest sessions,
// then S guests that never read while one writer sends M messages of B bytes to the lobby.
//   bench-memory --server PATH [--idle N] [--slow S] [--messages M] [--bytes B] [-- SERVER ARGS]
#include "benchserver.h"
#include "rawconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using neonchat::testing::processMemory;

namespace {

// A guest session on a plain socket: upgrade, then either read everything or nothing.
class Guest {
public:
    void open(quint16 port, const QString &name) {
        m_socket.connectToHost(u"127.0.0.1"_s, port);
        m_socket.write("GET /ws?name=" + name.toUtf8() +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: "
                       "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
        QObject::connect(&m_socket, &QIODevice::readyRead, [this] {
            if (!m_stalled) {
                m_received.append(m_socket.readAll());
            }
        });
    }
    [[nodiscard]] bool welcomed() const { return m_received.contains("\"welcome\""); }
    // Reads nothing more from now on: Qt stops taking bytes from the kernel.
    void stall() {
        m_stalled = true;
        m_socket.setReadBufferSize(1);
    }
    void sendText(const QByteArray &payload) {
        QByteArray frame;
        frame.append(char(0x81));
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            frame.append(char(payload.size() >> 8));
            frame.append(char(payload.size() & 0xff));
        }
        const quint32 key = QRandomGenerator::global()->generate();
        const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i) {
            frame.append(char(payload[i] ^ mask[i % 4]));
        }
        m_socket.write(frame);
    }
    [[nodiscard]] qsizetype acknowledged() const { return m_received.count("\"message_sent\""); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_stalled = false;
};

double metric(const QByteArray &body, const QByteArray &name) {
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(name + ' ')) {
            return line.sliced(name.size() + 1).toDouble();
        }
    }
    return -1;
}

QByteArray fetchMetrics(quint16 port) {
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    socket.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    neonchat::bench::waitUntil(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    return answer;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"What idle and non-reading connections cost chat-server."_s);
    parser.addHelpOption();
    parser.addOptions({{u"server"_s, u"chat-server to start"_s, u"PATH"_s},
                       {u"idle"_s, u"idle guest sessions"_s, u"N"_s, u"1000"_s},
                       {u"slow"_s, u"guests that never read"_s, u"S"_s, u"100"_s},
                       {u"messages"_s, u"messages the writer sends"_s, u"M"_s, u"200"_s},
                       {u"bytes"_s, u"UTF-8 bytes of text per message (emoji; at most 16384)"_s,
                        u"B"_s, u"16384"_s}});
    parser.addPositionalArgument(u"server-args"_s, u"after --: more chat-server arguments"_s);
    parser.process(app);
    if (!parser.isSet(u"server"_s)) {
        std::fprintf(stderr, "bench-memory: --server PATH is required\n");
        return 2;
    }
    const int idle = parser.value(u"idle"_s).toInt();
    const int slow = parser.value(u"slow"_s).toInt();
    const int messages = parser.value(u"messages"_s).toInt();
    const int bytes = parser.value(u"bytes"_s).toInt();

    QTemporaryDir dataDir;
    QProcess server;
    QByteArray log;
    const std::optional<quint16> listening = neonchat::bench::startServer(
        server, parser.value(u"server"_s),
        QStringList{u"--addr"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--data-dir"_s,
                    dataDir.path(), u"--log-format"_s, u"text"_s, u"--rate-limit"_s, u"100000"_s} +
            parser.positionalArguments(),
        log);
    if (!listening) {
        std::fprintf(stderr, "bench-memory: the server did not say where it listens:\n%s\n",
                     log.constData());
        return 1;
    }
    const quint16 port = *listening;
    const qint64 serverPid = server.processId();
    QThread::msleep(500);
    const auto start = processMemory(serverPid);

    std::vector<std::unique_ptr<Guest>> idleGuests;
    for (int i = 0; i < idle; ++i) {
        idleGuests.push_back(std::make_unique<Guest>());
        idleGuests.back()->open(port, u"idle%1"_s.arg(i));
        if (i % 100 == 99) {
            neonchat::bench::waitUntil([&] { return idleGuests.back()->welcomed(); }, 10000);
        }
    }
    const bool allIdle = neonchat::bench::waitUntil(
        [&] {
            return std::all_of(idleGuests.begin(), idleGuests.end(),
                               [](const auto &guest) { return guest->welcomed(); });
        },
        60000);
    const auto withIdle = processMemory(serverPid);

    std::vector<std::unique_ptr<Guest>> slowGuests;
    for (int i = 0; i < slow; ++i) {
        slowGuests.push_back(std::make_unique<Guest>());
        slowGuests.back()->open(port, u"slow%1"_s.arg(i));
    }
    neonchat::bench::waitUntil(
        [&] {
            return std::all_of(slowGuests.begin(), slowGuests.end(),
                               [](const auto &guest) { return guest->welcomed(); });
        },
        60000);
    for (auto &guest : slowGuests) {
        guest->stall();
    }
    Guest writer;
    writer.open(port, u"writer"_s);
    neonchat::bench::waitUntil([&] { return writer.welcomed(); }, 10000);
    const auto beforeWriting = processMemory(serverPid);
    // Emoji, four bytes each: the most bytes a message of 4096 characters can have.
    const QString text = QString(u"\U0001F600"_s).repeated(std::min(4096, bytes / 4));
    for (int i = 0; i < messages; ++i) {
        writer.sendText(QJsonDocument(QJsonObject{{"type"_L1, "message"_L1}, {"text"_L1, text}})
                            .toJson(QJsonDocument::Compact));
    }
    if (!neonchat::bench::waitUntil([&] { return writer.acknowledged() >= messages; }, 120000)) {
        std::fprintf(stderr, "bench-memory: %lld of %d messages acknowledged\n",
                     static_cast<long long>(writer.acknowledged()), messages);
    }
    // Fan-out to the idle readers and the slow ones settles after the last acknowledgement.
    QThread::msleep(2000);
    QCoreApplication::processEvents();
    const auto afterWriting = processMemory(serverPid);
    const double dropped = metric(fetchMetrics(port), "broadcast_dropped_total");

    QTextStream out(stdout);
    out << "| idle | per idle session | slow | messages × bytes | peak growth while writing | "
           "per slow reader | dropped (1013) |\n";
    out << "|---:|---:|---:|---:|---:|---:|---:|\n";
    const double perIdle = idle > 0 ? double(withIdle.resident - start.resident) / idle : 0;
    const qint64 growth = afterWriting.peak - beforeWriting.resident;
    out << "| " << idle << (allIdle ? "" : " (not all welcomed)") << " | "
        << QString::number(perIdle / 1024, 'f', 1) << " KiB | " << slow << " | " << messages
        << " × " << bytes << " | " << QString::number(double(growth) / (1 << 20), 'f', 1)
        << " MiB | " << QString::number(slow > 0 ? double(growth) / slow / 1024 : 0, 'f', 1)
        << " KiB | " << dropped << " |\n";
    server.terminate();
    server.waitForFinished(15000);
    return 0;
}
