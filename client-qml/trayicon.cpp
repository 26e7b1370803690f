// SPDX-License-Identifier: MIT
#include "trayicon.h"

#include <QApplication>
#include <QFont>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {

constexpr int kIconSize = 64;

// The installed app icon (the packages put it in the icon theme), else a drawn stand-in of the
// same colours: a build run from its tree has no installed icon.
QImage appIcon() {
    const QIcon installed = QIcon::fromTheme(u"org.neonchat.Desktop"_s);
    if (!installed.isNull()) {
        return installed.pixmap(kIconSize, kIconSize).toImage();
    }
    QImage drawn(kIconSize, kIconSize, QImage::Format_ARGB32_Premultiplied);
    drawn.fill(Qt::transparent);
    QPainter painter(&drawn);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(u"#00796b"_s));
    painter.drawRoundedRect(QRectF(4, 4, 56, 48), 12, 12);
    const QPointF tail[] = {{16, 50}, {30, 50}, {14, 62}};
    painter.drawPolygon(tail, 3);
    painter.setBrush(Qt::white);
    for (const qreal x : {20.0, 32.0, 44.0}) {
        painter.drawEllipse(QPointF(x, 28), 4, 4);
    }
    return drawn;
}

} // namespace

QImage withUnreadBadge(const QImage &icon, qint64 unread) {
    if (unread <= 0) {
        return icon;
    }
    QImage badged = icon.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    const QString text = unread > 99 ? u"99+"_s : QString::number(unread);
    const qreal side = badged.width() * (text.size() > 2 ? 0.72 : 0.56);
    const QRectF badge(badged.width() - side, badged.height() - side, side, side);
    QPainter painter(&badged);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(u"#d32f2f"_s));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qRound(side * (text.size() > 2 ? 0.36 : 0.5)));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter, text);
    return badged;
}

QString trayToolTip(qint64 unread) {
    return unread > 0 ? TrayIcon::tr("NeonChat: %n unread", "", static_cast<int>(unread))
                      : u"NeonChat"_s;
}

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent) {
    if (qobject_cast<QApplication *>(QCoreApplication::instance()) == nullptr ||
        !QSystemTrayIcon::isSystemTrayAvailable()) {
        return;
    }
    m_baseIcon = appIcon();
    m_menu = std::make_unique<QMenu>();
    connect(m_menu->addAction(tr("Open NeonChat")), &QAction::triggered, this,
            &TrayIcon::showRequested);
    m_muteAll = m_menu->addAction(tr("Mute all notifications"));
    m_muteAll->setCheckable(true);
    connect(m_muteAll, &QAction::toggled, this, &TrayIcon::setAllMuted);
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("Quit NeonChat")), &QAction::triggered, qApp,
            &QCoreApplication::quit);
    m_tray = std::make_unique<QSystemTrayIcon>();
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray.get(), &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
                    Q_EMIT showRequested();
                }
            });
    updateIcon();
    m_tray->show();
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::setUnread(qint64 unread) {
    if (unread == m_unread) {
        return;
    }
    m_unread = unread;
    updateIcon();
    Q_EMIT unreadChanged();
}

void TrayIcon::setAllMuted(bool muted) {
    if (muted == m_allMuted) {
        return;
    }
    m_allMuted = muted;
    if (m_muteAll) {
        m_muteAll->setChecked(muted);
    }
    Q_EMIT allMutedChanged();
}

void TrayIcon::showMessage(const QString &title, const QString &text) {
    if (m_tray) {
        m_tray->showMessage(title, text, QSystemTrayIcon::Information, 5000);
    }
}

void TrayIcon::updateIcon() {
    if (!m_tray) {
        return;
    }
    m_tray->setIcon(QIcon(QPixmap::fromImage(withUnreadBadge(m_baseIcon, m_unread))));
    m_tray->setToolTip(trayToolTip(m_unread));
}

} // namespace neonchat::desktop
