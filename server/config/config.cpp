// SPDX-License-Identifier: MIT
#include "config.h"

#include "store/databasetarget.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <array>
#include <map>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace neonchat::server {

namespace {

using Problem = std::optional<QString>;

// ---- value parsers: each returns the value or says what is wrong with the text ----

template <typename T>
using Parsed = std::variant<T, QString>;

Parsed<qint64> parseInteger(const QString &text, qint64 min, qint64 max) {
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok) {
        return u"not a whole number"_s;
    }
    if (value < min || value > max) {
        return u"must be between %1 and %2"_s.arg(min).arg(max);
    }
    return value;
}

Parsed<std::chrono::milliseconds> parseDuration(const QString &text) {
    static const QRegularExpression pattern(u"^(\\d{1,9})(ms|s|m|h)?$"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch()) {
        return u"not a duration (examples: 500ms, 30s, 10m, 1h)"_s;
    }
    const qint64 amount = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    std::chrono::milliseconds value = unit == "ms"_L1  ? std::chrono::milliseconds(amount)
                                      : unit == "m"_L1 ? std::chrono::minutes(amount)
                                      : unit == "h"_L1 ? std::chrono::hours(amount)
                                                       : std::chrono::seconds(amount);
    if (value <= 0ms) {
        return u"must be longer than zero"_s;
    }
    if (value > std::chrono::hours(24 * 365)) {
        return u"must be at most a year"_s;
    }
    return value;
}

Parsed<bool> parseBool(const QString &text) {
    const QString lower = text.trimmed().toLower();
    if (lower == "true"_L1 || lower == "yes"_L1 || lower == "on"_L1 || lower == "1"_L1) {
        return true;
    }
    if (lower == "false"_L1 || lower == "no"_L1 || lower == "off"_L1 || lower == "0"_L1) {
        return false;
    }
    return u"not a boolean (true or false)"_s;
}

QStringList splitList(const QString &text) {
    QStringList items;
    for (const QString &item : text.split(u',')) {
        if (!item.trimmed().isEmpty()) {
            items.append(item.trimmed());
        }
    }
    return items;
}

Parsed<QList<Cidr>> parseCidrList(const QString &text) {
    QList<Cidr> ranges;
    for (const QString &item : splitList(text)) {
        QString withPrefix = item;
        if (!item.contains(u'/')) {
            withPrefix += QHostAddress(item).protocol() == QAbstractSocket::IPv6Protocol ? "/128"_L1
                                                                                         : "/32"_L1;
        }
        const auto [network, prefix] = QHostAddress::parseSubnet(withPrefix);
        if (network.isNull() || prefix < 0) {
            return u"'%1' is not a CIDR range (example: 10.0.0.0/8)"_s.arg(item);
        }
        ranges.append(Cidr{network, prefix});
    }
    return ranges;
}

Parsed<QStringList> parseOrigins(const QString &text) {
    QStringList origins;
    for (const QString &item : splitList(text)) {
        const QUrl url(item, QUrl::StrictMode);
        if (item != "*"_L1 &&
            (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) ||
             url.host().isEmpty() || !(url.path().isEmpty() || url.path() == "/"_L1) ||
             url.hasQuery())) {
            return u"'%1' is not an origin (example: https://chat.example.com)"_s.arg(item);
        }
        origins.append(item == "*"_L1 ? item : url.adjusted(QUrl::StripTrailingSlash).toString());
    }
    return origins;
}

Problem checkReadableFile(const QString &path) {
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        return u"'%1' is not a readable file"_s.arg(path);
    }
    return std::nullopt;
}

// Stores a parsed value or returns the parser's complaint.
template <typename T, typename Store>
Problem assign(Parsed<T> parsed, Store store) {
    if (auto *problem = std::get_if<QString>(&parsed)) {
        return *problem;
    }
    store(std::get<T>(std::move(parsed)));
    return std::nullopt;
}

