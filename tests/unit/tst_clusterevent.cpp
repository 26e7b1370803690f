// SPDX-License-Identifier: MIT
#include "cluster/clusterevent.h"

#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::server::ClusterEvent;
using neonchat::server::decodeClusterEvent;
using neonchat::server::encodeClusterEvent;

class TestClusterEvent : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("chatId");
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<bool>("toEveryone");
        QTest::addColumn<QStringList>("recipients");
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("missed");

        QTest::addRow("lobby message")
            << u"c1"_s << qint64{42} << true << QStringList{}
            << QByteArray(R"({"type":"new_message","message":{}})") << false;
        QTest::addRow("room message to members")
            << u"c2"_s << qint64{1} << false << QStringList{u"u1"_s, u"u2"_s}
            << QByteArray(R"({"type":"new_message"})") << false;
        // The frame is carried as it is: line breaks and any bytes included.
        QTest::addRow("frame with a line break")
            << u"c3"_s << qint64{7} << false << QStringList{u"u1"_s}
            << QByteArray("{\"text\":\"a\nb\xf0\x9f\x91\x8d\"}") << false;
        QTest::addRow("typing, no seq") << u"c4"_s << qint64{0} << false << QStringList{u"u9"_s}
                                        << QByteArray(R"({"type":"typing"})") << false;
        QTest::addRow("presence, no chat")
            << QString() << qint64{0} << false << QStringList{u"u1"_s}
            << QByteArray(R"({"type":"presence"})") << false;
        QTest::addRow("missed hint")
            << QString() << qint64{0} << false << QStringList{} << QByteArray() << true;
    }

    void roundTrip() {
        QFETCH(QString, chatId);
        QFETCH(qint64, seq);
        QFETCH(bool, toEveryone);
        QFETCH(QStringList, recipients);
        QFETCH(QByteArray, frame);
        QFETCH(bool, missed);
        ClusterEvent event;
        event.origin = u"instance-1"_s;
        event.chatId = chatId;
        event.seq = seq;
        event.toEveryone = toEveryone;
        event.recipientIds = recipients;
        event.frameJson = frame;
        event.missedHint = missed;
        const auto decoded = decodeClusterEvent(encodeClusterEvent(event));
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->origin, event.origin);
        QCOMPARE(decoded->chatId, chatId);
        QCOMPARE(decoded->seq, seq);
        QCOMPARE(decoded->toEveryone, toEveryone);
        QCOMPARE(decoded->recipientIds, recipients);
        QCOMPARE(decoded->frameJson, frame);
        QCOMPARE(decoded->missedHint, missed);
    }

    void probeRoundTrip() {
        ClusterEvent probe;
        probe.origin = u"instance-2"_s;
        probe.probe = true;
        const auto decoded = decodeClusterEvent(encodeClusterEvent(probe));
        QVERIFY(decoded.has_value());
        QVERIFY(decoded->probe);
        QVERIFY(!decoded->missedHint);
        QCOMPARE(decoded->origin, probe.origin);
    }

    void presenceRoundTrip() {
        ClusterEvent change;
        change.origin = u"instance-3"_s;
        change.presence = ClusterEvent::PresenceChange{u"u7"_s, true, 12};
        const auto decoded = decodeClusterEvent(encodeClusterEvent(change));
        QVERIFY(decoded.has_value());
        QVERIFY(decoded->presence.has_value());
        QCOMPARE(decoded->presence->userId, u"u7"_s);
        QCOMPARE(decoded->presence->online, true);
        QCOMPARE(decoded->presence->version, qint64{12});
        QVERIFY(decoded->frameJson.isEmpty());
    }

    // What the presence scripts publish (cjson's key order and number format, no frame).
    void presenceFromScript_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("online");
        QTest::addRow("online") << QByteArray("{\"online\":true,\"origin\":\"i1\",\"presence\":"
                                              "\"u1\",\"v\":1,\"version\":3}\n")
                                << true;
        QTest::addRow("offline") << QByteArray("{\"version\":4,\"presence\":\"u1\",\"v\":1,"
                                               "\"online\":false,\"origin\":\"i1\"}\n")
                                 << false;
    }

    void presenceFromScript() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, online);
        const auto decoded = decodeClusterEvent(bytes);
        QVERIFY(decoded.has_value());
        QVERIFY(decoded->presence.has_value());
        QCOMPARE(decoded->presence->userId, u"u1"_s);
        QCOMPARE(decoded->presence->online, online);
        QCOMPARE(decoded->origin, u"i1"_s);
    }

    void foreignBytesAreRejected_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("no line") << QByteArray(R"({"v":1,"origin":"a"})");
        QTest::addRow("not json") << QByteArray("hello\n{}");
        QTest::addRow("another version") << QByteArray("{\"v\":2,\"origin\":\"a\"}\n{}");
        QTest::addRow("no origin") << QByteArray("{\"v\":1}\n{}");
        QTest::addRow("no frame") << QByteArray("{\"v\":1,\"origin\":\"a\"}\n");
        QTest::addRow("negative seq") << QByteArray("{\"v\":1,\"origin\":\"a\",\"seq\":-3}\n{}");
    }

    void foreignBytesAreRejected() {
        QFETCH(QByteArray, bytes);
        QVERIFY(!decodeClusterEvent(bytes).has_value());
    }
};

QTEST_APPLESS_MAIN(TestClusterEvent)
#include "tst_clusterevent.moc"
