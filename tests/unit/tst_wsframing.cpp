// SPDX-License-Identifier: MIT
// The server's RFC 6455 frame reader and writer on bytes: what a client may send, what closes the
// connection with which code, and that frames may arrive in pieces of any size.
#include "net/wsframing.h"
#include "rawwebsocket.h"

#include <QTest>

using namespace neonchat::server::ws;
using namespace Qt::StringLiterals;

namespace {

// A client frame, masked with a fixed key unless told otherwise.
QByteArray clientFrame(quint8 opcode, QByteArrayView payload, bool fin = true, bool masked = true) {
    return neonchat::testing::encodeClientFrame(opcode, payload, fin, masked, 0x12345678);
}

QByteArray closePayload(quint16 code, QByteArrayView reason = {}) {
    QByteArray payload;
    payload.append(static_cast<char>(code >> 8));
    payload.append(static_cast<char>(code & 0xff));
    payload.append(reason);
    return payload;
}

} // namespace

class TestWsFraming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsWhatAClientMaySend_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("text"); // the one text message expected, or empty
        QTest::addColumn<int>("pings");
        QTest::addColumn<int>("closeCode"); // of a close frame received, -1: none

        QTest::addRow("text") << clientFrame(0x1, "hello") << u"hello"_s << 0 << -1;
        QTest::addRow("empty text") << clientFrame(0x1, "") << QString() << 0 << -1;
        QTest::addRow("16-bit length")
            << clientFrame(0x1, QByteArray(300, 'a')) << QString(300, u'a') << 0 << -1;
        QTest::addRow("64-bit length")
            << clientFrame(0x1, QByteArray(70000, 'b')) << QString(70000, u'b') << 0 << -1;
        QTest::addRow("é split across fragments")
            << clientFrame(0x1, "caf\xc3", false) + clientFrame(0x0, "\xa9") << u"caf\u00e9"_s << 0
            << -1;
        QTest::addRow("emoji over three fragments")
            << clientFrame(0x1, "\xf0\x9f", false) + clientFrame(0x0, "\x98", false) +
                   clientFrame(0x0, "\x80")
            << u"\U0001F600"_s << 0 << -1;
        QTest::addRow("ping between fragments")
            << clientFrame(0x1, "ab", false) + clientFrame(0x9, "p") + clientFrame(0x0, "cd")
            << u"abcd"_s << 1 << -1;
        QTest::addRow("byte order mark kept")
            << clientFrame(0x1, "\xef\xbb\xbfx") << u"\ufeffx"_s << 0 << -1;
        QTest::addRow("close with code")
            << clientFrame(0x8, closePayload(1000, "bye")) << QString() << 0 << 1000;
        QTest::addRow("close without code") << clientFrame(0x8, "") << QString() << 0 << 1005;
        QTest::addRow("close 4000")
            << clientFrame(0x8, closePayload(4000)) << QString() << 0 << 4000;
    }

    void readsWhatAClientMaySend() {
        QFETCH(QByteArray, wire);
        QFETCH(QString, text);
        QFETCH(int, pings);
        QFETCH(int, closeCode);
        // All at once, and a byte at a time: the result is the same.
        for (const bool trickle : {false, true}) {
            FrameReader reader(1 << 20);
            QList<Received> received;
            if (trickle) {
                for (qsizetype i = 0; i < wire.size(); ++i) {
                    const auto violation = reader.feed(wire.sliced(i, 1), received);
                    QVERIFY2(!violation, violation ? qPrintable(violation->reason) : "");
                }
            } else {
                const auto violation = reader.feed(wire, received);
                QVERIFY2(!violation, violation ? qPrintable(violation->reason) : "");
            }
            int seenPings = 0;
            int seenClose = -1;
            QStringList texts;
            for (const Received &item : received) {
                if (item.kind == Received::Kind::Text) {
                    texts.append(item.text);
                } else if (item.kind == Received::Kind::Ping) {
                    ++seenPings;
                } else if (item.kind == Received::Kind::Close) {
                    seenClose = item.closeCode;
                }
            }
            QCOMPARE(seenPings, pings);
            QCOMPARE(seenClose, closeCode);
            if (closeCode == -1 && !wire.isEmpty()) {
                QCOMPARE(texts, QStringList{text});
            }
        }
    }

    void refusesWhatBreaksTheProtocol_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("closeCode");

        QTest::addRow("unmasked") << clientFrame(0x1, "hi", true, false) << 1002;
        QTest::addRow("reserved bit") << QByteArray("\xc1\x80\0\0\0\0", 6) << 1002;
        QTest::addRow("unknown opcode") << clientFrame(0x3, "x") << 1002;
        QTest::addRow("fragmented ping") << clientFrame(0x9, "x", false) << 1002;
        QTest::addRow("long ping") << clientFrame(0x9, QByteArray(126, 'p')) << 1002;
        QTest::addRow("continuation of nothing") << clientFrame(0x0, "x") << 1002;
        QTest::addRow("text inside text")
            << clientFrame(0x1, "a", false) + clientFrame(0x1, "b") << 1002;
        QTest::addRow("length with top bit")
            << QByteArray("\x81\xff\x80\0\0\0\0\0\0\x01\0\0\0\0", 14) << 1002;
        QTest::addRow("close with one byte") << clientFrame(0x8, "x") << 1002;
        QTest::addRow("close code 1005") << clientFrame(0x8, closePayload(1005)) << 1002;
        QTest::addRow("close code 999") << clientFrame(0x8, closePayload(999)) << 1002;
        QTest::addRow("close code 5000") << clientFrame(0x8, closePayload(5000)) << 1002;
        QTest::addRow("close reason not UTF-8")
            << clientFrame(0x8, closePayload(1000, "\xff")) << 1007;
        QTest::addRow("invalid UTF-8") << clientFrame(0x1, "\xc3(") << 1007;
        QTest::addRow("truncated UTF-8 at the end") << clientFrame(0x1, "ab\xc3") << 1007;
        QTest::addRow("encoded surrogate") << clientFrame(0x1, "\xed\xa0\x80") << 1007;
        QTest::addRow("overlong encoding") << clientFrame(0x1, "\xc0\xaf") << 1007;
        QTest::addRow("one frame over the limit")
            << clientFrame(0x1, QByteArray(1025, 'a')) << 1009;
        QTest::addRow("fragments over the limit") << clientFrame(0x1, QByteArray(600, 'a'), false) +
                                                         clientFrame(0x0, QByteArray(600, 'a'))
                                                  << 1009;
        // The limit is checked on the declared length, before a byte of the payload arrives.
        QTest::addRow("declared 2^40 bytes")
            << QByteArray("\x81\xff\0\0\x01\0\0\0\0\0\x01\x02\x03\x04", 14) << 1009;
    }

    void refusesWhatBreaksTheProtocol() {
        QFETCH(QByteArray, wire);
        QFETCH(int, closeCode);
        FrameReader reader(1024);
        QList<Received> received;
        const auto violation = reader.feed(wire, received);
        QVERIFY(violation);
        QCOMPARE(violation->closeCode, closeCode);
        QVERIFY(!violation->reason.isEmpty());
        // Nothing is read after a violation.
        QVERIFY(reader.feed(clientFrame(0x1, "more"), received));
    }

    void serverFramesAreUnmaskedAndFinal() {
        QCOMPARE(encodeFrame(Opcode::Text, "hi"), QByteArray("\x81\x02hi"));
        QCOMPARE(encodeFrame(Opcode::Pong, ""), QByteArray("\x8a\x00", 2));
        const QByteArray medium = encodeFrame(Opcode::Text, QByteArray(300, 'a'));
        QCOMPARE(medium.left(4), QByteArray("\x81\x7e\x01\x2c"));
        QCOMPARE(medium.size(), 304);
        const QByteArray large = encodeFrame(Opcode::Text, QByteArray(70000, 'a'));
        QCOMPARE(large.left(10), QByteArray("\x81\x7f\0\0\0\0\0\x01\x11\x70", 10));
        QCOMPARE(large.size(), 70010);
    }

    void closeReasonIsCutToAControlFrame() {
        const QByteArray frame = encodeClose(1013, QString(200, u'\u00e9'));
        QVERIFY(frame.size() <= 127);
        QCOMPARE(static_cast<quint8>(frame[2]), 0x03);
        QCOMPARE(static_cast<quint8>(frame[3]), 0xf5);
        // The reason still decodes: no character was cut in half.
        QVERIFY(QString::fromUtf8(frame.sliced(4)).toUtf8() == frame.sliced(4));
    }

    void handshakeKeys() {
        // The example of RFC 6455 §1.3.
        QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="_ba);
        QVERIFY(isValidClientKey("dGhlIHNhbXBsZSBub25jZQ=="));
        QVERIFY(!isValidClientKey("dGhlIHNhbXBsZQ=="));
        QVERIFY(!isValidClientKey("!!!!!!!!!!!!!!!!!!!!!!=="));
        QVERIFY(!isValidClientKey(""));
    }
};

QTEST_GUILESS_MAIN(TestWsFraming)
#include "tst_wsframing.moc"