QString showDuration(std::chrono::milliseconds value) {
    if (value % 1h == 0ms) {
        return u"%1h"_s.arg(value / 1h);
    }
    if (value % 1min == 0ms) {
        return u"%1m"_s.arg(value / 1min);
    }
    if (value % 1s == 0ms) {
        return u"%1s"_s.arg(value / 1s);
    }
    return u"%1ms"_s.arg(value.count());
}

QString showCidrs(const QList<Cidr> &ranges) {
    QStringList items;
    for (const Cidr &range : ranges) {
        items.append(u"%1/%2"_s.arg(range.network.toString()).arg(range.prefixLength));
    }
    return items.join(u',');
}

QString showSecret(const QString &secret) {
    return secret.isEmpty() ? QString() : u"********"_s;
}

QString showDb(const QString &db) {
    // postgres://user:password@host/db: the password is a secret, the rest helps operators.
    QUrl url(db);
    if (url.isValid() && !url.password().isEmpty()) {
        url.setPassword(u"********"_s);
        return url.toString();
    }
    return db;
}

struct OptionSpec {
    QLatin1StringView name; // the flag without dashes and the YAML key
    QLatin1StringView valueName;
    QLatin1StringView help;
    bool reloadable;
    Problem (*apply)(Config &config, const QString &value);
    QString (*show)(const Config &config);
};

