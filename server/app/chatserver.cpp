// SPDX-License-Identifier: MIT
#include "chatserver.h"

#include "auth/passwords.h"
#include "cluster/redislink.h"
#include "cluster/redisloginattempts.h"
#include "hub/hub.h"
#include "net/wsconnection.h"
#include "obs/log.h"
#include "protocol/codec.h"
#include "store/sqlstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

QHttpServerResponse jsonError(StatusCode status, QLatin1StringView code, const QString &message) {
    return QHttpServerResponse(
        QJsonObject{{"error"_L1, QJsonObject{{"code"_L1, code}, {"message"_L1, message}}}}, status);
}

} // namespace

ChatServer::ChatServer(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config)) {
    qRegisterMetaType<RuntimeLimits>();
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, [this] { finishStop(false); });
}

ChatServer::~ChatServer() {
    for (auto &thread : m_workerThreads) {
        thread->quit();
    }
    m_hubThread.quit();
    for (auto &thread : m_workerThreads) {
        thread->wait();
    }
    m_hubThread.wait();
}

std::optional<QString> ChatServer::start() {
    if (!initialiseCrypto()) {
        return u"libsodium could not be initialised (no usable random source)"_s;
    }
    auto secret = loadOrCreateJwtSecret(m_config.jwtSecret, m_config.dataDir);
    if (const auto *problem = std::get_if<QString>(&secret)) {
        return *problem;
    }
    m_metrics.setRedisConfigured(!m_config.redis.isEmpty());
    m_tokens = std::make_unique<TokenSigner>(std::get<QByteArray>(secret));
    m_guestTokens = std::make_unique<TokenSigner>(m_tokens->sign("neonchat guest resume"));
    auto target = parseDatabaseUrl(m_config.db, m_config.dataDir);
    if (const auto *problem = std::get_if<QString>(&target)) {
        return u"--db %1"_s.arg(*problem);
    }
    auto opened = SqlStore::open(std::get<DatabaseTarget>(target),
                                 SqlStoreOptions{.writeSeconds = &m_metrics.dbWriteSeconds()});
    if (const auto *problem = std::get_if<QString>(&opened)) {
        return *problem;
    }
    m_store = std::get<std::unique_ptr<SqlStore>>(std::move(opened));
    connect(&m_databaseProbe, &QTimer::timeout, this, &ChatServer::probeDatabase);
    m_databaseProbe.start(std::chrono::seconds(2));

    m_hub = new Hub(*m_store, m_metrics, m_online);
    if (!m_config.redis.isEmpty()) {
        if (auto problem = joinCluster(std::get<DatabaseTarget>(target))) {
            return problem;
        }
    }
    m_hub->moveToThread(&m_hubThread);
    connect(&m_hubThread, &QThread::finished, m_hub, &QObject::deleteLater);
    m_hubThread.setObjectName(u"hub"_s);

    const int workerCount =
        m_config.workers > 0 ? m_config.workers : std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < workerCount; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(u"ws-worker-%1"_s.arg(i));
        auto *worker = new SessionWorker(i, m_metrics, m_config.limits);
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &SessionWorker::submitted, m_hub, &Hub::submit);
        connect(worker, &SessionWorker::syncRequested, m_hub, &Hub::sync);
        connect(worker, &SessionWorker::chatSignalled, m_hub, &Hub::relay);
        connect(worker, &SessionWorker::accountSessionStarted, m_hub, &Hub::accountSessionStarted);
        connect(worker, &SessionWorker::accountSessionEnded, m_hub, &Hub::accountSessionEnded);
        connect(m_hub, &Hub::delivered, worker, &SessionWorker::deliver);
        connect(this, &ChatServer::limitsChanged, worker, &SessionWorker::applyLimits);
        connect(worker, &SessionWorker::drained, this, &ChatServer::workerDrained);
        m_workers.push_back(worker);
        m_workerThreads.push_back(std::move(thread));
    }
    m_hubThread.start();
    for (auto &thread : m_workerThreads) {
        thread->start();
    }

    setUpRoutes();
    if (!m_loginAttempts) {
        m_loginAttempts = std::make_unique<LocalLoginAttempts>();
    }
    m_api = std::make_unique<HttpApi>(m_http, m_config, *m_store, *m_tokens, m_online,
                                      *m_loginAttempts, m_metrics);
    connect(m_api.get(), &HttpApi::messageChanged, m_hub, &Hub::announceChange);
    // Qt warns when bound to a server that does not listen. The backend never takes connections
    // from the network, so it listens on a loopback port only for the moment of binding.
    if (!m_backend.listen(QHostAddress::LocalHost, 0)) {
        return u"cannot set up the HTTP backend: %1"_s.arg(m_backend.errorString());
    }
    m_http.bind(&m_backend);
    m_backend.close();
    m_front = std::make_unique<HttpFront>(m_backend, frontLimits());
    connect(m_front.get(), &HttpFront::webSocketRequested, this, &ChatServer::acceptWebSocket);
    m_uploads = std::make_unique<Uploads>(m_config, *m_store, *m_tokens, m_metrics);
    m_front->setStreamedRoutes(
        [uploads = m_uploads.get()](FrontConnection &connection, const http::RequestHead &head) {
            return uploads->route(connection, head);
        });
    if (auto problem = setUpTls()) {
        return problem;
    }
    if (!m_front->listen(m_config.addr, m_config.port)) {
        return u"cannot listen on %1:%2 (address in use or not allowed)"_s.arg(
            m_config.addr.toString(), QString::number(m_config.port));
    }
    m_port = m_front->serverPort();
    m_state = State::Ready;
    qCInfo(lcServer).noquote() << u"listening on %1:%2 with %3 session worker(s)"_s.arg(
        m_config.addr.toString(), QString::number(m_port), QString::number(workerCount));
    return std::nullopt;
}

