// SPDX-License-Identifier: MIT
// The front's HTTP request framing on bytes: what it accepts, what it refuses with which status,
// and that a request is only ever complete when every byte of it is there.
#include "net/httpframing.h"

#include <QTest>

using namespace neonchat::server::http;
using namespace Qt::StringLiterals;

namespace {

HeadResult parse(const QByteArray &bytes, FramingLimits limits = {}) {
    return parseRequestHead(bytes, limits);
}

} // namespace

class TestHttpFraming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusesWithTheRightStatus_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray host = "Host: h\r\n"_ba;

        QTest::addRow("not a request line") << "HELLO\r\n\r\n"_ba << 400;
        QTest::addRow("bare LF request line") << "GET / HTTP/1.1\nHost: h\n\n"_ba << 400;
        QTest::addRow("bare LF in a header") << "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n"_ba << 400;
        QTest::addRow("HTTP/2.0") << "GET / HTTP/2.0\r\n\r\n"_ba << 505;
        QTest::addRow("unknown method") << "BREW / HTTP/1.1\r\n" + host + "\r\n" << 501;
        QTest::addRow("HEAD not served") << "HEAD / HTTP/1.1\r\n" + host + "\r\n" << 501;
        QTest::addRow("absolute target") << "GET http://h/ HTTP/1.1\r\n" + host + "\r\n" << 400;
        QTest::addRow("no host in 1.1") << "GET / HTTP/1.1\r\n\r\n"_ba << 400;
        QTest::addRow("two hosts") << "GET / HTTP/1.1\r\n" + host + host + "\r\n" << 400;
        // Found by fuzz_httpframing: Qt's server was handed two Host headers.
        QTest::addRow("two hosts in 1.0") << "GET / HTTP/1.0\r\n" + host + host + "\r\n" << 400;
        QTest::addRow("negative length")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n"
            << 400;
        QTest::addRow("2^64-1 length")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: 18446744073709551615\r\n\r\n"
            << 400;
        QTest::addRow("overflowing length")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999999\r\n\r\n"
            << 400;
        QTest::addRow("length with sign")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: +5\r\n\r\n"
            << 400;
        QTest::addRow("duplicate length")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n"
            << 400;
        QTest::addRow("length and chunked")
            << "POST /a HTTP/1.1\r\n" + host +
                   "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
            << 400;
        QTest::addRow("gzip coding")
            << "POST /a HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n"
            << 501;
        QTest::addRow("body over the limit")
            << "POST /a HTTP/1.1\r\n" + host + "Content-Length: 65537\r\n\r\n"
            << 413;
        QTest::addRow("folded header") << "GET / HTTP/1.1\r\n" + host + "X: a\r\n b\r\n\r\n" << 400;
        QTest::addRow("space before colon") << "GET / HTTP/1.1\r\n" + host + "X : a\r\n\r\n" << 400;
        QTest::addRow("control in value") << "GET / HTTP/1.1\r\n" + host + "X: a\x01b\r\n\r\n"
                                          << 400;
        QTest::addRow("head too large")
            << "GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(17000, 'a') + "\r\n\r\n"
            << 431;
        QTest::addRow("head too large, unfinished")
            << "GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(17000, 'a') << 431;
        QTest::addRow("target too long") << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n"
                                         << 414;
        QTest::addRow("request line without end") << "GET /" + QByteArray(9000, 'a') << 414;
        QByteArray many = "GET / HTTP/1.1\r\n" + host;
        for (int i = 0; i < 100; ++i) {
            many += "X-" + QByteArray::number(i) + ": v\r\n";
        }
        QTest::addRow("101 headers") << many + "\r\n" << 431;
    }

    void refusesWithTheRightStatus() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const HeadResult result = parse(request);
        const auto *error = std::get_if<FramingError>(&result);
        QVERIFY2(error, "the request was not refused");
        QCOMPARE(error->status, status);
        QVERIFY(!error->code.isEmpty());
        QVERIFY(!error->message.isEmpty());
    }

    void acceptsWellFormedRequests_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<bool>("upgrade");
        QTest::addColumn<qint64>("contentLength");

        QTest::addRow("GET 1.1") << "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"_ba
                                 << "GET"_ba
                                 << "/healthz"_ba << true << false << qint64(0);
        QTest::addRow("GET 1.0") << "GET /healthz HTTP/1.0\r\n\r\n"_ba
                                 << "GET"_ba
                                 << "/healthz"_ba << false << false << qint64(0);
        QTest::addRow("1.0 keep-alive") << "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"_ba
                                        << "GET"_ba
                                        << "/"_ba << true << false << qint64(0);
        QTest::addRow("Connection: close")
            << "GET /a?b=c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"_ba
            << "GET"_ba
            << "/a"_ba << false << false << qint64(0);
        QTest::addRow("upgrade") << "GET /ws?name=a HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\n"
                                    "Connection: keep-alive, Upgrade\r\n\r\n"_ba
                                 << "GET"_ba
                                 << "/ws"_ba << true << true << qint64(0);
        QTest::addRow("POST with body")
            << "POST /api HTTP/1.1\r\nhost: h\r\ncontent-length: 12\r\n\r\n{\"a\":\"b\"}..."_ba
            << "POST"_ba
            << "/api"_ba << true << false << qint64(12);
        QTest::addRow("leading empty line") << "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba
                                            << "GET"_ba
                                            << "/"_ba << true << false << qint64(0);
        QTest::addRow("obs-text value")
            << "GET / HTTP/1.1\r\nHost: h\r\nX-Name: \xc3\xa9t\xc3\xa9\r\n\r\n"_ba
            << "GET"_ba
            << "/"_ba << true << false << qint64(0);
    }

    void acceptsWellFormedRequests() {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(bool, keepAlive);
        QFETCH(bool, upgrade);
        QFETCH(qint64, contentLength);
        const HeadResult result = parse(request);
        const auto *head = std::get_if<RequestHead>(&result);
        if (const auto *error = std::get_if<FramingError>(&result)) {
            QFAIL(qPrintable(error->message));
        }
        QVERIFY2(head, "the head was not complete");
        QCOMPARE(head->method, method);
        QCOMPARE(head->path().toByteArray(), path);
        QCOMPARE(head->keepAlive, keepAlive);
        QCOMPARE(head->webSocketUpgrade, upgrade);
        QCOMPARE(head->contentLength, contentLength);
        QCOMPARE(request.sliced(head->headLength).size(), contentLength);
    }

    void everyPrefixOfAHeadNeedsMoreData() {
        const QByteArray request = "POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\n"
                                   "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n"_ba;
        for (qsizetype n = 0; n < request.size(); ++n) {
            const HeadResult result = parse(request.first(n));
            QVERIFY2(std::holds_alternative<NeedMoreData>(result),
                     qPrintable(u"prefix of %1 bytes"_s.arg(n)));
        }
        QVERIFY(std::holds_alternative<RequestHead>(parse(request)));
    }

    void badRequestLineIsRefusedBeforeTheHeaders() {
        QVERIFY(std::holds_alternative<FramingError>(parse("GARBAGE\r\nHost: h"_ba)));
    }

    void chunkedBodyDecodes_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("after"); // bytes of the next request, left untaken

        QTest::addRow("two chunks") << "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba
                                    << "hello world"_ba << QByteArray();
        QTest::addRow("extension and trailer") << "3;x=y\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\nGET"_ba
                                               << "abc"_ba
                                               << "GET"_ba;
        QTest::addRow("upper-case hex") << "A\r\n0123456789\r\n0\r\n\r\n"_ba
                                        << "0123456789"_ba << QByteArray();
    }

    void chunkedBodyDecodes() {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, after);
        // Byte by byte, as a slow client sends it, and all at once.
        for (const bool trickle : {true, false}) {
            ChunkedBody chunked(1024);
            qsizetype taken = 0;
            if (trickle) {
                for (qsizetype i = 0; i < wire.size() && !chunked.done(); ++i) {
                    taken += chunked.feed(wire.sliced(i, 1));
                }
            } else {
                taken = chunked.feed(wire);
            }
            QVERIFY(!chunked.error());
            QVERIFY(chunked.done());
            QCOMPARE(chunked.body(), body);
            QCOMPARE(wire.sliced(taken), after);
        }
    }

    void chunkedBodyRefuses_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");

        QTest::addRow("over the limit") << "401\r\n"_ba + QByteArray(1025, 'a') << 413;
        QTest::addRow("limit reached across chunks")
            << "200\r\n"_ba + QByteArray(512, 'a') + "\r\n201\r\n"
            << 413;
        QTest::addRow("not hex") << "zz\r\n"_ba << 400;
        QTest::addRow("negative") << "-1\r\n"_ba << 400;
        QTest::addRow("huge size") << "ffffffffffffffffffff\r\n"_ba << 400;
        QTest::addRow("data longer than size") << "2\r\nabc\r\n"_ba << 400;
        QTest::addRow("size line without CRLF") << "2\nab"_ba << 400;
        QTest::addRow("endless size line") << QByteArray(2000, '0') << 400;
    }

    void chunkedBodyRefuses() {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        ChunkedBody chunked(1024);
        QVERIFY(chunked.feed(wire) <= wire.size());
        QVERIFY(!chunked.done());
        QVERIFY(chunked.error());
        QCOMPARE(chunked.error()->status, status);
    }

    void backendGetsOneCleanRequest() {
        const QByteArray wire =
            "POST /api?x=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
            "Connection: keep-alive\r\nUpgrade: websocket\r\nX-Request-Id: r1\r\n\r\n"_ba;
        const HeadResult result = parse(wire);
        const auto &head = std::get<RequestHead>(result);
        const QByteArray out = serializeForBackend(head, "{}"_ba);
        QCOMPARE(out, "POST /api?x=1 HTTP/1.1\r\nHost: h\r\nX-Request-Id: r1\r\n"
                      "Content-Length: 2\r\n\r\n{}"_ba);
    }

    // Found by fuzz_httpframing: an HTTP/1.0 request with an empty Host got a second one.
    void backendGetsExactlyOneHost_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addRow("1.0 without Host") << "GET / HTTP/1.0\r\n\r\n"_ba;
        QTest::addRow("1.0 with empty Host") << "GET / HTTP/1.0\r\nHost:\r\n\r\n"_ba;
        QTest::addRow("1.1 with Host") << "GET / HTTP/1.1\r\nhost: h\r\n\r\n"_ba;
    }

    void backendGetsExactlyOneHost() {
        QFETCH(QByteArray, wire);
        const QByteArray out = serializeForBackend(std::get<RequestHead>(parse(wire)), {});
        QCOMPARE(out.count("\r\nHost:") + out.count("\r\nhost:"), 1);
        QVERIFY(std::holds_alternative<RequestHead>(parse(out)));
    }

    void queryReadsPlusAsASpace() {
        const QUrlQuery query = formQuery("name=Zoe+Smith&sum=1%2B1&empty="_ba);
        QCOMPARE(query.queryItemValue(u"name"_s, QUrl::FullyDecoded), u"Zoe Smith"_s);
        QCOMPARE(query.queryItemValue(u"sum"_s, QUrl::FullyDecoded), u"1+1"_s);
        QVERIFY(query.hasQueryItem(u"empty"_s));
    }

    void errorsAreJsonAndClose() {
        const QByteArray out = errorResponse(FramingError{
            426, "upgrade_required"_ba, u"version 13"_s, "Sec-WebSocket-Version: 13\r\n"_ba});
        QVERIFY(out.startsWith("HTTP/1.1 426 Upgrade Required\r\n"));
        QVERIFY(out.contains("\r\nSec-WebSocket-Version: 13\r\n"));
        QVERIFY(out.contains("\r\nConnection: close\r\n\r\n{\"error\""));
    }

    void responsesAreFramedAndCompleted() {
        const QByteArray qtEmpty404 =
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/x-empty\r\nContent-Length: 0\r\n\r\n"_ba;
        bool malformed = false;
        const auto head = parseResponseHead(qtEmpty404, &malformed);
        QVERIFY(head && !malformed);
        QCOMPARE(head->status, 404);
        const QByteArray finished = finishResponse(qtEmpty404, *head, true);
        QVERIFY(finished.startsWith("HTTP/1.1 404 Not Found\r\n"));
        QVERIFY(finished.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(finished.contains("\r\nConnection: close\r\n"));
        QVERIFY(!finished.contains("x-empty"));
        const QByteArray body = finished.sliced(finished.indexOf("\r\n\r\n") + 4);
        QVERIFY(body.contains("\"not_found\""));
        QVERIFY(finished.contains("Content-Length: " + QByteArray::number(body.size()) + "\r\n"));

        const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"_ba;
        const auto okHead = parseResponseHead(ok, &malformed);
        QVERIFY(okHead);
        QCOMPARE(finishResponse(ok, *okHead, false), ok);
        QVERIFY(!parseResponseHead("HTTP/1.1 200 OK\r\nContent-Len"_ba, &malformed));
        QVERIFY(!malformed);
        QVERIFY(!parseResponseHead("HTTP/1.1 200 OK\r\n\r\n"_ba, &malformed));
        QVERIFY(malformed);
    }
};

QTEST_GUILESS_MAIN(TestHttpFraming)
#include "tst_httpframing.moc"
