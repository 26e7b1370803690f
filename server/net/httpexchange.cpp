// SPDX-License-Identifier: MIT
#include "httpexchange.h"

#include "httpframing.h"

#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

bool isLowerHex(QByteArrayView text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

QString newTraceId() {
    QByteArray bytes(16, '\0');
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(bytes.toHex());
}

// A client's X-Request-Id is kept if it is short printable ASCII; otherwise one is made.
QString requestIdFrom(const QByteArray &offered) {
    const bool usable =
        !offered.isEmpty() && offered.size() <= 128 &&
        std::all_of(offered.begin(), offered.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    return usable ? QString::fromLatin1(offered)
                  : QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

std::optional<QString> traceIdFromTraceparent(const QByteArray &traceparent) {
    const QList<QByteArray> parts = traceparent.trimmed().split('-');
    if (parts.size() < 4 || parts[0].size() != 2 || parts[1].size() != 32 ||
        parts[2].size() != 16 || parts[3].size() != 2 || parts[0] == "ff") {
        return std::nullopt;
    }
    for (const QByteArray &part : parts.first(4)) {
        if (!isLowerHex(part)) {
            return std::nullopt;
        }
    }
    if (parts[1] == QByteArray(32, '0') || parts[2] == QByteArray(16, '0')) {
        return std::nullopt;
    }
    return QString::fromLatin1(parts[1]);
}

HttpExchange::HttpExchange(const QHttpServerRequest &request, QHttpServerResponder &&responder,
                           QString route, Metrics &metrics)
    : m_path(request.url().path())
    , m_route(std::move(route))
    , m_query(http::formQuery(request.url().query(QUrl::FullyEncoded).toUtf8()))
    , m_body(request.body())
    , m_peer(request.remoteAddress())
    , m_requestHeaders(request.headers())
    , m_responder(std::move(responder))
    , m_socket(m_responder.socket())
    , m_metrics(metrics) {
    m_took.start();
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        m_method = "GET";
        break;
    case QHttpServerRequest::Method::Post:
        m_method = "POST";
        break;
    case QHttpServerRequest::Method::Options:
        m_method = "OPTIONS";
        break;
    default:
        m_method = "OTHER";
    }
    m_requestId = requestIdFrom(header("x-request-id"));
    m_traceId = traceIdFromTraceparent(header("traceparent")).value_or(newTraceId());
}

HttpExchange::~HttpExchange() {
    // Only on the socket's thread: a storage thread may drop the last reference at shutdown.
    if (!m_answered && m_socket && m_socket->thread() == QThread::currentThread()) {
        qCCritical(lcHttp).noquote() << withFields(u"request left unanswered"_s, logFields());
        fail(StatusCode::InternalServerError, "internal"_L1, u"the request was not answered"_s);
    }
}

QByteArray HttpExchange::header(const QByteArray &lowerCaseName) const {
    for (const auto &[name, value] : m_requestHeaders) {
        if (name.compare(lowerCaseName, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

void HttpExchange::addResponseHeader(const QByteArray &name, const QByteArray &value) {
    m_responseHeaders.append({name, value});
}

void HttpExchange::reply(StatusCode status, const QJsonObject &body) {
    send(QHttpServerResponse(body, status));
}

void HttpExchange::replyNoContent(StatusCode status) {
    send(QHttpServerResponse(status));
}

void HttpExchange::fail(StatusCode status, QLatin1StringView code, const QString &message) {
    reply(status,
          QJsonObject{{"error"_L1, QJsonObject{{"code"_L1, code}, {"message"_L1, message}}}});
}

void HttpExchange::fail(const Failure &failure) {
    switch (failure.kind) {
    case FailureKind::Invalid:
        fail(StatusCode::BadRequest, "invalid_request"_L1, failure.message);
        return;
    case FailureKind::NotFound:
        fail(StatusCode::NotFound, "not_found"_L1, failure.message);
        return;
    case FailureKind::Forbidden:
        fail(StatusCode::Forbidden, "forbidden"_L1, failure.message);
        return;
    case FailureKind::Conflict:
        fail(StatusCode::Conflict, failure.code.isEmpty() ? "conflict"_L1 : failure.code,
             failure.message);
        return;
    case FailureKind::Internal:
        break;
    }
    qCWarning(lcHttp).noquote() << withFields(u"request failed: %1"_s.arg(failure.message),
                                              logFields());
    fail(StatusCode::InternalServerError, "internal"_L1,
         u"the server could not complete the request; try again"_s);
}

LogFields HttpExchange::logFields() const {
    return {{"request_id"_L1, m_requestId}, {"trace_id"_L1, m_traceId}};
}

void HttpExchange::send(QHttpServerResponse &&response) {
    if (m_answered) {
        return;
    }
    m_answered = true;
    const int status = static_cast<int>(response.statusCode());
    const auto took = std::chrono::nanoseconds(m_took.nsecsElapsed());
    m_metrics.httpRequest(m_method, m_route, status, took);
    LogFields fields = logFields();
    fields.append({{"method"_L1, QString::fromLatin1(m_method)},
                   {"path"_L1, m_path},
                   {"status"_L1, QString::number(status)},
                   {"duration_ms"_L1, QString::number(took.count() / 1e6, 'f', 2)}});
    if (!m_socket) {
        qCInfo(lcHttp).noquote() << withFields(u"client left before its response"_s, fields);
        return;
    }
    qCInfo(lcHttp).noquote() << withFields(
        u"%1 %2 %3"_s.arg(QString::fromLatin1(m_method), m_path, QString::number(status)), fields);
    response.addHeader("X-Request-Id"_ba, m_requestId.toLatin1());
    for (const auto &[name, value] : m_responseHeaders) {
        response.addHeader(name, value);
    }
    response.write(std::move(m_responder));
}

} // namespace neonchat::server
