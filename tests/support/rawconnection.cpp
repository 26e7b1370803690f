// SPDX-License-Identifier: MIT
#include "rawconnection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

QByteArray RawResponse::header(QByteArrayView name) const {
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0) {
            return line.sliced(colon + 1).trimmed();
        }
    }
    return {};
}

bool RawConnection::open(quint16 port, const QHostAddress &source) {
    if (!source.isNull() && !m_socket.bind(source)) {
        return false;
    }
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(10000);
}

void RawConnection::write(const QByteArray &bytes) {
    m_socket.write(bytes);
    m_socket.flush();
}

const QByteArray &RawConnection::received() {
    m_received.append(m_socket.readAll());
    return m_received;
}

QList<RawResponse> RawConnection::responses() {
    QList<RawResponse> out;
    const QByteArray &bytes = received();
    qsizetype position = 0;
    while (true) {
        const qsizetype end = bytes.indexOf("\r\n\r\n", position);
        if (end < 0) {
            break;
        }
        RawResponse response;
        response.head = bytes.sliced(position, end - position);
        response.status = response.head.mid(9, 3).toInt();
        const qint64 length = response.header("content-length").toLongLong();
        if (bytes.size() < end + 4 + length) {
            break;
        }
        response.body = bytes.sliced(end + 4, length);
        position = end + 4 + length;
        if (response.status != 100) {
            out.append(response);
        }
    }
    return out;
}

bool RawConnection::waitForResponses(int count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (responses().size() < count) {
        if (deadline.hasExpired() || m_socket.state() != QAbstractSocket::ConnectedState) {
            return responses().size() >= count;
        }
        m_socket.waitForReadyRead(
            static_cast<int>(std::min<qint64>(100, deadline.remainingTime())));
    }
    return true;
}

bool RawConnection::waitForClose(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState) {
        if (deadline.hasExpired()) {
            return false;
        }
        // Reading keeps the kernel buffers moving, so a close behind data is seen.
        m_socket.waitForReadyRead(
            static_cast<int>(std::min<qint64>(100, deadline.remainingTime())));
        m_received.append(m_socket.readAll());
    }
    m_received.append(m_socket.readAll());
    return true;
}

ProcessMemory processMemory(qint64 pid) {
    QFile status(u"/proc/%1/status"_s.arg(pid));
    ProcessMemory memory;
    if (!status.open(QIODevice::ReadOnly)) {
        return memory;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        // "VmRSS:     12345 kB"
        const auto kilobytes = [&line] {
            return line.sliced(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        };
        if (line.startsWith("VmRSS:")) {
            memory.resident = kilobytes();
        } else if (line.startsWith("VmHWM:")) {
            memory.peak = kilobytes();
        }
    }
    return memory;
}

} // namespace neonchat::testing