std::optional<QString> ChatServer::joinCluster(const DatabaseTarget &target) {
    auto seqs = readChatSeqs(target);
    if (const auto *problem = std::get_if<QString>(&seqs)) {
        return u"reading the chats for the cluster: %1"_s.arg(*problem);
    }
    const QUrl url(m_config.redis);
    const RedisEndpoint endpoint{url.host(), static_cast<quint16>(url.port(6379)),
                                 url.path().mid(1).toInt()};
    const QString instanceId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // A child of the hub: it moves to the hub's thread with it.
    auto *link = m_cluster =
        new RedisLink(endpoint, instanceId, m_metrics, m_config.clusterTimeout, {}, m_hub);
    m_hub->joinCluster(*link, std::get<ChatSeqs>(seqs));
    m_loginAttempts = std::make_unique<RedisLoginAttempts>(endpoint);
    qCInfo(lcServer).noquote() << u"instance %1 of a cluster on Redis at %2:%3"_s.arg(
        instanceId, endpoint.host, QString::number(endpoint.port));
    return std::nullopt;
}

void ChatServer::probeDatabase() {
    // A database that does not answer for this long is as down as one that refuses.
    constexpr qint64 kNoAnswerMs = 6000;
    if (m_probePending) {
        if (m_probeSent.elapsed() > kNoAnswerMs && m_databaseUp) {
            m_databaseUp = false;
            qCWarning(lcDb) << "the database has not answered for" << kNoAnswerMs << "ms";
        }
        return;
    }
    m_probePending = true;
    m_probeSent.start();
    m_store->ping(this, [this](const Outcome<Done> &outcome) {
        m_probePending = false;
        const bool up = succeeded(outcome);
        if (up != m_databaseUp) {
            qCInfo(lcDb) << (up ? "the database answers again" : "the database is down");
        }
        m_databaseUp = up;
    });
}

FrontLimits ChatServer::frontLimits() const {
    FrontLimits limits;
    limits.framing.maxBodyBytes = HttpApi::kMaxBodyBytes;
    limits.maxStreamedBodyBytes = m_config.limits.uploadMaxBytes;
    limits.headTimeout = m_config.limits.requestTimeout;
    limits.bodyTimeout = m_config.limits.requestTimeout;
    limits.keepAliveTimeout = m_config.limits.keepAliveTimeout;
    limits.maxConnectionsPerAddress = m_config.limits.maxConnectionsPerIp;
    return limits;
}

