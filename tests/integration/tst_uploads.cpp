// SPDX-License-Identifier: MIT
// Files (CONTRACT §9) against a real chat-server: uploads streamed into the database and out
// again byte for byte, the rules for names, types and sizes, the download headers that keep a
// browser from running a file, attachments travelling with their message, and files that leave:
// with their deleted message, when never attached, when the client leaves mid-upload. Eight
// concurrent 25 MiB uploads show what a streamed upload costs the server in memory.
#include "accounts.h"
#include "http.h"
#include "rawconnection.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace neonchat::testing;

namespace {

constexpr qint64 kChunkBytes = 256 * 1024; // the server's storage chunk
constexpr qint64 kMiB = 1024 * 1024;

// Bytes that differ at every offset and from file to file, without a generator's state to share.
QByteArray patternBytes(qint64 size, int seed) {
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 131 + i / 251 + seed * 17) & 0xff);
    }
    return bytes;
}

// The same bytes as patternBytes, made as they are read: a large body without holding it whole.
class PatternDevice : public QIODevice {
public:
    PatternDevice(qint64 size, int seed)
        : m_size(size)
        , m_seed(seed) {}
    [[nodiscard]] qint64 size() const override { return m_size; }
    [[nodiscard]] bool isSequential() const override { return false; }

protected:
    qint64 readData(char *data, qint64 maxSize) override {
        const qint64 n = std::min(maxSize, m_size - pos());
        for (qint64 i = 0; i < n; ++i) {
            const qint64 at = pos() + i;
            data[i] = static_cast<char>((at * 131 + at / 251 + m_seed * 17) & 0xff);
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_size;
    int m_seed;
};

QByteArray patternHash(qint64 size, int seed) {
    PatternDevice device(size, seed);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!device.open(QIODevice::ReadOnly) || !hash.addData(&device)) {
        return {};
    }
    return hash.result();
}

QString uploadPath(const QString &filename) {
    return u"/api/v1/uploads?filename="_s + QString::fromLatin1(QUrl::toPercentEncoding(filename));
}

// The request of an upload in chunked transfer coding, as curl -T - would send it.
QByteArray chunkedUpload(const QString &filename, const QString &token, const QByteArray &body) {
    QByteArray request = "POST "_ba + uploadPath(filename).toLatin1() +
                         " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "_ba +
                         token.toLatin1() +
                         "\r\nContent-Type: application/octet-stream\r\n"
                         "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"_ba;
    for (qint64 at = 0; at < body.size(); at += 10'000) {
        const QByteArray piece = body.mid(at, 10'000);
        request += QByteArray::number(piece.size(), 16) + "\r\n"_ba + piece + "\r\n"_ba;
    }
    return request + "0\r\n\r\n"_ba;
}

} // namespace

class TestUploads : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    QTemporaryDir m_dataDir;
    QString m_sqliteFile; // on SQLite runs: the database, to look for what must be gone
    int m_accounts = 0;
    static constexpr qint64 kMaxUploadBytes = 3 * kMiB;

    std::optional<TestAccount> account(const QString &name) {
        return createAccount(m_server, name + u'_' + QString::number(++m_accounts));
    }
    HttpResult upload(const TestAccount &who, const QString &filename, const QByteArray &body,
                      const QByteArray &contentType = "application/octet-stream"_ba) {
        HttpHeaders headers = bearer(who.token);
        headers.append({"Content-Type"_ba, contentType});
        return httpRequest("POST", m_server.httpUrl(uploadPath(filename)), body, headers);
    }
    // The id of a new upload of who's, or empty.
    QString uploaded(const TestAccount &who, const QByteArray &body,
                     const QString &filename = u"notes.txt"_s) {
        const HttpResult result = upload(who, filename, body, "text/plain"_ba);
        return result.status == 201 ? result.json().value("id"_L1).toString() : QString();
    }
    HttpResult download(const TestAccount &who, const QString &uploadId) {
        return httpGet(m_server.httpUrl(u"/api/v1/uploads/"_s + uploadId), bearer(who.token));
    }
    QString createRoom(const TestAccount &owner, const TestAccount &member) {
        return neonchat::testing::createRoom(m_server, u"files %1"_s.arg(++m_accounts), owner,
                                             {member});
    }
    static QJsonObject filesMessage(const QString &chatId, const QStringList &uploadIds,
                                    const QString &text = {}) {
        return QJsonObject{{"type"_L1, "message"_L1},
                           {"chat_id"_L1, chatId},
                           {"text"_L1, text},
                           {"attachment_ids"_L1, QJsonArray::fromStringList(uploadIds)}};
    }

private Q_SLOTS:
    void initTestCase() {
        QStringList arguments{u"--upload-max-bytes"_s, QString::number(kMaxUploadBytes)};
        if (testDatabaseKind() == "sqlite"_L1) {
            m_sqliteFile = m_dataDir.filePath(u"chat.db"_s);
            arguments << u"--db"_s << u"sqlite:"_s + m_sqliteFile;
        }
        QVERIFY2(m_server.start(arguments), qPrintable(m_server.failureText()));
    }

