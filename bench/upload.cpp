// SPDX-License-Identifier: MIT
// bench-upload: files through a real chat-server (CONTRACT §9). C clients upload a file of S MiB
// each at once, R rounds, then download them all; prints throughput both ways and the server's
// resident memory, sampled while the transfers run, over what it was before them.
//   bench-upload --server PATH [--concurrent C] [--mib S] [--rounds R] [-- SERVER ARGS]
// SERVER ARGS may name a database (--db postgres://...); the default is SQLite in a temporary
// directory.
#include "benchserver.h"
#include "rawconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using neonchat::testing::processMemory;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// A file's bytes made as they are read (incompressible enough for a database), so that the
// bench's own memory does not grow with the file.
class FileBody : public QIODevice {
public:
    explicit FileBody(qint64 size)
        : m_size(size) {}
    [[nodiscard]] qint64 size() const override { return m_size; }

protected:
    qint64 readData(char *data, qint64 maxSize) override {
        const qint64 n = std::min(maxSize, m_size - pos());
        quint64 state = static_cast<quint64>(pos()) * 0x9E3779B97F4A7C15ULL + 1;
        for (qint64 i = 0; i < n; ++i) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            data[i] = static_cast<char>(state);
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_size;
};

QJsonObject postJson(QNetworkAccessManager &network, const QUrl &url, const QJsonObject &body) {
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    neonchat::bench::waitUntil([&] { return reply->isFinished(); }, 60000);
    return QJsonDocument::fromJson(reply->readAll()).object();
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Upload and download throughput and memory of chat-server."_s);
    parser.addHelpOption();
    parser.addOptions({{u"server"_s, u"chat-server to start"_s, u"PATH"_s},
                       {u"concurrent"_s, u"uploads at once"_s, u"C"_s, u"8"_s},
                       {u"mib"_s, u"MiB per file"_s, u"S"_s, u"25"_s},
                       {u"rounds"_s, u"rounds of C uploads"_s, u"R"_s, u"3"_s}});
    parser.addPositionalArgument(u"server-args"_s, u"after --: more chat-server arguments"_s);
    parser.process(app);
    if (!parser.isSet(u"server"_s)) {
        std::fprintf(stderr, "bench-upload: --server PATH is required\n");
        return 2;
    }
    const int concurrent = parser.value(u"concurrent"_s).toInt();
    const qint64 fileBytes = parser.value(u"mib"_s).toLongLong() * kMiB;
    const int rounds = parser.value(u"rounds"_s).toInt();

    QTemporaryDir dataDir;
    QProcess server;
    QByteArray log;
    const std::optional<quint16> listening = neonchat::bench::startServer(
        server, parser.value(u"server"_s),
        QStringList{u"--addr"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--data-dir"_s,
                    dataDir.path(), u"--log-format"_s, u"text"_s, u"--upload-max-bytes"_s,
                    QString::number(fileBytes)} +
            parser.positionalArguments(),
        log);
    if (!listening) {
        std::fprintf(stderr, "bench-upload: the server did not say where it listens:\n%s\n",
                     log.constData());
        return 1;
    }
    const quint16 port = *listening;
    const QUrl base(u"http://127.0.0.1:%1"_s.arg(port));
    QNetworkAccessManager network;
    const QJsonObject credentials{{"username"_L1, u"bench"_s},
                                  {"password"_L1, u"bench-password"_s}};
    postJson(network, base.resolved(QUrl(u"/api/v1/auth/register"_s)), credentials);
    const QByteArray token =
        postJson(network, base.resolved(QUrl(u"/api/v1/auth/login"_s)), credentials)
            .value("token"_L1)
            .toString()
            .toLatin1();
    if (token.isEmpty()) {
        std::fprintf(stderr, "bench-upload: could not log in\n");
        return 1;
    }
    const qint64 serverPid = server.processId();
    QThread::msleep(500);
    const qint64 residentBefore = processMemory(serverPid).resident;
    qint64 residentMost = residentBefore;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        residentMost = std::max(residentMost, processMemory(serverPid).resident);
    });
    sampler.start(10);

    // One manager per transfer: one manager opens at most six connections to a host.
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    for (int i = 0; i < concurrent; ++i) {
        managers.push_back(std::make_unique<QNetworkAccessManager>());
    }
    QStringList ids;
    QElapsedTimer uploadTime;
    uploadTime.start();
    for (int round = 0; round < rounds; ++round) {
        std::vector<std::unique_ptr<FileBody>> bodies;
        std::vector<std::unique_ptr<QNetworkReply>> replies;
        for (int i = 0; i < concurrent; ++i) {
            bodies.push_back(std::make_unique<FileBody>(fileBytes));
            bodies.back()->open(QIODevice::ReadOnly);
            QNetworkRequest request(base.resolved(
                QUrl(u"/api/v1/uploads?filename=file-%1-%2.bin"_s.arg(round).arg(i))));
            request.setRawHeader("Authorization", "Bearer " + token);
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/octet-stream"_s);
            replies.emplace_back(
                managers[static_cast<size_t>(i)]->post(request, bodies.back().get()));
        }
        for (auto &reply : replies) {
            neonchat::bench::waitUntil([&] { return reply->isFinished(); }, 600000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 201) {
                std::fprintf(stderr, "bench-upload: an upload was answered %d: %s\n", status,
                             reply->readAll().constData());
                return 1;
            }
            ids.append(
                QJsonDocument::fromJson(reply->readAll()).object().value("id"_L1).toString());
        }
    }
    const double uploadSeconds = uploadTime.nsecsElapsed() / 1e9;
    const qint64 residentAfterUploads = residentMost;

    QElapsedTimer downloadTime;
    downloadTime.start();
    qint64 downloaded = 0;
    for (qsizetype first = 0; first < ids.size(); first += concurrent) {
        std::vector<std::unique_ptr<QNetworkReply>> replies;
        for (qsizetype i = first; i < std::min(ids.size(), first + concurrent); ++i) {
            QNetworkRequest request(base.resolved(QUrl(u"/api/v1/uploads/"_s + ids[i])));
            request.setRawHeader("Authorization", "Bearer " + token);
            QNetworkReply *reply = managers[static_cast<size_t>(i - first)]->get(request);
            QObject::connect(reply, &QIODevice::readyRead,
                             [reply, &downloaded] { downloaded += reply->readAll().size(); });
            replies.emplace_back(reply);
        }
        for (auto &reply : replies) {
            neonchat::bench::waitUntil([&] { return reply->isFinished(); }, 600000);
            downloaded += reply->readAll().size();
        }
    }
    const double downloadSeconds = downloadTime.nsecsElapsed() / 1e9;
    sampler.stop();

    const double totalMiB = double(fileBytes) * rounds * concurrent / kMiB;
    QTextStream out(stdout);
    out << "| files | at once | upload | download | server resident before | most while uploading "
           "| most while downloading |\n";
    out << "|---:|---:|---:|---:|---:|---:|---:|\n";
    out << "| " << ids.size() << " × " << fileBytes / kMiB << " MiB | " << concurrent << " | "
        << QString::number(totalMiB / uploadSeconds, 'f', 1) << " MiB/s | "
        << QString::number(double(downloaded) / kMiB / downloadSeconds, 'f', 1) << " MiB/s | "
        << residentBefore / kMiB << " MiB | +" << (residentAfterUploads - residentBefore) / kMiB
        << " MiB | +" << (residentMost - residentBefore) / kMiB << " MiB |\n";
    if (downloaded != fileBytes * rounds * concurrent) {
        out << "downloaded " << downloaded << " bytes, expected " << fileBytes * rounds * concurrent
            << "\n";
    }
    server.terminate();
    server.waitForFinished(15000);
    return 0;
}