const std::array kOptions = {
    OptionSpec{"port"_L1, "PORT"_L1, "Listen port (0: any free port). Default 8080."_L1, false,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 0, 65535),
                                 [&](qint64 x) { c.port = static_cast<quint16>(x); });
               },
               [](const Config &c) { return QString::number(c.port); }},
    OptionSpec{"addr"_L1, "ADDRESS"_L1, "Listen address. Default 0.0.0.0."_L1, false,
               [](Config &c, const QString &v) -> Problem {
                   const QHostAddress address(v.trimmed() == "localhost"_L1 ? u"127.0.0.1"_s
                                                                            : v.trimmed());
                   if (address.isNull()) {
                       return u"not an IP address"_s;
                   }
                   c.addr = address;
                   return std::nullopt;
               },
               [](const Config &c) { return c.addr.toString(); }},
    OptionSpec{"tls-cert"_L1, "FILE"_L1, "PEM certificate; with --tls-key serves HTTPS and WSS."_L1,
               false,
               [](Config &c, const QString &v) -> Problem {
                   c.tlsCert = v;
                   return v.isEmpty() ? std::nullopt : checkReadableFile(v);
               },
               [](const Config &c) { return c.tlsCert; }},
    OptionSpec{"tls-key"_L1, "FILE"_L1, "PEM private key for --tls-cert."_L1, false,
               [](Config &c, const QString &v) -> Problem {
                   c.tlsKey = v;
                   return v.isEmpty() ? std::nullopt : checkReadableFile(v);
               },
               [](const Config &c) { return c.tlsKey; }},
    OptionSpec{"auth-token"_L1, "TOKEN"_L1, "Shared access token for /ws and /api/*."_L1, false,
               [](Config &c, const QString &v) -> Problem {
                   c.authToken = v;
                   return std::nullopt;
               },
               [](const Config &c) { return showSecret(c.authToken); }},
    OptionSpec{"msg-max-bytes"_L1, "BYTES"_L1,
               "Largest accepted WebSocket message. Default 32768."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 1024, 16 * 1024 * 1024),
                                 [&](qint64 x) { c.limits.msgMaxBytes = x; });
               },
               [](const Config &c) { return QString::number(c.limits.msgMaxBytes); }},
    OptionSpec{"upload-max-bytes"_L1, "BYTES"_L1,
               "Largest file one upload may hold. Default 26214400 (25 MiB)."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 1, 4LL * 1024 * 1024 * 1024),
                                 [&](qint64 x) { c.limits.uploadMaxBytes = x; });
               },
               [](const Config &c) { return QString::number(c.limits.uploadMaxBytes); }},
    OptionSpec{"upload-expiry"_L1, "DURATION"_L1,
               "Uploads never attached to a message are removed this long after they began. "
               "Default 24h."_L1,
               false,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.uploadExpiry = x; });
               },
               [](const Config &c) { return showDuration(c.uploadExpiry); }},
    OptionSpec{"send-buffer"_L1, "MESSAGES"_L1,
               "Outgoing messages queued per connection before it is slow. Default 256."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 1, 1'000'000),
                                 [&](qint64 x) { c.limits.sendBuffer = static_cast<int>(x); });
               },
               [](const Config &c) { return QString::number(c.limits.sendBuffer); }},
    OptionSpec{"send-buffer-bytes"_L1, "BYTES"_L1,
               "Unsent bytes per connection before it is slow, control frames included. "
               "Default 524288."_L1,
               true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 65536, 1024LL * 1024 * 1024),
                                 [&](qint64 x) { c.limits.sendBufferBytes = x; });
               },
               [](const Config &c) { return QString::number(c.limits.sendBufferBytes); }},
    OptionSpec{"ping-interval"_L1, "DURATION"_L1,
               "WebSocket ping period; no pong within two periods closes. Default 30s."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.limits.pingInterval = x; });
               },
               [](const Config &c) { return showDuration(c.limits.pingInterval); }},
    OptionSpec{"idle-timeout"_L1, "DURATION"_L1,
               "No client activity for this long closes with 1001. Default 10m."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.limits.idleTimeout = x; });
               },
               [](const Config &c) { return showDuration(c.limits.idleTimeout); }},
    OptionSpec{"rate-limit"_L1, "PER_SECOND"_L1,
               "Messages per second per connection (burst twice that). Default 20."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 1, 1'000'000),
                                 [&](qint64 x) { c.limits.rateLimit = static_cast<int>(x); });
               },
               [](const Config &c) { return QString::number(c.limits.rateLimit); }},
    OptionSpec{"max-connections"_L1, "COUNT"_L1,
               "WebSockets above this are closed with 1013. Default 50000."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 1, 10'000'000),
                                 [&](qint64 x) { c.limits.maxConnections = static_cast<int>(x); });
               },
               [](const Config &c) { return QString::number(c.limits.maxConnections); }},
    OptionSpec{"max-connections-per-ip"_L1, "COUNT"_L1,
               "TCP connections (HTTP and WebSocket) one address may hold; 0: no limit. "
               "Default 1000."_L1,
               true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 0, 10'000'000), [&](qint64 x) {
                       c.limits.maxConnectionsPerIp = static_cast<int>(x);
                   });
               },
               [](const Config &c) { return QString::number(c.limits.maxConnectionsPerIp); }},
    OptionSpec{"request-timeout"_L1, "DURATION"_L1,
               "Time for an HTTP request's head, and again for its body. Default 10s."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.limits.requestTimeout = x; });
               },
               [](const Config &c) { return showDuration(c.limits.requestTimeout); }},
    OptionSpec{"keepalive-timeout"_L1, "DURATION"_L1,
               "An HTTP connection waiting this long for its next request is closed. "
               "Default 60s."_L1,
               true,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.limits.keepAliveTimeout = x; });
               },
               [](const Config &c) { return showDuration(c.limits.keepAliveTimeout); }},
    OptionSpec{"register-rate"_L1, "PER_HOUR"_L1,
               "Account registrations per hour from one address (burst the same); 0: no limit. "
               "Default 30."_L1,
               true,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 0, 1'000'000),
                                 [&](qint64 x) { c.limits.registerRate = static_cast<int>(x); });
               },
               [](const Config &c) { return QString::number(c.limits.registerRate); }},
    OptionSpec{"shutdown-timeout"_L1, "DURATION"_L1, "Graceful shutdown bound. Default 10s."_L1,
               false,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.shutdownTimeout = x; });
               },
               [](const Config &c) { return showDuration(c.shutdownTimeout); }},
    OptionSpec{"cluster-timeout"_L1, "DURATION"_L1,
               "With --redis: silence on the subscription after which it is probed; no echo "
               "within a sixth of it and it is made again. Default 30s."_L1,
               false,
               [](Config &c, const QString &v) {
                   return assign(parseDuration(v), [&](auto x) { c.clusterTimeout = x; });
               },
               [](const Config &c) { return showDuration(c.clusterTimeout); }},
    OptionSpec{"db"_L1, "URL"_L1,
               "sqlite:PATH or postgres://user:pass@host:port/db. Default: SQLite in the data "
               "dir."_L1,
               false,
               [](Config &c, const QString &v) -> Problem {
                   if (const auto target = parseDatabaseUrl(v, c.dataDir);
                       const auto *problem = std::get_if<QString>(&target)) {
                       return *problem;
                   }
                   c.db = v;
                   return std::nullopt;
               },
               [](const Config &c) { return showDb(c.db); }},
    OptionSpec{"redis"_L1, "URL"_L1, "redis://host:port[/db]: multi-instance fan-out."_L1, false,
               [](Config &c, const QString &v) -> Problem {
                   const QUrl url(v);
                   if (v.isEmpty()) {
                       c.redis = v;
                       return std::nullopt;
                   }
                   static const QRegularExpression database(u"^(/[0-9]{1,4})?/?$"_s);
                   if (url.scheme() != "redis"_L1 || url.host().isEmpty() || !url.isValid() ||
                       !database.match(url.path()).hasMatch() || url.hasQuery()) {
                       return u"must look like redis://host:port[/db]"_s;
                   }
                   if (!url.userInfo().isEmpty()) {
                       return u"a user or password in the Redis URL is not supported: run Redis "
                              "where only the instances reach it"_s;
                   }
                   c.redis = v;
                   return std::nullopt;
               },
               [](const Config &c) { return showDb(c.redis); }},
    OptionSpec{"jwt-secret"_L1, "SECRET"_L1,
               "HS256 secret. Default: generated and kept in the data dir."_L1, false,
               [](Config &c, const QString &v) -> Problem {
                   if (!v.isEmpty() && v.toUtf8().size() < 32) {
                       return u"must be at least 32 bytes"_s;
                   }
                   c.jwtSecret = v;
                   return std::nullopt;
               },
               [](const Config &c) { return showSecret(c.jwtSecret); }},
    OptionSpec{"allow-guests"_L1, "BOOL"_L1,
               "Guests may join the lobby with ?name=. Default true."_L1, false,
               [](Config &c, const QString &v) {
                   return assign(parseBool(v), [&](bool x) { c.allowGuests = x; });
               },
               [](const Config &c) { return c.allowGuests ? u"true"_s : u"false"_s; }},
    OptionSpec{"cors-origins"_L1, "ORIGINS"_L1, "Comma list of allowed browser origins."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseOrigins(v), [&](QStringList x) { c.corsOrigins = x; });
               },
               [](const Config &c) { return c.corsOrigins.join(u','); }},
    OptionSpec{"data-dir"_L1, "DIR"_L1, "Where the SQLite file and generated secret live."_L1,
               false,
               [](Config &c, const QString &v) -> Problem {
                   if (v.trimmed().isEmpty()) {
                       return u"must not be empty"_s;
                   }
                   c.dataDir = v;
                   return std::nullopt;
               },
               [](const Config &c) { return c.dataDir; }},
    OptionSpec{
        "log-format"_L1, "FORMAT"_L1, "json or text. Default: text on a TTY, else json."_L1, false,
        [](Config &c, const QString &v) -> Problem {
            if (v == "json"_L1) {
                c.logFormat = LogFormat::Json;
            } else if (v == "text"_L1) {
                c.logFormat = LogFormat::Text;
            } else {
                return u"must be json or text"_s;
            }
            return std::nullopt;
        },
        [](const Config &c) { return c.logFormat == LogFormat::Json ? u"json"_s : u"text"_s; }},
    OptionSpec{"log-level"_L1, "LEVEL"_L1, "debug, info, warn or error. Default info."_L1, true,
               [](Config &c, const QString &v) -> Problem {
                   for (LogLevel level :
                        {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
                       if (v == logLevelName(level)) {
                           c.logLevel = level;
                           return std::nullopt;
                       }
                   }
                   return u"must be debug, info, warn or error"_s;
               },
               [](const Config &c) { return logLevelName(c.logLevel); }},
    OptionSpec{"ip-allow"_L1, "CIDRS"_L1, "Comma list of CIDR ranges allowed to connect."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseCidrList(v), [&](QList<Cidr> x) { c.ipAllow = x; });
               },
               [](const Config &c) { return showCidrs(c.ipAllow); }},
    OptionSpec{"ip-deny"_L1, "CIDRS"_L1, "Comma list of CIDR ranges refused (403)."_L1, true,
               [](Config &c, const QString &v) {
                   return assign(parseCidrList(v), [&](QList<Cidr> x) { c.ipDeny = x; });
               },
               [](const Config &c) { return showCidrs(c.ipDeny); }},
    OptionSpec{"workers"_L1, "COUNT"_L1,
               "WebSocket worker threads (0: one per core). Default 0."_L1, false,
               [](Config &c, const QString &v) {
                   return assign(parseInteger(v, 0, 256),
                                 [&](qint64 x) { c.workers = static_cast<int>(x); });
               },
               [](const Config &c) { return QString::number(c.workers); }},
};

