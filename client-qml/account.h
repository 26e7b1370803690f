// SPDX-License-Identifier: MIT
// The desktop's signed-in account: logging in or registering, the session kept between runs in
// the client library's SessionStore (the file chat-cli uses too, readable by the user only), the
// REST client and the live connection of that session, and the connection's state for the
// banner. ChatSession builds the chats on top of it.
#pragma once

#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "client/sessionstore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace neonchat::desktop {

class Account : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatSession")
    // While logged out: the server and name of the last login (the login form's defaults).
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY accountChanged)
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    Q_PROPERTY(bool loggedIn READ loggedIn NOTIFY accountChanged)
    // A login or registration is on its way.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Why the user is at the login form: a refused login, an expired or ended session.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(Connection connection READ connection NOTIFY connectionChanged)
    Q_PROPERTY(int reconnectSeconds READ reconnectSeconds NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionProblem READ connectionProblem NOTIFY connectionChanged)
public:
    enum class Connection { Offline, Connecting, Online, Reconnecting };
    Q_ENUM(Connection)

    // store: where the session is kept; by default session.json in the app's config directory.
    explicit Account(client::SessionStore store = client::SessionStore(),
                     QObject *parent = nullptr);
    ~Account() override;

    [[nodiscard]] QString serverAddress() const;
    [[nodiscard]] QString username() const;
    [[nodiscard]] const QString &userId() const { return m_session.userId; }
    [[nodiscard]] bool loggedIn() const { return m_loggedIn; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }
    [[nodiscard]] Connection connection() const;
    [[nodiscard]] int reconnectSeconds() const;
    [[nodiscard]] QString connectionProblem() const;
    [[nodiscard]] const client::SessionStore &store() const { return m_store; }

    // While logged in: the session's REST client and connection (null before the first login).
    // The REST client outlives a logout until the next login, for answers still on their way.
    [[nodiscard]] client::ApiClient *api() const { return m_api.get(); }
    [[nodiscard]] client::ChatConnection *chatConnection() const { return m_connection.get(); }
    // Changes with every login and logout: an answer that comes back to another is dropped.
    [[nodiscard]] quint64 generation() const { return m_generation; }

    // Resumes the session kept from the last run, if it has not expired.
    Q_INVOKABLE void restore();
    Q_INVOKABLE void logIn(const QString &server, const QString &username, const QString &password);
    Q_INVOKABLE void registerAccount(const QString &server, const QString &username,
                                     const QString &password);
    // Forgets the token; the server and the name stay for the next login.
    Q_INVOKABLE void logOut();
    // While waiting to reconnect: tries at once.
    Q_INVOKABLE void reconnectNow();
    // Logs out because the server no longer takes the session, saying why on the login form.
    void end(const QString &reason);

Q_SIGNALS:
    void accountChanged();
    void busyChanged();
    void errorTextChanged();
    void connectionChanged();
    // A session begins: api() and chatConnection() are new, and the connection opens once this
    // returns (connect to its signals here).
    void started();
    // The session ends: its connection closes once this returns.
    void stopping();
    // The server closed the session for another reason than refusing it.
    void disconnected(const QString &reason);

private:
    QCoro::Task<> signIn(QString server, QString username, QString password, bool create);
    void start(const client::StoredSession &session);
    void stop();
    void forgetToken();
    void wire(client::ChatConnection &connection);
    void setBusy(bool busy);
    void setErrorText(const QString &text);

    client::SessionStore m_store;
    client::StoredSession m_session; // while logged in
    bool m_loggedIn = false;
    quint64 m_generation = 0;
    bool m_busy = false;
    QString m_errorText;
    std::unique_ptr<client::ApiClient> m_api;
    std::unique_ptr<client::ChatConnection> m_connection; // while logged in
    QElapsedTimer m_clock;
    qint64 m_reconnectAtMs = 0;
    QTimer m_reconnectTick;
};

} // namespace neonchat::desktop
