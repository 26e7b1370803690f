// SPDX-License-Identifier: MIT
// The access rules of CONTRACT §2 and §3, as one table: who may do what in which chat before the
// database is asked.
#include "auth/access.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::server;
using access::Action;
using access::Decision;
using neonchat::protocol::ChatKind;

Q_DECLARE_METATYPE(Action)
Q_DECLARE_METATYPE(Decision)

class TestAccess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forSession_data() {
        QTest::addColumn<bool>("guest");
        QTest::addColumn<bool>("lobby");
        QTest::addColumn<Action>("action");
        QTest::addColumn<Decision>("expected");

        QTest::addRow("guest sends to the lobby")
            << true << true << Action::Send << Decision::Allow;
        QTest::addRow("guest syncs the lobby") << true << true << Action::Sync << Decision::Allow;
        QTest::addRow("guest types in the lobby")
            << true << true << Action::Typing << Decision::Ignore;
        QTest::addRow("guest reads in the lobby")
            << true << true << Action::Read << Decision::Ignore;
        for (const Action action : {Action::Send, Action::Sync, Action::Typing, Action::Read}) {
            QTest::addRow("guest, other chat, action %d", static_cast<int>(action))
                << true << false << action << Decision::Refuse;
            QTest::addRow("account, lobby, action %d", static_cast<int>(action))
                << false << true << action << Decision::Allow;
            QTest::addRow("account, other chat, action %d", static_cast<int>(action))
                << false << false << action << Decision::CheckMembership;
        }
    }

    void forSession() {
        QFETCH(bool, guest);
        QFETCH(bool, lobby);
        QFETCH(Action, action);
        QFETCH(Decision, expected);
        const QString chatId = lobby ? QString(neonchat::protocol::kLobbyId)
                                     : u"4b0d1ac2-51b3-4bd2-9a53-d4f1c2e0a001"_s;
        QCOMPARE(access::forSession(guest, chatId, action), expected);
        QCOMPARE(access::needsMembership(chatId), !lobby);
    }

    void typingAndReceiptsSkipTheLobby() {
        QVERIFY(!access::relaysToMembers(ChatKind::Lobby));
        QVERIFY(access::relaysToMembers(ChatKind::Direct));
        QVERIFY(access::relaysToMembers(ChatKind::Room));
    }
};

QTEST_APPLESS_MAIN(TestAccess)
#include "tst_access.moc"
