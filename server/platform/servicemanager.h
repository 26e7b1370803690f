// SPDX-License-Identifier: MIT
// Tells systemd (Type=notify) what the server is doing: ready once it listens, reloading on
// SIGHUP, stopping on SIGINT/SIGTERM. Without $NOTIFY_SOCKET (a terminal, a container) every call
// does nothing.
#pragma once

#include <QString>

namespace neonchat::server {

void notifyReady(const QString &status);
void notifyReloading();
void notifyStopping();

} // namespace neonchat::server
