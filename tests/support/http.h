// SPDX-License-Identifier: MIT
// Plain HTTP requests for tests, through QNetworkAccessManager.
#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>

namespace neonchat::testing {

struct HttpResult {
    int status = 0; // 0: no response
    QByteArray body;
    QByteArray contentType;
};

[[nodiscard]] HttpResult httpGet(const QUrl &url,
                                 const QList<QPair<QByteArray, QByteArray>> &headers = {});

// The value of one sample line of a Prometheus text body ("name{labels}"), or -1 if absent.
[[nodiscard]] double metricValue(const QByteArray &body, const QByteArray &sample);

} // namespace neonchat::testing
