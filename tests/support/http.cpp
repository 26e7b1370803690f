// SPDX-License-Identifier: MIT
#include "http.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

namespace neonchat::testing {

HttpResult httpGet(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
    }
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return {};
    }
    return HttpResult{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      reply->readAll(),
                      reply->header(QNetworkRequest::ContentTypeHeader).toByteArray()};
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
