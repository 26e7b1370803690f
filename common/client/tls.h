// SPDX-License-Identifier: MIT
// What a client trusts on https:// and wss://: the system's CA certificates, plus those of a PEM
// file the user names for a server with a self-signed certificate. Verification stays on.
#pragma once

#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <variant>

namespace neonchat::client {

// caFile empty: the system's trust alone. Else also its certificates, or why the file is unusable.
[[nodiscard]] std::variant<QSslConfiguration, QString> tlsConfiguration(const QString &caFile);

// A server and the TLS configuration to reach it with.
struct ServerAccess {
    QUrl server; // http(s)://host:port
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
};

} // namespace neonchat::client
