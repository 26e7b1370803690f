// SPDX-License-Identifier: MIT
#include "testclient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

TestClient::TestClient(QObject *parent)
    : QObject(parent) {
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        Q_EMIT frameReceived();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_disconnected = true;
        m_closeCode = m_socket.closeCode();
    });
}

bool TestClient::open(const QUrl &url, const QNetworkRequest &extra) {
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    QNetworkRequest request = extra;
    request.setUrl(url);
    m_disconnected = false;
    m_socket.open(request);
    return connected.wait(10000) || m_socket.state() == QAbstractSocket::ConnectedState;
}

QJsonObject TestClient::join(const QUrl &url) {
    if (!open(url)) {
        return {};
    }
    return waitFor(u"welcome"_s);
}

void TestClient::sendJson(const QJsonObject &object) {
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QString TestClient::say(const QString &chatId, const QString &text, const QJsonObject &extra) {
    QJsonObject frame = extra;
    frame.insert("type"_L1, "message"_L1);
    frame.insert("chat_id"_L1, chatId);
    frame.insert("text"_L1, text);
    sendJson(frame);
    return waitFor(u"message_sent"_s)["message"_L1]["id"_L1].toString();
}

QList<QJsonObject> TestClient::framesOfType(const QString &type) const {
    QList<QJsonObject> matching;
    for (const QJsonObject &frame : m_frames) {
        if (frame.value("type"_L1).toString() == type) {
            matching.append(frame);
        }
    }
    return matching;
}

QJsonObject TestClient::waitFor(const QString &type, int timeoutMs) {
    const int index = m_taken.value(type);
    const bool arrived = QTest::qWaitFor(
        [&] { return framesOfType(type).size() > index || m_disconnected; }, timeoutMs);
    Q_UNUSED(arrived) // what arrived is checked below; a disconnect ends the wait too
    const QList<QJsonObject> matching = framesOfType(type);
    if (matching.size() <= index) {
        return {};
    }
    m_taken[type] = index + 1;
    return matching[index];
}

bool TestClient::waitForDisconnect(int timeoutMs) {
    return QTest::qWaitFor([this] { return m_disconnected; }, timeoutMs);
}

bool TestClient::isConnected() const {
    return m_socket.state() == QAbstractSocket::ConnectedState && !m_disconnected;
}

} // namespace neonchat::testing
