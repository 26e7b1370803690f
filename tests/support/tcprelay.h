// SPDX-License-Identifier: MIT
// A loopback TCP relay between clients and the server, so a test can cut a client's connection
// while the server stays up: both directions are dropped at once, as when a network fails.
#pragma once

#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace neonchat::testing {

class TcpRelay : public QObject {
    Q_OBJECT
public:
    explicit TcpRelay(quint16 serverPort, QObject *parent = nullptr);

    // Listens on a free loopback port; false if it cannot.
    [[nodiscard]] bool listen();
    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }
    // Aborts every connection relayed so far; new ones are relayed again.
    void cut();
    // While held, what servers send waits in the relay; releasing delivers it, in order.
    void setHeld(bool held);
    [[nodiscard]] int connectionsRelayed() const { return m_relayed; }

private:
    struct Link {
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> server;
    };

    void relayNext();
    void forget(QTcpSocket *client);

    QTcpServer m_listener;
    quint16 m_serverPort;
    std::vector<Link> m_links;
    int m_relayed = 0;
    bool m_held = false;
};

} // namespace neonchat::testing
