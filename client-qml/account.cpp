// SPDX-License-Identifier: MIT
#include "account.h"

#include "servererror.h"

#include <QDateTime>
#include <QFile>
#include <QPointer>
#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

constexpr auto kDefaultServer = "http://localhost:8080"_L1;

// Earlier builds kept the session in the app's settings: moved to the session store once, so an
// update logs no one out, and taken out of the settings.
std::optional<client::StoredSession> takeSessionFromSettings() {
    QSettings settings;
    const QString server = settings.value(u"server"_s).toString();
    if (server.isEmpty()) {
        return std::nullopt;
    }
    client::StoredSession session{QUrl(server), settings.value(u"session/user_id"_s).toString(),
                                  settings.value(u"session/username"_s).toString(),
                                  settings.value(u"session/token"_s).toString(),
                                  settings.value(u"session/expires_at"_s).toLongLong()};
    settings.remove(u"server"_s);
    settings.remove(u"session"_s);
    settings.sync();
    return session;
}

} // namespace

Account::Account(client::SessionStore store, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store)) {
    m_clock.start();
    m_reconnectTick.setInterval(1000);
    connect(&m_reconnectTick, &QTimer::timeout, this, &Account::connectionChanged);
}

Account::~Account() {
    // Closing as it goes, the connection would report to timers gone before it.
    if (m_connection) {
        m_connection->disconnect(this);
    }
}

QString Account::serverAddress() const {
    if (m_loggedIn) {
        return m_session.server.toString();
    }
    const auto last = m_store.lastAccount();
    return last ? last->server.toString() : QString(kDefaultServer);
}

QString Account::username() const {
    if (m_loggedIn) {
        return m_session.username;
    }
    const auto last = m_store.lastAccount();
    return last ? last->username : QString();
}

Account::Connection Account::connection() const {
    if (!m_connection) {
        return Connection::Offline;
    }
    switch (m_connection->state()) {
    case client::ChatConnection::State::Offline:
        return Connection::Offline;
    case client::ChatConnection::State::Connecting:
        return Connection::Connecting;
    case client::ChatConnection::State::Online:
        return Connection::Online;
    case client::ChatConnection::State::Reconnecting:
        return Connection::Reconnecting;
    }
    return Connection::Offline;
}

int Account::reconnectSeconds() const {
    if (!m_connection || m_connection->state() != client::ChatConnection::State::Reconnecting) {
        return 0;
    }
    const qint64 remaining = std::max<qint64>(0, m_reconnectAtMs - m_clock.elapsed());
    return static_cast<int>((remaining + 999) / 1000);
}

QString Account::connectionProblem() const {
    return m_connection ? m_connection->stateReason() : QString();
}

void Account::reconnectNow() {
    if (m_connection) {
        m_connection->reconnectNow();
    }
}

void Account::restore() {
    if (!QFile::exists(m_store.path())) {
        if (const auto moved = takeSessionFromSettings()) {
            if (const auto problem = m_store.save(*moved)) {
                setErrorText(tr("Cannot keep your session: %1").arg(*problem));
                return;
            }
        }
    }
    const auto session = m_store.load();
    if (!session) {
        return;
    }
    if (session->expiresAtSeconds <= QDateTime::currentSecsSinceEpoch()) {
        forgetToken();
        setErrorText(serverErrorText(u"unauthorized"_s, {}));
        return;
    }
    start(*session);
}

void Account::logIn(const QString &server, const QString &username, const QString &password) {
    signIn(server, username, password, false);
}

void Account::registerAccount(const QString &server, const QString &username,
                              const QString &password) {
    signIn(server, username, password, true);
}