QString environmentName(QLatin1StringView optionName) {
    return u"CHAT_"_s + QString(optionName).toUpper().replace(u'-', u'_');
}

struct FileValue {
    QString value;
    QString where; // file:line:column
};

using FileValues = std::map<QString, FileValue>;

std::variant<FileValues, ConfigError> readConfigFile(const QString &path) {
    FileValues values;
    auto where = [&path](const YAML::Mark &mark) {
        return u"%1:%2:%3"_s.arg(path).arg(mark.line + 1).arg(mark.column + 1);
    };
    try {
        const YAML::Node root = YAML::LoadFile(path.toStdString());
        if (root.IsNull()) {
            return values;
        }
        if (!root.IsMap()) {
            return ConfigError{u"%1: the config file must be a mapping of keys to values"_s.arg(
                where(root.Mark()))};
        }
        for (const auto &entry : root) {
            const QString key = QString::fromStdString(entry.first.as<std::string>());
            const auto known = std::find_if(kOptions.begin(), kOptions.end(),
                                            [&](const OptionSpec &o) { return o.name == key; });
            if (known == kOptions.end()) {
                return ConfigError{u"%1: unknown key '%2'"_s.arg(where(entry.first.Mark()), key)};
            }
            const YAML::Node &node = entry.second;
            QString value;
            if (node.IsScalar()) {
                value = QString::fromStdString(node.Scalar());
            } else if (node.IsSequence()) {
                QStringList items;
                for (const auto &item : node) {
                    if (!item.IsScalar()) {
                        return ConfigError{u"%1: %2: list items must be plain values"_s.arg(
                            where(item.Mark()), key)};
                    }
                    items.append(QString::fromStdString(item.Scalar()));
                }
                value = items.join(u',');
            } else {
                return ConfigError{u"%1: %2: expected a value"_s.arg(where(node.Mark()), key)};
            }
            values[key] = FileValue{value, where(node.Mark())};
        }
    } catch (const YAML::BadFile &) {
        return ConfigError{u"%1: cannot read the config file"_s.arg(path)};
    } catch (const YAML::Exception &error) {
        return ConfigError{u"%1: %2"_s.arg(where(error.mark), QString::fromStdString(error.msg))};
    }
    return values;
}

} // namespace

