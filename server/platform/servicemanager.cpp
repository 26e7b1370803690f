// SPDX-License-Identifier: MIT
#include "servicemanager.h"

#include "obs/log.h"

#include <systemd/sd-daemon.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

void notify(const QByteArray &state) {
    // 0: not started by a service manager, nothing to tell.
    if (const int result = sd_notify(0, state.constData()); result < 0) {
        qCWarning(lcServer).noquote() << u"cannot notify the service manager: %1"_s.arg(
            QString::fromLocal8Bit(std::strerror(-result)));
    }
}

} // namespace

void notifyReady(const QString &status) {
    notify("READY=1\nSTATUS=" + status.toUtf8());
}

void notifyReloading() {
    notify("RELOADING=1");
}

void notifyStopping() {
    notify("STOPPING=1\nSTATUS=stopping");
}

} // namespace neonchat::server
