// SPDX-License-Identifier: MIT
#include "httpparameters.h"

#include "protocol/codec.h"

using namespace Qt::StringLiterals;

namespace neonchat::server {

using StatusCode = QHttpServerResponder::StatusCode;

std::optional<int> intParameter(const ExchangePtr &exchange, const QString &name, int fallback,
                                int min, int max) {
    if (!exchange->query().hasQueryItem(name)) {
        return fallback;
    }
    const QString text = exchange->query().queryItemValue(name);
    bool ok = false;
    qlonglong value = text.toLongLong(&ok);
    if (!ok && !text.isEmpty() &&
        std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; })) {
        // Too many digits for 64 bits is still a number above the maximum.
        value = max;
        ok = true;
    }
    if (!ok || value < min) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"%1 must be a whole number of at least %2"_s.arg(name).arg(min));
        return std::nullopt;
    }
    return static_cast<int>(std::min<qlonglong>(value, max));
}

std::optional<std::optional<QString>> uuidParameter(const ExchangePtr &exchange,
                                                    const QString &name, const QString &what) {
    if (!exchange->query().hasQueryItem(name)) {
        return std::optional<QString>();
    }
    const QString value = exchange->query().queryItemValue(name);
    if (!protocol::isUuid(value)) {
        exchange->fail(StatusCode::BadRequest, "invalid_request"_L1,
                       u"%1 must be %2"_s.arg(name, what));
        return std::nullopt;
    }
    return std::optional<QString>(value);
}

std::optional<PageParameters> pageParameters(const ExchangePtr &exchange) {
    const std::optional<int> limit = intParameter(exchange, u"limit"_s, 20, 1, 100);
    if (!limit) {
        return std::nullopt;
    }
    const std::optional<int> offset = intParameter(exchange, u"offset"_s, 0, 0, 1'000'000);
    if (!offset) {
        return std::nullopt;
    }
    return PageParameters{*limit, *offset};
}

std::optional<bool> boolParameter(const ExchangePtr &exchange, const QString &name) {
    const QString value = exchange->query().queryItemValue(name).toLower();
    if (value.isEmpty() || value == "false"_L1 || value == "0"_L1) {
        return false;
    }
    if (value == "true"_L1 || value == "1"_L1) {
        return true;
    }
    exchange->fail(QHttpServerResponder::StatusCode::BadRequest, "invalid_request"_L1,
                   u"%1 must be true or false"_s.arg(name));
    return std::nullopt;
}

QString timestampText(qint64 ms) {
    return protocol::formatTimestamp(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

QJsonValue optionalTimestampText(const std::optional<qint64> &ms) {
    if (!ms) {
        return QJsonValue::Null;
    }
    return timestampText(*ms);
}

} // namespace neonchat::server
