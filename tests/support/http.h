// SPDX-License-Identifier: MIT
// Plain HTTP requests for tests, through QNetworkAccessManager.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QUrl>

namespace neonchat::testing {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct HttpResult {
    int status = 0; // 0: no response
    QByteArray body;
    QByteArray contentType;
    HttpHeaders headers;

    [[nodiscard]] QJsonObject json() const;
    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    // The error code of a CONTRACT §2 error body.
    [[nodiscard]] QString errorCode() const;
};

[[nodiscard]] HttpResult httpGet(const QUrl &url, const HttpHeaders &headers = {});
// Any method; a JSON body is sent as application/json unless headers name a Content-Type.
[[nodiscard]] HttpResult httpRequest(const QByteArray &method, const QUrl &url,
                                     const QByteArray &body = {}, const HttpHeaders &headers = {});
[[nodiscard]] HttpResult httpPostJson(const QUrl &url, const QJsonObject &body,
                                      const HttpHeaders &headers = {});
[[nodiscard]] HttpHeaders bearer(const QString &token);

// The value of one sample line of a Prometheus text body ("name{labels}"), or -1 if absent.
[[nodiscard]] double metricValue(const QByteArray &body, const QByteArray &sample);

} // namespace neonchat::testing
