// SPDX-License-Identifier: MIT
// Typing, both ways, without a server: when the user's edits become notices for the open chat
// (once, again after the repeat time, stopped by a pause, an emptied composer, another chat), and
// the line that names who else types, until their notices stop or a message of theirs arrives.
#include "typingtracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using neonchat::desktop::TypingTracker;

namespace {

const QString kChat = u"chat-1"_s;
const QString kOther = u"chat-2"_s;

// Short times, so that the rules that wait show within a test.
TypingTracker::Timing quick() {
    return {.repeatMs = 100, .idleMs = 150, .expiryMs = 200};
}

// The notices announced so far, as "chat:typing" strings.
QStringList notices(const QSignalSpy &spy) {
    QStringList said;
    for (const QList<QVariant> &notice : spy) {
        said.append(
            u"%1:%2"_s.arg(notice.at(0).toString(), notice.at(1).toBool() ? u"on"_s : u"off"_s));
    }
    return said;
}

} // namespace

class TestTypingTracker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editsAnnounceOnceThenAgainAfterTheRepeatTime() {
        TypingTracker tracker({.repeatMs = 100, .idleMs = 10000, .expiryMs = 200});
        QSignalSpy announced(&tracker, &TypingTracker::announce);
        tracker.edited(u"h"_s);
        QCOMPARE(announced.size(), 0); // no chat open: no one to tell
        tracker.setChat(kChat);
        tracker.edited(u"h"_s);
        tracker.edited(u"he"_s);
        tracker.edited(u"hel"_s);
        QCOMPARE(notices(announced), QStringList{u"chat-1:on"_s});
        // Edits going on: told again once the repeat time has passed, not before.
        const auto editAgain = [&] {
            tracker.edited(u"hello"_s);
            return announced.size();
        };
        QTRY_COMPARE(editAgain(), 2);
        QCOMPARE(notices(announced), (QStringList{u"chat-1:on"_s, u"chat-1:on"_s}));
    }

    void typingStops_data() {
        QTest::addColumn<QString>("how");
        QTest::addRow("a pause") << u"pause"_s;
        QTest::addRow("an emptied composer") << u"empty"_s;
        QTest::addRow("a send") << u"stop"_s;
        QTest::addRow("another chat") << u"switch"_s;
    }

    void typingStops() {
        QFETCH(QString, how);
        TypingTracker tracker(quick());
        tracker.setChat(kChat);
        QSignalSpy announced(&tracker, &TypingTracker::announce);
        tracker.edited(u"draft"_s);
        if (how == "empty"_L1) {
            tracker.edited({});
        } else if (how == "stop"_L1) {
            tracker.stop();
        } else if (how == "switch"_L1) {
            tracker.setChat(kOther);
        }
        QTRY_COMPARE(announced.size(), 2);
        QCOMPARE(notices(announced), (QStringList{u"chat-1:on"_s, u"chat-1:off"_s}));
        // Said once: stopping again, or the pause timer, tells nothing more.
        tracker.stop();
        tracker.edited({});
        QCOMPARE(announced.size(), 2);
    }

    void stoppingUntoldSaysNothing() {
        TypingTracker tracker(quick());
        tracker.setChat(kChat);
        QSignalSpy announced(&tracker, &TypingTracker::announce);
        tracker.edited({});
        tracker.stop();
        tracker.setChat(kOther);
        QCOMPARE(announced.size(), 0);
    }

    void othersTyping_data() {
        QTest::addColumn<QStringList>("typers");
        QTest::addColumn<QString>("line");
        QTest::addRow("no one") << QStringList{} << QString();
        QTest::addRow("one") << QStringList{u"u-bob"_s} << u"bob is typing…"_s;
        QTest::addRow("unknown") << QStringList{u"u-new"_s} << u"Someone is typing…"_s;
        QTest::addRow("two, sorted")
            << QStringList{u"u-carol"_s, u"u-bob"_s} << u"bob and carol are typing…"_s;
        QTest::addRow("three") << QStringList{u"u-bob"_s, u"u-carol"_s, u"u-dave"_s}
                               << u"3 people are typing…"_s;
        QTest::addRow("oneself left out")
            << QStringList{u"u-me"_s, u"u-bob"_s} << u"bob is typing…"_s;
    }

    void othersTyping() {
        QFETCH(QStringList, typers);
        QFETCH(QString, line);
        TypingTracker tracker(quick());
        tracker.setOwnUserId(u"u-me"_s);
        for (const auto &[id, name] : {std::pair{u"u-bob"_s, u"bob"_s},
                                       {u"u-carol"_s, u"carol"_s},
                                       {u"u-dave"_s, u"dave"_s},
                                       {u"u-me"_s, u"me"_s}}) {
            tracker.learnName(id, name);
        }
        tracker.setChat(kChat);
        for (const QString &typer : std::as_const(typers)) {
            tracker.heard(kChat, typer, true);
        }
        QCOMPARE(tracker.text(), line);
    }

    void anotherChatsTypersShowWhenItOpens() {
        TypingTracker tracker({.repeatMs = 100, .idleMs = 150, .expiryMs = 10000});
        tracker.learnName(u"u-bob"_s, u"bob"_s);
        tracker.setChat(kChat);
        tracker.heard(kOther, u"u-bob"_s, true);
        QCOMPARE(tracker.text(), QString());
        tracker.setChat(kOther);
        QCOMPARE(tracker.text(), u"bob is typing…"_s);
        // A message of bob's (or his notice that he stopped) ends it.
        tracker.heard(kOther, u"u-bob"_s, false);
        QCOMPARE(tracker.text(), QString());
    }

    // A client that went away never says it stopped: its typing ends after the expiry time.
    void silentTypersExpire() {
        TypingTracker tracker(quick());
        tracker.learnName(u"u-bob"_s, u"bob"_s);
        tracker.setChat(kChat);
        QSignalSpy changed(&tracker, &TypingTracker::textChanged);
        tracker.heard(kChat, u"u-bob"_s, true);
        QCOMPARE(tracker.text(), u"bob is typing…"_s);
        QTRY_COMPARE(tracker.text(), QString());
        QCOMPARE(changed.size(), 2);
    }

    void clearForgetsTypersAndNames() {
        TypingTracker tracker({.repeatMs = 100, .idleMs = 150, .expiryMs = 10000});
        tracker.learnName(u"u-bob"_s, u"bob"_s);
        tracker.setChat(kChat);
        tracker.heard(kChat, u"u-bob"_s, true);
        QSignalSpy announced(&tracker, &TypingTracker::announce);
        tracker.edited(u"x"_s);
        tracker.clear();
        QCOMPARE(tracker.text(), QString());
        QCOMPARE(notices(announced), (QStringList{u"chat-1:on"_s, u"chat-1:off"_s}));
        tracker.setChat(kChat);
        tracker.heard(kChat, u"u-bob"_s, true);
        QCOMPARE(tracker.text(), u"Someone is typing…"_s);
    }
};

QTEST_GUILESS_MAIN(TestTypingTracker)
#include "tst_typingtracker.moc"
