// SPDX-License-Identifier: MIT
#include "desktopnotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

Q_LOGGING_CATEGORY(lcNotify, "neonchat.notify")

// How long a notification stays up, in milliseconds (-1 would leave it to the service).
constexpr int kExpireMs = 8000;
// Bodies beyond this are cut: a notification is a glance, the message is in the app.
constexpr qsizetype kBodyMaxChars = 300;

} // namespace

DesktopNotifier::DesktopNotifier(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus)) {}

void DesktopNotifier::show(const QString &title, const QString &body) {
    QString shortened = body.size() > kBodyMaxChars ? body.left(kBodyMaxChars) + u'…' : body;
    QDBusMessage call = QDBusMessage::createMethodCall(
        u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s,
        u"org.freedesktop.Notifications"_s, u"Notify"_s);
    // The specification lets services read <b>, <a href> and the like in the body.
    call << u"NeonChat"_s << m_lastId << u"chat-desktop"_s << title << shortened.toHtmlEscaped()
         << QStringList() << QVariantMap{{u"category"_s, u"im.received"_s}} << kExpireMs;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher *finished) {
                finished->deleteLater();
                const QDBusPendingReply<uint> reply = *finished;
                if (reply.isError()) {
                    if (!m_failureLogged) {
                        m_failureLogged = true;
                        qCInfo(lcNotify).noquote()
                            << u"desktop notifications are unavailable: %1"_s.arg(
                                   reply.error().message());
                    }
                    Q_EMIT failed(reply.error().message());
                    return;
                }
                m_lastId = reply.value();
                Q_EMIT shown(m_lastId);
            });
}

} // namespace neonchat::desktop
