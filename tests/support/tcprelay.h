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
    // While refusing, every connection is cut and new ones are closed at once, as when the
    // server's host is unreachable; afterwards they are relayed again.
    void setRefusing(bool refusing);
    // While held, what servers send waits in the relay; releasing delivers it, in order.
    void setHeld(bool held);
    // From now on drops what the server sends on each connection whose client has sent bytes
    // containing marker so far; the connection stays up. Returns how many were silenced. Later
    // connections are relayed as usual.
    int silence(const QByteArray &marker);
    [[nodiscard]] int connectionsRelayed() const { return m_relayed; }

private:
    struct Traffic {
        QByteArray fromClient; // the first bytes the client sent
        bool silenced = false;
    };
    struct Link {
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> server;
        std::shared_ptr<Traffic> traffic = std::make_shared<Traffic>();
    };

    void relayNext();
    void forget(QTcpSocket *client);

    QTcpServer m_listener;
    quint16 m_serverPort;
    std::vector<Link> m_links;
    int m_relayed = 0;
    bool m_held = false;
    bool m_refusing = false;
};

} // namespace neonchat::testing
