// SPDX-License-Identifier: MIT
#include "lobbysession.h"

#include "protocol/codec.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

LobbySession::LobbySession(QObject *parent)
    : QObject(parent) {
    connect(&m_connection, &client::ChatConnection::stateChanged, this,
            &LobbySession::stateChanged);
    connect(&m_connection, &client::ChatConnection::welcomed, this, [this] {
        setErrorText({});
        m_connection.requestSync(m_connection.welcome().lobbyId, m_messages.lastSeq());
    });
    connect(&m_connection, &client::ChatConnection::syncDone, this,
            [this](const QString &, bool) { Q_EMIT historyLoaded(); });
    connect(&m_connection, &client::ChatConnection::messageReceived, this,
            [this](const protocol::ChatMessage &message) {
                m_messages.add(message, message.senderId == m_connection.welcome().user.id);
            });
    connect(&m_connection, &client::ChatConnection::messageAcknowledged, this,
            [this](const QString &, const protocol::ChatMessage &message) {
                m_messages.add(message, true);
            });
    connect(&m_connection, &client::ChatConnection::messageRejected, this,
            [this](const QString &, const protocol::ErrorFrame &error) {
                setErrorText(tr("Message not sent: %1").arg(error.message));
            });
    connect(&m_connection, &client::ChatConnection::disconnected, this,
            [this](int, const QString &reason, bool wasWelcomed) {
                setErrorText(wasWelcomed ? tr("Disconnected: %1").arg(reason)
                                         : tr("Cannot connect: %1").arg(reason));
            });
}

void LobbySession::setServerUrl(const QString &url) {
    if (m_serverUrl != url) {
        m_serverUrl = url;
        Q_EMIT serverUrlChanged();
    }
}

void LobbySession::setName(const QString &name) {
    if (m_name != name) {
        m_name = name;
        Q_EMIT nameChanged();
    }
}

bool LobbySession::online() const {
    return m_connection.state() == client::ChatConnection::State::Online;
}

bool LobbySession::connecting() const {
    return m_connection.state() == client::ChatConnection::State::Connecting;
}

void LobbySession::join() {
    QUrl url(m_serverUrl, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1)) {
        setErrorText(tr("The server address must start with ws:// or wss://"));
        return;
    }
    if (!protocol::normalizedDisplayName(m_name)) {
        setErrorText(tr("Choose a name of 1 to %1 characters").arg(protocol::kDisplayNameMaxChars));
        return;
    }
    QUrlQuery query(url);
    query.removeAllQueryItems(u"name"_s);
    query.addQueryItem(u"name"_s, QString::fromUtf8(QUrl::toPercentEncoding(m_name)));
    url.setQuery(query);
    setErrorText({});
    m_connection.open(url);
}

void LobbySession::send(const QString &text) {
    if (const auto problem = protocol::messageTextProblem(text)) {
        setErrorText(*problem);
        return;
    }
    const QString requestId = m_connection.send(text);
    Q_UNUSED(requestId) // the acknowledgement adds the message to the list
}

void LobbySession::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

} // namespace neonchat::desktop