std::optional<QString> ChatServer::setUpTls() {
    if (m_config.tlsCert.isEmpty() && m_config.tlsKey.isEmpty()) {
        return std::nullopt;
    }
    if (m_config.tlsCert.isEmpty() || m_config.tlsKey.isEmpty()) {
        return u"--tls-cert and --tls-key go together: give both or neither"_s;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(m_config.tlsCert);
    if (chain.isEmpty()) {
        return u"--tls-cert %1: no PEM certificate could be read"_s.arg(m_config.tlsCert);
    }
    QFile keyFile(m_config.tlsKey);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        return u"--tls-key %1: %2"_s.arg(m_config.tlsKey, keyFile.errorString());
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem);
        if (!key.isNull()) {
            break;
        }
    }
    if (key.isNull()) {
        return u"--tls-key %1: no unencrypted PEM private key could be read"_s.arg(m_config.tlsKey);
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_front->setTls(tls);
    qCInfo(lcServer).noquote() << u"TLS on: %1"_s.arg(chain.constFirst().subjectDisplayName());
    return std::nullopt;
}

void ChatServer::setUpRoutes() {
    // Every route answers 403 to a client outside --ip-allow / inside --ip-deny.
    auto guarded = [this](auto handler) {
        return [this, handler](const QHttpServerRequest &request) {
            QElapsedTimer took;
            took.start();
            QHttpServerResponse response = isAddressAllowed(m_config, request.remoteAddress())
                                               ? handler(request)
                                               : jsonError(StatusCode::Forbidden, "forbidden"_L1,
                                                           u"your address is not allowed"_s);
            m_metrics.httpRequest("GET"_ba, request.url().path(),
                                  static_cast<int>(response.statusCode()),
                                  std::chrono::nanoseconds(took.nsecsElapsed()));
            return response;
        };
    };
    auto health = guarded([](const QHttpServerRequest &) {
        return QHttpServerResponse(QJsonObject{{"status"_L1, "ok"_L1}});
    });
    m_http.route(u"/healthz"_s, QHttpServerRequest::Method::Get, health);
    m_http.route(u"/health"_s, QHttpServerRequest::Method::Get, health);
    m_http.route(
        u"/readyz"_s, QHttpServerRequest::Method::Get, guarded([this](const QHttpServerRequest &) {
            const auto check = [](bool up) { return up ? "ok"_L1 : "down"_L1; };
            QJsonObject checks{{"database"_L1, check(m_databaseUp)}};
            bool ready = m_state == State::Ready && m_databaseUp;
            if (!m_config.redis.isEmpty()) {
                checks.insert("redis"_L1, check(m_metrics.redisConnected()));
                ready = ready && m_metrics.redisConnected();
            }
            return QHttpServerResponse(QJsonObject{{"status"_L1, ready ? "ready"_L1 : "unready"_L1},
                                                   {"checks"_L1, checks}},
                                       ready ? StatusCode::Ok : StatusCode::ServiceUnavailable);
        }));
    m_http.route(u"/metrics"_s, QHttpServerRequest::Method::Get,
                 guarded([this](const QHttpServerRequest &) {
                     return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8"_ba,
                                                m_metrics.renderPrometheus());
                 }));
    // Upgrades to /ws never get here (the front hands them to the handshake); a plain GET does.
    m_http.route(u"/ws"_s, QHttpServerRequest::Method::Get, guarded([](const QHttpServerRequest &) {
                     return jsonError(StatusCode::UpgradeRequired, "upgrade_required"_L1,
                                      u"/ws takes WebSocket connections"_s);
                 }));
}

