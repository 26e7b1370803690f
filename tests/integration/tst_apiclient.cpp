// SPDX-License-Identifier: MIT
// ApiClient against a server that is not NeonChat, or one that has gone wrong: a loopback HTTP
// responder answers every request with the same canned response. A malformed answer is the error
// bad_answer, never an empty success a client would show as "no chats" or "no messages".
#include "client/apiclient.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <qcoro/qcorotask.h>

using namespace Qt::StringLiterals;
using namespace neonchat;

namespace {

// Answers each HTTP request it reads with status and body (as application/json).
class CannedServer : public QTcpServer {
public:
    CannedServer(int status, QByteArray body)
        : m_status(status)
        , m_body(std::move(body)) {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_received.contains("\r\n\r\n")) {
                        return; // the headers are not all in yet (bodies here are small)
                    }
                    m_received.clear();
                    socket->write("HTTP/1.1 " + QByteArray::number(m_status) +
                                  " Canned\r\nContent-Type: application/json\r\nContent-Length: " +
                                  QByteArray::number(m_body.size()) +
                                  "\r\nConnection: close\r\n\r\n" + m_body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    int m_status;
    QByteArray m_body;
    QByteArray m_received;
};

} // namespace

class TestApiClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void malformedAnswersAreErrors_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("not JSON") << "<html>welcome to nginx</html>"_ba;
        QTest::addRow("chats not a list") << R"({"chats": 5})"_ba;
        QTest::addRow("no chats at all") << R"({"total": 0})"_ba;
        QTest::addRow("a chat without its kind")
            << R"({"chats":[{"id":"00000000-0000-4000-8000-000000000001","name":"Lobby",
                "unread_count":0,"updated_at":"2026-12-02T10:00:00.000Z"}]})"_ba;
        QTest::addRow("an id that is no UUID")
            << R"({"chats":[{"id":"lobby","kind":"lobby","name":"Lobby","partner":null,
                "last_message":null,"unread_count":0,"updated_at":"2026-12-02T10:00:00.000Z"}]})"_ba;
        QTest::addRow("a negative unread count")
            << R"({"chats":[{"id":"00000000-0000-4000-8000-000000000001","kind":"lobby",
                "name":"Lobby","partner":null,"last_message":null,"unread_count":-3,
                "updated_at":"2026-12-02T10:00:00.000Z"}]})"_ba;
    }

    void malformedAnswersAreErrors() {
        QFETCH(QByteArray, body);
        CannedServer server(200, body);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        client::ApiClient api(
            client::ServerAccess{QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort())), {}});
        api.setToken(u"token"_s);
        const auto answer = QCoro::waitFor(api.chats());
        const auto *error = std::get_if<client::ApiError>(&answer);
        QVERIFY2(error, "a malformed chat list was taken as a chat list");
        QCOMPARE(error->code, u"bad_answer"_s);
        QVERIFY(!error->message.isEmpty());
    }

    // The other answers read the same way.
    void malformedLoginAndUserListsAreErrors_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("login");
        QTest::addRow("login without a token")
            << R"({"user":{"id":"00000000-0000-4000-8000-000000000002","username":"a"}})"_ba
            << true;
        QTest::addRow("login with a number for a token")
            << R"({"token":5,"user":{"id":"00000000-0000-4000-8000-000000000002"}})"_ba << true;
        QTest::addRow("users not a list") << R"({"users":{}})"_ba << false;
        QTest::addRow("a user without a name") << R"({"users":[{"id":"x"}]})"_ba << false;
    }

    void malformedLoginAndUserListsAreErrors() {
        QFETCH(QByteArray, body);
        QFETCH(bool, login);
        CannedServer server(200, body);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        client::ApiClient api(
            client::ServerAccess{QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort())), {}});
        QString code;
        if (login) {
            const auto answer = QCoro::waitFor(api.logIn(u"a"_s, u"password"_s));
            QVERIFY(std::holds_alternative<client::ApiError>(answer));
            code = std::get<client::ApiError>(answer).code;
        } else {
            const auto answer = QCoro::waitFor(api.searchUsers(u"a"_s));
            QVERIFY(std::holds_alternative<client::ApiError>(answer));
            code = std::get<client::ApiError>(answer).code;
        }
        QCOMPARE(code, u"bad_answer"_s);
    }

    // A well-formed chat list from the same responder: the check above is not refusing all.
    void wellFormedAnswerIsTaken() {
        CannedServer server(200, R"({"chats":[{"id":"00000000-0000-4000-8000-000000000001",
            "kind":"lobby","name":"Lobby","partner":null,"last_message":null,"unread_count":2,
            "updated_at":"2026-12-02T10:00:00.000Z","last_seq":7,"last_mod_seq":0,
            "created_by":null}],"total":1,"has_more":false})"_ba);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        client::ApiClient api(
            client::ServerAccess{QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort())), {}});
        const auto answer = QCoro::waitFor(api.chats());
        const auto *chats = std::get_if<QList<client::ChatSummary>>(&answer);
        QVERIFY(chats);
        QCOMPARE(chats->size(), 1);
        QCOMPARE(chats->first().unreadCount, 2);
        QCOMPARE(chats->first().lastSeq, 7);
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
