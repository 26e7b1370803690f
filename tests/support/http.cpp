// SPDX-License-Identifier: MIT
#include "http.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

namespace neonchat::testing {

QJsonObject HttpResult::json() const {
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpResult::header(const QByteArray &name) const {
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QString HttpResult::errorCode() const {
    return json()
        .value(QLatin1StringView("error"))
        .toObject()
        .value(QLatin1StringView("code"))
        .toString();
}

HttpResult httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body,
                       const HttpHeaders &headers) {
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    bool contentTypeGiven = false;
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
        contentTypeGiven |= name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !contentTypeGiven) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    }
    QBuffer upload;
    upload.setData(body);
    upload.open(QIODevice::ReadOnly);
    std::unique_ptr<QNetworkReply> reply(
        manager.sendCustomRequest(request, method, body.isEmpty() ? nullptr : &upload));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(20000)) {
        return {};
    }
    HttpResult result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      reply->readAll(),
                      reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(),
                      {}};
    for (const auto &pair : reply->rawHeaderPairs()) {
        result.headers.append({pair.first, pair.second});
    }
    return result;
}

HttpResult httpGet(const QUrl &url, const HttpHeaders &headers) {
    return httpRequest("GET", url, {}, headers);
}

HttpResult httpPostJson(const QUrl &url, const QJsonObject &body, const HttpHeaders &headers) {
    return httpRequest("POST", url, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

HttpHeaders bearer(const QString &token) {
    return {{"Authorization", "Bearer " + token.toUtf8()}};
}

double metricValue(const QByteArray &body, const QByteArray &sample) {
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(sample + ' ')) {
            return line.mid(sample.size() + 1).toDouble();
        }
    }
    return -1;
}

} // namespace neonchat::testing