std::variant<SessionIdentity, std::pair<protocol::CloseCode, QString>>
ChatServer::admit(const WsConnection &connection) {
    using protocol::CloseCode;
    if (m_state != State::Ready) {
        return std::pair{CloseCode::GoingAway, u"server shutting down"_s};
    }
    if (!isAddressAllowed(m_config, connection.peerAddress())) {
        return std::pair{CloseCode::PolicyViolation, u"your address is not allowed"_s};
    }
    if (m_admittedSessions >= m_config.limits.maxConnections) {
        return std::pair{CloseCode::TryAgainLater, u"server is at its connection limit"_s};
    }
    const http::RequestHead &request = connection.request();
    if (!isOriginAllowed(m_config, QString::fromUtf8(request.header("origin")))) {
        return std::pair{CloseCode::PolicyViolation, u"origin not allowed"_s};
    }
    const QUrlQuery query = http::formQuery(connection.query());
    const QByteArray bearer = bearerToken(request.header("authorization"));
    const bool sharedTokenShown =
        !m_config.authToken.isEmpty() && !bearer.isEmpty() && bearer == m_config.authToken.toUtf8();
    // First match wins: an account token in the header, then in the query, then a guest name.
    const QByteArray accountToken =
        !bearer.isEmpty() && !sharedTokenShown
            ? bearer
            : query.queryItemValue(u"token"_s, QUrl::FullyDecoded).toUtf8();
    if (!accountToken.isEmpty()) {
        const auto verified = m_api->verifyToken(accountToken);
        if (const auto *problem = std::get_if<TokenProblem>(&verified)) {
            return std::pair{CloseCode::PolicyViolation, tokenProblemText(*problem)};
        }
        const auto &claims = std::get<TokenClaims>(verified);
        SessionIdentity identity;
        identity.key = ++m_nextSessionKey;
        identity.sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        identity.user = {claims.userId, claims.username, false};
        return identity;
    }
    if (!m_config.authToken.isEmpty() && !sharedTokenShown) {
        return std::pair{CloseCode::PolicyViolation, u"access token required"_s};
    }
    QString requestedName = query.queryItemValue(u"name"_s, QUrl::FullyDecoded);
    if (requestedName.isEmpty()) {
        requestedName = query.queryItemValue(u"sender"_s, QUrl::FullyDecoded);
    }
    if (requestedName.isEmpty()) {
        return std::pair{CloseCode::PolicyViolation, u"authentication required"_s};
    }
    if (!m_config.allowGuests) {
        return std::pair{CloseCode::PolicyViolation, u"guests are not allowed"_s};
    }
    const auto checked = protocol::checkDisplayName(requestedName);
    if (const auto *problem = std::get_if<protocol::DisplayNameProblem>(&checked)) {
        return std::pair{CloseCode::PolicyViolation, protocol::displayNameProblemText(*problem)};
    }
    const QString *name = std::get_if<QString>(&checked);
    SessionIdentity identity;
    identity.key = ++m_nextSessionKey;
    identity.sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    identity.user = {QUuid::createUuid().toString(QUuid::WithoutBraces), *name, true};
    // A guest coming back keeps its id, so what it sends again is recognised by request id. A
    // resume token that does not verify, or was issued for another name, starts a new guest.
    const QString resumeToken = query.queryItemValue(u"resume"_s, QUrl::FullyDecoded);
    const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();
    if (!resumeToken.isEmpty()) {
        const auto resumed = m_guestTokens->verify(resumeToken.toUtf8(), nowSeconds);
        if (const auto *claims = std::get_if<TokenClaims>(&resumed);
            claims && claims->username == *name) {
            identity.user.id = claims->userId;
        }
    }
    identity.resumeToken = m_guestTokens->issue(identity.user.id, *name, nowSeconds);
    return identity;
}

void ChatServer::acceptWebSocket(QTcpSocket *socket, const http::RequestHead &request) {
    auto *connection =
        new WsConnection(socket, request, m_config.limits.msgMaxBytes, m_frontPoller);
    m_metrics.connectionOpened();
    connect(connection, &QObject::destroyed,
            [metrics = &m_metrics] { metrics->connectionClosed(); });
    auto admission = admit(*connection);
    if (auto *refusal = std::get_if<std::pair<protocol::CloseCode, QString>>(&admission)) {
        refuse(connection, refusal->first, refusal->second);
        return;
    }
    const SessionIdentity identity = std::get<SessionIdentity>(admission);
    if (!identity.user.guest) {
        startSession(connection, identity);
        return;
    }
    // A guest may not take the name of an account: the database says whether one holds it. A
    // client that leaves meanwhile takes its connection with it.
    connect(connection, &WsConnection::disconnected, connection, &QObject::deleteLater);
    QPointer<WsConnection> waiting(connection);
    const QString name = identity.user.username;
    m_store->isUsernameTaken(name, this, [this, waiting, identity](const Outcome<bool> &taken) {
        if (!waiting) {
            return;
        }
        QObject::disconnect(waiting, &WsConnection::disconnected, waiting, nullptr);
        using protocol::CloseCode;
        if (const auto *failure = std::get_if<Failure>(&taken)) {
            qCWarning(lcWs).noquote()
                << u"checking a guest name failed: %1"_s.arg(failure->message);
            refuse(waiting, CloseCode::TryAgainLater,
                   u"the name cannot be checked now; try again"_s);
        } else if (std::get<bool>(taken)) {
            refuse(waiting, CloseCode::PolicyViolation,
                   u"the name %1 belongs to an account: log in, or choose another"_s.arg(
                       identity.user.username));
        } else if (m_state != State::Ready) {
            refuse(waiting, CloseCode::GoingAway, u"server shutting down"_s);
        } else if (m_admittedSessions >= m_config.limits.maxConnections) {
            refuse(waiting, CloseCode::TryAgainLater, u"server is at its connection limit"_s);
        } else {
            startSession(waiting, identity);
        }
    });
}

