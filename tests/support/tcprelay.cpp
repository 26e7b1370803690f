// SPDX-License-Identifier: MIT
#include "tcprelay.h"

#include <QHostAddress>

namespace neonchat::testing {

TcpRelay::TcpRelay(quint16 serverPort, QObject *parent)
    : QObject(parent)
    , m_serverPort(serverPort) {
    connect(&m_listener, &QTcpServer::newConnection, this, &TcpRelay::relayNext);
}

bool TcpRelay::listen() {
    return m_listener.listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::setRefusing(bool refusing) {
    m_refusing = refusing;
    if (refusing) {
        cut();
    }
}

void TcpRelay::relayNext() {
    while (m_listener.hasPendingConnections()) {
        if (m_refusing) {
            QTcpSocket *refused = m_listener.nextPendingConnection();
            refused->abort();
            refused->deleteLater();
            continue;
        }
        Link link{std::unique_ptr<QTcpSocket>(m_listener.nextPendingConnection()),
                  std::make_unique<QTcpSocket>()};
        link.client->setParent(nullptr);
        QTcpSocket *client = link.client.get();
        QTcpSocket *server = link.server.get();
        Traffic *traffic = link.traffic.get();
        // Bytes written before the server side is connected wait in its write buffer.
        connect(client, &QTcpSocket::readyRead, server, [client, server, traffic] {
            const QByteArray bytes = client->readAll();
            if (traffic->fromClient.size() < 4096) {
                traffic->fromClient += bytes;
            }
            server->write(bytes);
        });
        connect(server, &QTcpSocket::readyRead, client, [this, client, server, traffic] {
            if (traffic->silenced) {
                static_cast<void>(server->readAll()); // dropped: that is the point
            } else if (!m_held) {
                client->write(server->readAll());
            }
        });
        connect(
            client, &QTcpSocket::disconnected, this, [this, client] { forget(client); },
            Qt::QueuedConnection);
        connect(
            server, &QTcpSocket::disconnected, this, [this, client] { forget(client); },
            Qt::QueuedConnection);
        server->connectToHost(QHostAddress::LocalHost, m_serverPort);
        m_links.push_back(std::move(link));
        ++m_relayed;
    }
}

void TcpRelay::forget(QTcpSocket *client) {
    const auto link = std::find_if(m_links.begin(), m_links.end(), [client](const Link &candidate) {
        return candidate.client.get() == client;
    });
    if (link != m_links.end()) {
        link->client->disconnect(this);
        link->server->disconnect(this);
        link->client->abort();
        link->server->abort();
        m_links.erase(link);
    }
}

void TcpRelay::setHeld(bool held) {
    m_held = held;
    if (!held) {
        for (Link &link : m_links) {
            link.client->write(link.server->readAll());
        }
    }
}

int TcpRelay::silence(const QByteArray &marker) {
    int silenced = 0;
    for (Link &link : m_links) {
        if (link.traffic->fromClient.contains(marker)) {
            link.traffic->silenced = true;
            ++silenced;
        }
    }
    return silenced;
}

void TcpRelay::cut() {
    for (Link &link : m_links) {
        link.client->disconnect();
        link.server->disconnect();
        link.client->abort();
        link.server->abort();
    }
    m_links.clear();
}

} // namespace neonchat::testing