QString logLevelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return u"debug"_s;
    case LogLevel::Info:
        return u"info"_s;
    case LogLevel::Warn:
        return u"warn"_s;
    case LogLevel::Error:
        return u"error"_s;
    }
    return u"info"_s;
}

void addConfigOptions(QCommandLineParser &parser) {
    for (const OptionSpec &option : kOptions) {
        parser.addOption(QCommandLineOption(QString(option.name),
                                            QString(option.help) + u" Env: "_s +
                                                environmentName(option.name) + u'.',
                                            QString(option.valueName)));
    }
    parser.addOption(QCommandLineOption(
        u"config"_s,
        u"YAML file whose keys are the flag names (rate-limit: 20). Env: CHAT_CONFIG."_s,
        u"FILE"_s));
}

ConfigResult resolveConfig(const QCommandLineParser &parser, const QProcessEnvironment &environment,
                           bool stdoutIsTerminal) {
    Config config;
    config.dataDir =
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/neonchat"_s;
    config.logFormat = stdoutIsTerminal ? LogFormat::Text : LogFormat::Json;

    config.configFile =
        parser.isSet(u"config"_s) ? parser.value(u"config"_s) : environment.value(u"CHAT_CONFIG"_s);
    FileValues fileValues;
    if (!config.configFile.isEmpty()) {
        auto read = readConfigFile(config.configFile);
        if (auto *error = std::get_if<ConfigError>(&read)) {
            return *error;
        }
        fileValues = std::get<FileValues>(std::move(read));
    }

    for (const OptionSpec &option : kOptions) {
        const QString name(option.name);
        const QString envName = environmentName(option.name);
        QString value;
        QString source;
        if (parser.isSet(name)) {
            value = parser.value(name);
            source = u"--"_s + name;
        } else if (environment.contains(envName)) {
            value = environment.value(envName);
            source = envName;
        } else if (auto found = fileValues.find(name); found != fileValues.end()) {
            value = found->second.value;
            source = found->second.where + u' ' + name;
        } else {
            continue;
        }
        if (const Problem problem = option.apply(config, value)) {
            return ConfigError{u"%1: invalid value \"%2\": %3"_s.arg(source, value, *problem)};
        }
    }

    if (config.tlsCert.isEmpty() != config.tlsKey.isEmpty()) {
        return ConfigError{u"--tls-cert and --tls-key must be given together"_s};
    }
    // Instances that share fan-out must share the database that is its source of truth.
    if (!config.redis.isEmpty() && !config.db.startsWith("postgres"_L1)) {
        return ConfigError{
            u"--redis needs a PostgreSQL --db that every instance shares (SQLite is one file on "
            "one machine)"_s};
    }
    return config;
}