void ChatServer::startSession(WsConnection *connection, const SessionIdentity &identity) {
    ++m_admittedSessions;
    connect(connection, &QObject::destroyed, this, [this] { --m_admittedSessions; });
    SessionWorker *worker = m_workers[m_nextWorker++ % m_workers.size()];
    connection->leavePoller();
    connection->moveToThread(worker->thread());
    QMetaObject::invokeMethod(
        worker, [worker, connection, identity] { worker->adopt(connection, identity); },
        Qt::QueuedConnection);
}

void ChatServer::refuse(WsConnection *connection, protocol::CloseCode code, const QString &reason) {
    qCInfo(lcWs).noquote() << u"refused WebSocket from %1: %2 (%3)"_s.arg(
        connection->peerAddress().toString(), reason, QString::number(static_cast<int>(code)));
    m_metrics.disconnected(code == protocol::CloseCode::GoingAway ? DisconnectReason::Shutdown
                                                                  : DisconnectReason::Refused);
    connect(connection, &WsConnection::disconnected, connection, &QObject::deleteLater);
    connection->close(static_cast<quint16>(code), reason);
    // The peer's answer to the close frame ends the connection; one that never answers is cut.
    connection->startReading();
    QTimer::singleShot(2000, connection, [connection] {
        connection->abort();
        connection->deleteLater();
    });
}

void ChatServer::reload(const Config &reloaded) {
    const QStringList restartOnly = restartOnlyChanges(m_config, reloaded);
    if (!restartOnly.isEmpty()) {
        qCWarning(lcConfig).noquote() << u"reload: these settings change only on restart: %1"_s.arg(
            restartOnly.join(u", "_s));
    }
    m_config.limits = reloaded.limits;
    m_front->setLimits(frontLimits());
    m_config.corsOrigins = reloaded.corsOrigins;
    m_config.ipAllow = reloaded.ipAllow;
    m_config.ipDeny = reloaded.ipDeny;
    m_config.logLevel = reloaded.logLevel;
    applyLogLevel(m_config.logLevel);
    Q_EMIT limitsChanged(m_config.limits);
    qCInfo(lcConfig) << "configuration reloaded";
}

void ChatServer::stop() {
    if (m_state == State::Stopping) {
        return;
    }
    m_state = State::Stopping;
    qCInfo(lcServer) << "server stopping";
    if (m_cluster) {
        QMetaObject::invokeMethod(m_cluster, &Peers::leave, Qt::QueuedConnection);
    }
    m_front->close();
    m_front->setStopping();
    m_shutdownTimer.start(m_config.shutdownTimeout);
    m_drainedWorkers = 0;
    for (SessionWorker *worker : m_workers) {
        QMetaObject::invokeMethod(worker, &SessionWorker::closeAll, Qt::QueuedConnection);
    }
}

void ChatServer::workerDrained() {
    if (m_state == State::Stopping && ++m_drainedWorkers == m_workers.size()) {
        finishStop(true);
    }
}

void ChatServer::finishStop(bool withinTimeout) {
    if (!m_shutdownTimer.isActive() && withinTimeout) {
        return; // the timeout fired first
    }
    m_shutdownTimer.stop();
    if (!withinTimeout) {
        qCWarning(lcServer).noquote()
            << u"shutdown timeout: dropping %1 connection(s)"_s.arg(m_metrics.connectedClients());
        for (SessionWorker *worker : m_workers) {
            QMetaObject::invokeMethod(worker, &SessionWorker::abortAll, Qt::QueuedConnection);
        }
    }
    // Messages that reached the store are committed before the process goes.
    m_store->flush();
    Q_EMIT stopped(withinTimeout);
}

} // namespace neonchat::server
