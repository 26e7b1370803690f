// SPDX-License-Identifier: MIT
// A real QWebSocket client for tests that records every frame and how the connection ended.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QWebSocket>

namespace neonchat::testing {

class TestClient : public QObject {
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    // Opens and waits for the connection (not for welcome). False if it did not connect.
    [[nodiscard]] bool open(const QUrl &url, const QNetworkRequest &extra = {});
    // Opens and waits for the welcome frame; returns it (empty object on failure).
    [[nodiscard]] QJsonObject join(const QUrl &url);

    void sendJson(const QJsonObject &object);
    // Sends text to a chat (extra: more fields of the message frame, such as reply_to_id) and
    // waits until it is stored: its id, empty if it was not.
    QString say(const QString &chatId, const QString &text, const QJsonObject &extra = {});
    void sendText(const QString &text) { m_socket.sendTextMessage(text); }
    [[nodiscard]] QWebSocket &socket() { return m_socket; }

    [[nodiscard]] const QList<QJsonObject> &frames() const { return m_frames; }
    [[nodiscard]] QList<QJsonObject> framesOfType(const QString &type) const;
    // Waits until a frame of this type has arrived; returns the first one not yet taken.
    [[nodiscard]] QJsonObject waitFor(const QString &type, int timeoutMs = 10000);
    [[nodiscard]] bool waitForDisconnect(int timeoutMs = 10000);
    [[nodiscard]] bool isConnected() const;
    [[nodiscard]] int closeCode() const { return m_closeCode; }

Q_SIGNALS:
    void frameReceived();

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QHash<QString, int> m_taken;
    bool m_disconnected = false;
    int m_closeCode = -1;
};

} // namespace neonchat::testing