QList<std::pair<QString, QString>> describeConfig(const Config &config) {
    QList<std::pair<QString, QString>> pairs;
    for (const OptionSpec &option : kOptions) {
        pairs.append({QString(option.name), option.show(config)});
    }
    pairs.append({u"config"_s, config.configFile});
    return pairs;
}

QStringList restartOnlyChanges(const Config &running, const Config &reloaded) {
    QStringList changed;
    for (const OptionSpec &option : kOptions) {
        if (!option.reloadable && option.show(running) != option.show(reloaded)) {
            changed.append(QString(option.name));
        }
    }
    return changed;
}

bool isAddressAllowed(const Config &config, const QHostAddress &address) {
    // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    const QHostAddress plain = isV4 ? QHostAddress(v4) : address;
    for (const Cidr &range : config.ipDeny) {
        if (range.contains(plain)) {
            return false;
        }
    }
    if (config.ipAllow.isEmpty()) {
        return true;
    }
    return std::any_of(config.ipAllow.cbegin(), config.ipAllow.cend(),
                       [&](const Cidr &range) { return range.contains(plain); });
}

bool isOriginAllowed(const Config &config, const QString &origin) {
    if (origin.isEmpty() || config.corsOrigins.isEmpty()) {
        return true;
    }
    return config.corsOrigins.contains(u"*"_s) || config.corsOrigins.contains(origin);
}

} // namespace neonchat::server
