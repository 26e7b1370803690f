// SPDX-License-Identifier: MIT
// The REST side of a NeonChat server (CONTRACT §2) for both clients: JSON requests through one
// QNetworkAccessManager, awaited as QCoro tasks. Answers are values: the body of a success, or an
// ApiError that tells an unreachable server (status 0) from the server's own error codes.
#pragma once

#include "protocol/protocol.h"

#include <QCoroTask>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <variant>

namespace neonchat::client {

struct ApiError {
    int status = 0; // HTTP status; 0: no answer (unreachable, TLS failure, timeout)
    QString code;   // the server's error code, e.g. "invalid_credentials"
    QString message;
};

template <typename T>
using ApiResult = std::variant<T, ApiError>;

struct LoginSession {
    QString token;
    QString userId;
    QString username;
    qint64 expiresInSeconds = 0;
};

struct HistoryPage {
    QList<protocol::ChatMessage> messages; // oldest first
    bool hasPrevious = false;
    bool hasNext = false;
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    // server: the http(s):// base URL, e.g. http://localhost:8080
    explicit ApiClient(QUrl server, QObject *parent = nullptr);

    void setToken(const QString &token) { m_token = token; }

    // One request; a body is sent as JSON. Succeeds with the parsed body (empty for 204).
    QCoro::Task<ApiResult<QJsonObject>> request(QByteArray method, QString path,
                                                QJsonObject body = {});

    QCoro::Task<ApiResult<QJsonObject>> registerAccount(QString username, QString password);
    QCoro::Task<ApiResult<LoginSession>> logIn(QString username, QString password);
    QCoro::Task<ApiResult<HistoryPage>> history(QString chatId, int limit, QString beforeId = {});

    // The WebSocket URL of this server for an account session (ws or wss to match http/https).
    [[nodiscard]] QUrl webSocketUrl(const QString &token) const;

private:
    QUrl m_server;
    QString m_token;
    QNetworkAccessManager m_network;
};

// Where a web address of a NeonChat server points: http(s)://host:port, or why it is not one.
[[nodiscard]] std::variant<QUrl, QString> serverUrl(const QString &address);

} // namespace neonchat::client