    void uploadedBytesComeBackUnchanged_data() {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<bool>("chunked");
        QTest::newRow("one byte") << qint64(1) << false;
        QTest::newRow("one storage chunk exactly") << kChunkBytes << false;
        QTest::newRow("a chunk and a byte") << kChunkBytes + 1 << false;
        QTest::newRow("the largest allowed") << kMaxUploadBytes << false;
        QTest::newRow("chunked transfer coding") << 2 * kChunkBytes + 7 << true;
    }
    void uploadedBytesComeBackUnchanged() {
        QFETCH(qint64, size);
        QFETCH(bool, chunked);
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        const QByteArray body = patternBytes(size, 1);
        QJsonObject created;
        if (chunked) {
            RawConnection raw;
            QVERIFY(raw.open(m_server.port()));
            raw.write(chunkedUpload(u"report.pdf"_s, alice->token, body));
            QVERIFY(raw.waitForResponses(1));
            QCOMPARE(raw.responses().value(0).status, 201);
            created = QJsonDocument::fromJson(raw.responses().value(0).body).object();
        } else {
            const HttpResult result = upload(*alice, u"report.pdf"_s, body, "application/pdf"_ba);
            QCOMPARE(result.status, 201);
            created = result.json();
        }
        QCOMPARE(created.value("filename"_L1).toString(), u"report.pdf"_s);
        QCOMPARE(created.value("size"_L1).toInteger(), size);
        QCOMPARE(created.value("content_type"_L1).toString(),
                 chunked ? u"application/octet-stream"_s : u"application/pdf"_s);
        QVERIFY(!created.value("created_at"_L1).toString().isEmpty());

        const HttpResult fetched = download(*alice, created.value("id"_L1).toString());
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.body.size(), body.size());
        QVERIFY(fetched.body == body);
    }

    void aDownloadIsNeverRunByABrowser_data() {
        QTest::addColumn<QByteArray>("uploadedType");
        QTest::addColumn<QByteArray>("servedType");
        QTest::newRow("png") << "image/png"_ba
                             << "image/png"_ba;
        QTest::newRow("plain text") << "text/plain; charset=utf-8"_ba
                                    << "text/plain"_ba;
        QTest::newRow("html") << "text/html"_ba
                              << "application/octet-stream"_ba;
        QTest::newRow("html, upper case") << "TEXT/HTML"_ba
                                          << "application/octet-stream"_ba;
        QTest::newRow("xhtml") << "application/xhtml+xml"_ba
                               << "application/octet-stream"_ba;
        QTest::newRow("svg") << "image/svg+xml"_ba
                             << "application/octet-stream"_ba;
        QTest::newRow("xml") << "text/xml"_ba
                             << "application/octet-stream"_ba;
        QTest::newRow("javascript") << "text/javascript"_ba
                                    << "application/octet-stream"_ba;
        QTest::newRow("no type") << QByteArray() << "application/octet-stream"_ba;
    }
    void aDownloadIsNeverRunByABrowser() {
        QFETCH(QByteArray, uploadedType);
        QFETCH(QByteArray, servedType);
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        const HttpResult created =
            upload(*alice, u"page.html"_s, "<script>alert(1)</script>"_ba, uploadedType);
        QCOMPARE(created.status, 201);
        const HttpResult fetched = download(*alice, created.json().value("id"_L1).toString());
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.header("content-type"_ba), servedType);
        QCOMPARE(fetched.header("x-content-type-options"_ba), "nosniff"_ba);
        QVERIFY(fetched.header("content-disposition"_ba).startsWith("attachment;"));
    }

    void theNameIsKeptExactly_data() {
        QTest::addColumn<QString>("filename");
        QTest::addColumn<QByteArray>("disposition");
        QTest::newRow("ascii")
            << u"notes.txt"_s
            << "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt"_ba;
        QTest::newRow("cyrillic and a space")
            << u"отчёт 2026.pdf"_s
            << "attachment; filename=\"_____ 2026.pdf\"; "
               "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%202026.pdf"_ba;
        QTest::newRow("quotes and a semicolon")
            << u"a\";b.txt"_s
            << "attachment; filename=\"a_;b.txt\"; filename*=UTF-8''a%22%3Bb.txt"_ba;
    }
    void theNameIsKeptExactly() {
        QFETCH(QString, filename);
        QFETCH(QByteArray, disposition);
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        const HttpResult created = upload(*alice, filename, "x"_ba);
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json().value("filename"_L1).toString(), filename);
        const HttpResult fetched = download(*alice, created.json().value("id"_L1).toString());
        QCOMPARE(fetched.header("content-disposition"_ba), disposition);
    }

    void badUploadsAreRefused_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        const QByteArray some = "some bytes"_ba;
        const QByteArray binary = "application/octet-stream"_ba;
        QTest::newRow("no name") << u"/api/v1/uploads"_s << some << binary << 400;
        QTest::newRow("empty name") << uploadPath(QString()) << some << binary << 400;
        QTest::newRow("a path") << uploadPath(u"../etc/passwd"_s) << some << binary << 400;
        QTest::newRow("backslash") << uploadPath(u"a\\b"_s) << some << binary << 400;
        QTest::newRow("dot dot") << uploadPath(u".."_s) << some << binary << 400;
        QTest::newRow("control character") << uploadPath(u"a\nb"_s) << some << binary << 400;
        QTest::newRow("name too long") << uploadPath(QString(256, u'a')) << some << binary << 400;
        QTest::newRow("empty body") << uploadPath(u"a.txt"_s) << QByteArray() << binary << 400;
        QTest::newRow("not a media type") << uploadPath(u"a.txt"_s) << some << "text"_ba << 400;
        QTest::newRow("one byte too large")
            << uploadPath(u"a.bin"_s) << QByteArray(kMaxUploadBytes + 1, 'x') << binary << 413;
    }
    void badUploadsAreRefused() {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        HttpHeaders headers = bearer(alice->token);
        headers.append({"Content-Type"_ba, contentType});
        const HttpResult result = httpRequest("POST", m_server.httpUrl(path), body, headers);
        QCOMPARE(result.status, status);
        QVERIFY(!result.errorCode().isEmpty());
    }

    void aChunkedBodyOverTheLimitIsRefused() {
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        RawConnection raw;
        QVERIFY(raw.open(m_server.port()));
        raw.write(chunkedUpload(u"big.bin"_s, alice->token, QByteArray(kMaxUploadBytes + 1, 'x')));
        QVERIFY(raw.waitForResponses(1));
        QCOMPARE(raw.responses().value(0).status, 413);
    }

    void filesNeedAnAccount() {
        QCOMPARE(httpRequest("POST", m_server.httpUrl(uploadPath(u"a.txt"_s)), "x"_ba).status, 401);
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        const QString id = uploaded(*alice, "x"_ba);
        QCOMPARE(httpGet(m_server.httpUrl(u"/api/v1/uploads/"_s + id)).status, 401);
    }

    // An upload before it is attached is its uploader's alone; once attached, every member of the
    // chat may fetch it and nobody else learns it exists.
    void attachmentsTravelWithTheirMessage() {
        const auto alice = account(u"alice"_s);
        const auto bob = account(u"bob"_s);
        const auto mallory = account(u"mallory"_s);
        QVERIFY(alice && bob && mallory);
        const QString roomId = createRoom(*alice, *bob);
        QVERIFY(!roomId.isEmpty());
        const QString photo = uploaded(*alice, patternBytes(kChunkBytes + 5, 2), u"photo.jpg"_s);
        const QString notes = uploaded(*alice, "the notes"_ba, u"notes.txt"_s);
        QVERIFY(!photo.isEmpty() && !notes.isEmpty());
        QCOMPARE(download(*bob, photo).status, 404);
        QCOMPARE(download(*mallory, photo).status, 404);

        TestClient aliceClient;
        TestClient bobClient;
        QVERIFY(!aliceClient.join(alice->wsUrl(m_server)).isEmpty());
        QVERIFY(!bobClient.join(bob->wsUrl(m_server)).isEmpty());
        aliceClient.sendJson(filesMessage(roomId, {photo, notes}));
        const QJsonObject sent =
            aliceClient.waitFor(u"message_sent"_s).value("message"_L1).toObject();
        QCOMPARE(sent.value("text"_L1).toString(), QString());
        const QJsonArray attachments = sent.value("attachments"_L1).toArray();
        QCOMPARE(attachments.size(), 2);
        QCOMPARE(attachments[0].toObject().value("id"_L1).toString(), photo);
        QCOMPARE(attachments[0].toObject().value("filename"_L1).toString(), u"photo.jpg"_s);
        QCOMPARE(attachments[0].toObject().value("content_type"_L1).toString(), u"text/plain"_s);
        QCOMPARE(attachments[0].toObject().value("size"_L1).toInteger(), kChunkBytes + 5);
        QCOMPARE(attachments[1].toObject().value("id"_L1).toString(), notes);

        const QJsonObject received =
            bobClient.waitFor(u"new_message"_s).value("message"_L1).toObject();
        QCOMPARE(received.value("attachments"_L1).toArray(), attachments);
        const QJsonArray history =
            httpGet(m_server.httpUrl(u"/api/v1/chats/%1/messages"_s.arg(roomId)),
                    bearer(bob->token))
                .json()
                .value("messages"_L1)
                .toArray();
        QCOMPARE(history.last().toObject().value("attachments"_L1).toArray(), attachments);

        const HttpResult fetched = download(*bob, photo);
        QCOMPARE(fetched.status, 200);
        QVERIFY(fetched.body == patternBytes(kChunkBytes + 5, 2));
        QCOMPARE(download(*alice, notes).body, "the notes"_ba);
        // A stranger gets the very answer an unknown id gets.
        const HttpResult stranger = download(*mallory, photo);
        const HttpResult unknown = download(*mallory, u"0b8f5bd0-0000-4000-8000-000000000000"_s);
        QCOMPARE(stranger.status, 404);
        QCOMPARE(stranger.body, unknown.body);
    }

    void attachmentIdsNameOwnUploadsNotAttachedYet() {
        const auto alice = account(u"alice"_s);
        const auto bob = account(u"bob"_s);
        QVERIFY(alice && bob);
        const QString roomId = createRoom(*alice, *bob);
        const QString bobs = uploaded(*bob, "bob's file"_ba);
        const QString alices = uploaded(*alice, "alice's file"_ba);
        QVERIFY(!roomId.isEmpty() && !bobs.isEmpty() && !alices.isEmpty());
        TestClient client;
        QVERIFY(!client.join(alice->wsUrl(m_server)).isEmpty());

        QStringList eleven;
        for (int i = 0; i < 11; ++i) {
            eleven.append(uploaded(*alice, QByteArray::number(i)));
        }
        const QList<std::pair<const char *, QJsonObject>> refused = {
            {"someone else's upload", filesMessage(roomId, {bobs})},
            {"an unknown upload",
             filesMessage(roomId, {u"0b8f5bd0-0000-4000-8000-000000000001"_s})},
            {"an id twice", filesMessage(roomId, {alices, alices})},
            {"eleven uploads", filesMessage(roomId, eleven)},
            {"not an id", filesMessage(roomId, {u"photo.jpg"_s})},
        };
        for (const auto &[what, frame] : refused) {
            QJsonObject withRequest = frame;
            withRequest.insert("request_id"_L1, QString::fromLatin1(what));
            client.sendJson(withRequest);
            const QJsonObject error = client.waitFor(u"error"_s);
            QVERIFY2(error.value("code"_L1).toString() == u"invalid_message"_s, what);
            QCOMPARE(error.value("request_id"_L1).toString(), QString::fromLatin1(what));
        }
        client.sendJson(filesMessage(roomId, {alices}, u"here it is"_s));
        QCOMPARE(client.waitFor(u"message_sent"_s)
                     .value("message"_L1)
                     .toObject()
                     .value("attachments"_L1)
                     .toArray()
                     .size(),
                 1);
        client.sendJson(filesMessage(roomId, {alices}, u"and again"_s));
        QCOMPARE(client.waitFor(u"error"_s).value("code"_L1).toString(), u"invalid_message"_s);
        // Text stays required without files.
        client.sendJson(filesMessage(roomId, {}));
        QCOMPARE(client.waitFor(u"error"_s).value("code"_L1).toString(), u"invalid_message"_s);
    }

    void aDeletedMessageTakesItsFilesAlong() {
        const auto alice = account(u"alice"_s);
        const auto bob = account(u"bob"_s);
        QVERIFY(alice && bob);
        const QString roomId = createRoom(*alice, *bob);
        // A marker no other test stores: it must leave the database file with the message.
        const QByteArray marker = "file-marker-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        const QString id = uploaded(*alice, marker.repeated(1000));
        QVERIFY(!id.isEmpty());
        TestClient client;
        QVERIFY(!client.join(alice->wsUrl(m_server)).isEmpty());
        client.sendJson(filesMessage(roomId, {id}, u"a file"_s));
        const QString messageId = client.waitFor(u"message_sent"_s)
                                      .value("message"_L1)
                                      .toObject()
                                      .value("id"_L1)
                                      .toString();
        QVERIFY(!messageId.isEmpty());
        QCOMPARE(download(*bob, id).status, 200);

        QCOMPARE(httpRequest("DELETE", m_server.httpUrl(u"/api/v1/messages/"_s + messageId), {},
                             bearer(alice->token))
                     .status,
                 204);
        const QJsonObject tombstone =
            client.waitFor(u"message_updated"_s).value("message"_L1).toObject();
        QCOMPARE(tombstone.value("attachments"_L1).toArray().size(), 0);
        QCOMPARE(download(*bob, id).status, 404);
        QCOMPARE(download(*alice, id).status, 404);

        // PostgreSQL keeps old row versions until VACUUM (docs/ARCHITECTURE.md).
        if (!m_sqliteFile.isEmpty()) {
            for (const QString &path : {m_sqliteFile, m_sqliteFile + u"-wal"_s}) {
                QFile file(path);
                if (file.open(QIODevice::ReadOnly)) {
                    QVERIFY2(!file.readAll().contains(marker), qPrintable(path));
                }
            }
        }
    }

    // A client that hangs up mid-upload leaves nothing behind, and the server goes on.
    void anUploadCutShortIsDiscarded() {
        const auto alice = account(u"alice"_s);
        QVERIFY(alice);
        const QByteArray discarded = "uploads_total{result=\"discarded\"}"_ba;
        const double discardedBefore = m_server.metric(discarded);
        const double storedBefore = m_server.metric("upload_bytes_total"_ba);
        QVERIFY(discardedBefore >= 0 && storedBefore >= 0);
        {
            // The port of the first instance: the metrics read below are that instance's.
            RawConnection raw;
            QVERIFY(raw.open(m_server.port()));
            raw.write("POST "_ba + uploadPath(u"half.bin"_s).toLatin1() +
                      " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "_ba +
                      alice->token.toLatin1() + "\r\nContent-Length: 2000000\r\n\r\n"_ba +
                      QByteArray(3 * kChunkBytes, 'h'));
            // Part of it is stored before the client leaves.
            QTRY_VERIFY(m_server.metric("upload_bytes_total"_ba) >= storedBefore + 2 * kChunkBytes);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server.metric(discarded), discardedBefore + 1, 10000);
        QVERIFY(!uploaded(*alice, "still working"_ba).isEmpty());
    }

    void unattachedUploadsExpire() {
        ServerProcess server;
        QVERIFY2(server.start({u"--upload-expiry"_s, u"2s"_s}), qPrintable(server.failureText()));
        const auto alice = createAccount(server, u"alice"_s);
        const auto bob = createAccount(server, u"bob"_s);
        QVERIFY(alice && bob);
        const QString chatId = directChat(server, *alice, *bob);
        QVERIFY(!chatId.isEmpty());
        auto post = [&server, &alice](const QByteArray &body) {
            HttpHeaders headers = bearer(alice->token);
            headers.append({"Content-Type"_ba, "text/plain"_ba});
            return httpRequest("POST", server.httpUrl(uploadPath(u"a.txt"_s)), body, headers)
                .json()
                .value("id"_L1)
                .toString();
        };
        const QString forgotten = post("never attached"_ba);
        const QString kept = post("attached"_ba);
        QVERIFY(!forgotten.isEmpty() && !kept.isEmpty());
        TestClient client;
        QVERIFY(!client.join(alice->wsUrl(server)).isEmpty());
        client.sendJson(filesMessage(chatId, {kept}));
        QVERIFY(!client.waitFor(u"message_sent"_s).isEmpty());
        auto status = [&server, &alice](const QString &id) {
            return httpGet(server.httpUrl(u"/api/v1/uploads/"_s + id), bearer(alice->token)).status;
        };
        QTRY_COMPARE_WITH_TIMEOUT(status(forgotten), 404, 15000);
        QCOMPARE(status(kept), 200);
    }

    // Eight 25 MiB uploads at once: each holds a chunk or two in the server, not its file.
    void concurrentUploadsKeepMemoryBounded() {
        ServerProcess server;
        // ASan keeps freed memory in quarantine (256 MiB by default), which would count every
        // byte that passed through as resident; a small quarantine shows what is really held.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"ASAN_OPTIONS"_s, u"detect_leaks=0:quarantine_size_mb=8"_s);
        server.process().setProcessEnvironment(environment);
        QVERIFY2(server.start(), qPrintable(server.failureText()));
        const auto alice = createAccount(server, u"alice"_s);
        QVERIFY(alice);
        constexpr int kUploads = 8;
        constexpr qint64 kSize = 25 * kMiB;
        // A first upload brings the allocator and the database's caches to their working size.
        {
            HttpHeaders headers = bearer(alice->token);
            QCOMPARE(httpRequest("POST", server.httpUrl(uploadPath(u"warm.bin"_s)),
                                 patternBytes(4 * kChunkBytes, 9), headers)
                         .status,
                     201);
        }
        // Resident memory sampled while the uploads run: the peak counter is no use here, since
        // hashing the account's password (Argon2id, 64 MiB) set it before.
        const qint64 pid = server.process().processId();
        const qint64 residentBefore = processMemory(pid).resident;
        qint64 residentMost = residentBefore;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&residentMost, pid] {
            residentMost = std::max(residentMost, processMemory(pid).resident);
        });
        sampler.start(10);

        std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
        std::vector<std::unique_ptr<PatternDevice>> bodies;
        std::vector<QNetworkReply *> replies;
        for (int i = 0; i < kUploads; ++i) {
            managers.push_back(std::make_unique<QNetworkAccessManager>());
            bodies.push_back(std::make_unique<PatternDevice>(kSize, 100 + i));
            QVERIFY(bodies.back()->open(QIODevice::ReadOnly));
            QNetworkRequest request(server.httpUrl(uploadPath(u"big-%1.bin"_s.arg(i))));
            request.setRawHeader("Authorization", "Bearer " + alice->token.toLatin1());
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/zip"_s);
            request.setHeader(QNetworkRequest::ContentLengthHeader, kSize);
            replies.push_back(managers.back()->post(request, bodies.back().get()));
        }
        QStringList ids;
        for (QNetworkReply *reply : replies) {
            if (!reply->isFinished()) {
                QSignalSpy finished(reply, &QNetworkReply::finished);
                QVERIFY(finished.wait(180'000));
            }
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
            ids.append(
                QJsonDocument::fromJson(reply->readAll()).object().value("id"_L1).toString());
            reply->deleteLater();
        }
        sampler.stop();
        const qint64 grown = residentMost - residentBefore;
        qInfo("%d concurrent uploads of %lld MiB: the server's resident memory grew by %lld MiB "
              "at most (from %lld MiB)",
              kUploads, kSize / kMiB, grown / kMiB, residentBefore / kMiB);
        // 200 MiB went through; a server that held each file would have grown by as much.
        QVERIFY2(grown < 48 * kMiB, qPrintable(u"grew by %1 MiB"_s.arg(grown / kMiB)));

        // And one comes back whole, streamed the same way.
        QNetworkAccessManager manager;
        QNetworkRequest request(server.httpUrl(u"/api/v1/uploads/"_s + ids.value(3)));
        request.setRawHeader("Authorization", "Bearer " + alice->token.toLatin1());
        QNetworkReply *reply = manager.get(request);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        connect(reply, &QIODevice::readyRead, this,
                [&hash, reply] { hash.addData(reply->readAll()); });
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(120'000));
        hash.addData(reply->readAll());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(hash.result(), patternHash(kSize, 103));
        reply->deleteLater();
    }
};

QTEST_MAIN(TestUploads)
#include "tst_uploads.moc"
