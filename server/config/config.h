// SPDX-License-Identifier: MIT
// chat-server configuration (CONTRACT §1): one table of options feeds the command line, the
// CHAT_* environment, the YAML file, validation, the effective-config log line and SIGHUP reload.
#pragma once

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <utility>
#include <variant>

class QCommandLineParser;

namespace neonchat::server {

enum class LogFormat { Text, Json };
enum class LogLevel { Debug, Info, Warn, Error };

struct Cidr {
    QHostAddress network;
    int prefixLength = 0;

    [[nodiscard]] bool contains(const QHostAddress &address) const {
        return address.isInSubnet(network, prefixLength);
    }
    friend bool operator==(const Cidr &, const Cidr &) = default;
};

// Limits a running server may change on SIGHUP without dropping connections.
struct RuntimeLimits {
    qint64 msgMaxBytes = 32768;
    int sendBuffer = 256;
    qint64 sendBufferBytes = 512 * 1024; // unsent bytes per connection, whatever the messages
    std::chrono::milliseconds pingInterval{30'000};
    std::chrono::milliseconds idleTimeout{600'000};
    int rateLimit = 20;
    int maxConnections = 50000;
    int maxConnectionsPerIp = 1000; // TCP connections, HTTP and WebSocket; 0: no limit
    std::chrono::milliseconds requestTimeout{10'000};   // an HTTP request's head, and its body
    std::chrono::milliseconds keepAliveTimeout{60'000}; // an idle HTTP connection
    int registerRate = 30; // account registrations per hour from one address; 0: no limit
    qint64 uploadMaxBytes = 25 * 1024 * 1024; // one uploaded file (CONTRACT §9)

    friend bool operator==(const RuntimeLimits &, const RuntimeLimits &) = default;
};

struct Config {
    quint16 port = 8080;
    QHostAddress addr{QHostAddress::AnyIPv4};
    QString tlsCert;
    QString tlsKey;
    QString authToken;
    RuntimeLimits limits;
    std::chrono::milliseconds shutdownTimeout{10'000};
    QString db;
    QString redis;
    // Silence on the Redis subscription after which an instance checks it with a probe.
    std::chrono::milliseconds clusterTimeout{30'000};
    QString jwtSecret;
    bool allowGuests = true;
    QStringList corsOrigins;
    QString dataDir;
    LogFormat logFormat = LogFormat::Text;
    LogLevel logLevel = LogLevel::Info;
    QList<Cidr> ipAllow;
    QList<Cidr> ipDeny;
    QString configFile;
    int workers = 0; // 0: one per core
    // Uploads never attached to a message are removed this long after they began.
    std::chrono::milliseconds uploadExpiry{std::chrono::hours(24)};

    friend bool operator==(const Config &, const Config &) = default;
};

struct ConfigError {
    QString message; // names the flag, variable or file:line:column and the bad value
};

using ConfigResult = std::variant<Config, ConfigError>;

// Adds one option per configuration key to parser (plus the hidden-by-default --config).
void addConfigOptions(QCommandLineParser &parser);

// Resolves the configuration: flag > environment > config file > default. The parser must have
// been filled by addConfigOptions and have parsed the arguments already.
[[nodiscard]] ConfigResult resolveConfig(const QCommandLineParser &parser,
                                         const QProcessEnvironment &environment,
                                         bool stdoutIsTerminal);

// The effective configuration as key=value pairs, secrets masked, for the start-up log line.
[[nodiscard]] QList<std::pair<QString, QString>> describeConfig(const Config &config);

// Names of the keys whose values differ between two configurations and need a restart to apply.
[[nodiscard]] QStringList restartOnlyChanges(const Config &running, const Config &reloaded);

[[nodiscard]] QString logLevelName(LogLevel level);

// --ip-allow / --ip-deny applied to a client address.
[[nodiscard]] bool isAddressAllowed(const Config &config, const QHostAddress &address);

// --cors-origins applied to a browser's Origin header (empty: not a browser, allowed).
[[nodiscard]] bool isOriginAllowed(const Config &config, const QString &origin);

} // namespace neonchat::server