QCoro::Task<> Account::signIn(QString server, QString username, QString password, bool create) {
    if (m_busy) {
        co_return;
    }
    const auto url = client::serverUrl(server.trimmed());
    if (!std::holds_alternative<QUrl>(url)) {
        setErrorText(tr("“%1” is not a server address like http://localhost:8080").arg(server));
        co_return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        setErrorText(tr("Enter a username and a password."));
        co_return;
    }
    QPointer<Account> self(this);
    setErrorText({});
    setBusy(true);
    auto api = std::make_unique<client::ApiClient>(client::ServerAccess{std::get<QUrl>(url), {}});
    if (create) {
        const auto created = co_await api->registerAccount(username.trimmed(), password);
        if (!self) {
            co_return;
        }
        if (const auto *error = std::get_if<client::ApiError>(&created)) {
            setBusy(false);
            setErrorText(requestErrorText(*error));
            co_return;
        }
    }
    const auto answer = co_await api->logIn(username.trimmed(), password);
    if (!self) {
        co_return;
    }
    setBusy(false);
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        setErrorText(requestErrorText(*error));
        co_return;
    }
    const auto &login = std::get<client::LoginSession>(answer);
    const client::StoredSession session{
        std::get<QUrl>(url), login.userId, login.username, login.token,
        QDateTime::currentSecsSinceEpoch() + login.expiresInSeconds};
    // Logged in either way; the next run asks for the password again.
    if (const auto problem = m_store.save(session)) {
        setErrorText(tr("Cannot keep your session: %1").arg(*problem));
    }
    start(session);
}

void Account::start(const client::StoredSession &session) {
    ++m_generation;
    m_session = session;
    m_api = std::make_unique<client::ApiClient>(client::ServerAccess{session.server, {}});
    m_api->setToken(session.token);
    m_loggedIn = true;
    // A connection of its own: nothing of an earlier account (chat cursors, unsent messages)
    // carries over to this one.
    m_connection = std::make_unique<client::ChatConnection>();
    wire(*m_connection);
    Q_EMIT started();
    Q_EMIT accountChanged();
    m_connection->open(m_api->webSocketUrl(session.token));
}

void Account::wire(client::ChatConnection &connection) {
    // From the first attempt: a laptop starts the app before its network is up, and a server
    // restarts; the app keeps trying, and the banner says why and when.
    connection.setReconnect(client::ChatConnection::Reconnect::Always);
    connect(&connection, &client::ChatConnection::stateChanged, this, [this, &connection] {
        if (connection.state() != client::ChatConnection::State::Reconnecting) {
            m_reconnectTick.stop();
        }
        Q_EMIT connectionChanged();
    });
    connect(&connection, &client::ChatConnection::reconnectScheduled, this, [this](int ms) {
        m_reconnectAtMs = m_clock.elapsed() + ms;
        m_reconnectTick.start();
        Q_EMIT connectionChanged();
    });
    connect(&connection, &client::ChatConnection::disconnected, this,
            [this](int closeCode, const QString &reason, bool) {
                if (!m_loggedIn) {
                    return;
                }
                // The server refused the session: the token expired or is no longer valid, and
                // trying again will not change that. Anything else did not connect at all.
                if (closeCode == QWebSocketProtocol::CloseCodePolicyViolated) {
                    end(tr("The server ended your session (%1). Please log in again.").arg(reason));
                    return;
                }
                Q_EMIT disconnected(reason);
            });
}

void Account::logOut() {
    forgetToken();
    stop();
}

void Account::end(const QString &reason) {
    logOut();
    setErrorText(reason);
}

void Account::forgetToken() {
    auto last = m_store.lastAccount();
    if (!last || last->token.isEmpty()) {
        return;
    }
    last->token.clear();
    last->expiresAtSeconds = 0;
    if (const auto problem = m_store.save(*last)) {
        // Not kept is not forgotten: the file must not keep the token either.
        if (!QFile::remove(m_store.path())) {
            setErrorText(tr("Cannot forget your session: %1").arg(*problem));
        }
    }
}

void Account::stop() {
    if (!m_loggedIn) {
        return;
    }
    ++m_generation;
    Q_EMIT stopping();
    m_reconnectTick.stop();
    if (m_connection) {
        // Possibly inside one of its signals: it goes once that returns.
        m_connection->disconnect(this);
        m_connection->close();
        m_connection.release()->deleteLater();
    }
    m_loggedIn = false;
    m_session = {};
    Q_EMIT connectionChanged();
    Q_EMIT accountChanged();
}

void Account::setBusy(bool busy) {
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged();
    }
}

void Account::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

} // namespace neonchat::desktop
