// SPDX-License-Identifier: MIT
// The lobby as QML sees it: join as a guest, the message list, send, and the connection state.
#pragma once

#include "client/chatconnection.h"
#include "messagelistmodel.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class LobbySession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(bool online READ online NOTIFY stateChanged)
    Q_PROPERTY(bool connecting READ connecting NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(MessageListModel *messages READ messages CONSTANT)
public:
    explicit LobbySession(QObject *parent = nullptr);

    [[nodiscard]] QString serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QString &url);
    [[nodiscard]] QString name() const { return m_name; }
    void setName(const QString &name);
    [[nodiscard]] bool online() const;
    [[nodiscard]] bool connecting() const;
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] MessageListModel *messages() { return &m_messages; }

    Q_INVOKABLE void join();
    Q_INVOKABLE void send(const QString &text);

Q_SIGNALS:
    void serverUrlChanged();
    void nameChanged();
    void stateChanged();
    void errorTextChanged();
    // The lobby's history up to now is in the model (after join).
    void historyLoaded();

private:
    void setErrorText(const QString &text);

    client::ChatConnection m_connection;
    MessageListModel m_messages;
    QString m_serverUrl = QStringLiteral("ws://localhost:8080/ws");
    QString m_name;
    QString m_errorText;
};

} // namespace neonchat::desktop
