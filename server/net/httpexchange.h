// SPDX-License-Identifier: MIT
// One HTTP request in flight, from routing to its one response. The request's data is copied on
// arrival (Qt reuses the request object per connection), and the response is written only while
// the client's socket still exists: Qt 6.4 deletes the socket of a client that hangs up, and a
// response written to it afterwards crashes (QT64-NOTES "Async HTTP responses").
#pragma once

#include "auth/tokens.h"
#include "obs/log.h"
#include "obs/metrics.h"
#include "store/chatstore.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace neonchat::server {

class HttpExchange {
public:
    using StatusCode = QHttpServerResponder::StatusCode;

    HttpExchange(const QHttpServerRequest &request, QHttpServerResponder &&responder, QString route,
                 Metrics &metrics);
    // An exchange dropped without an answer (a bug) still answers: 500, never silence.
    ~HttpExchange();

    HttpExchange(const HttpExchange &) = delete;
    HttpExchange &operator=(const HttpExchange &) = delete;

    [[nodiscard]] const QByteArray &method() const { return m_method; }
    [[nodiscard]] const QUrlQuery &query() const { return m_query; }
    [[nodiscard]] const QByteArray &body() const { return m_body; }
    [[nodiscard]] const QHostAddress &peer() const { return m_peer; }
    // A request header by its lower-case name.
    [[nodiscard]] QByteArray header(const QByteArray &lowerCaseName) const;

    // The account the request authenticated as, once checked.
    std::optional<TokenClaims> account;

    void addResponseHeader(const QByteArray &name, const QByteArray &value);
    void reply(StatusCode status, const QJsonObject &body);
    void replyNoContent(StatusCode status = StatusCode::NoContent);
    // {"error":{"code","message"}} with the status.
    void fail(StatusCode status, QLatin1StringView code, const QString &message);
    // A storage failure as its HTTP status.
    void fail(const Failure &failure);

    // request_id and trace_id, for every log line about this request.
    [[nodiscard]] LogFields logFields() const;

private:
    void send(QHttpServerResponse &&response);

    QByteArray m_method;
    QString m_path;
    QString m_route;
    QUrlQuery m_query;
    QByteArray m_body;
    QHostAddress m_peer;
    QList<QPair<QByteArray, QByteArray>> m_requestHeaders;
    QList<std::pair<QByteArray, QByteArray>> m_responseHeaders;
    QString m_requestId;
    QString m_traceId;
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    Metrics &m_metrics;
    QElapsedTimer m_took;
    bool m_answered = false;
};

using ExchangePtr = std::shared_ptr<HttpExchange>;

// The trace id of a W3C traceparent header ("00-<32 hex>-<16 hex>-<2 hex>"), or nullopt.
[[nodiscard]] std::optional<QString> traceIdFromTraceparent(const QByteArray &traceparent);

} // namespace neonchat::server
