// SPDX-License-Identifier: MIT
#include "appearance.h"

#include <QGuiApplication>
#include <QMetaEnum>
#include <QScreen>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {
const QString kThemeKey = u"appearance/theme"_s;
const QString kGeometryKey = u"window/geometry"_s;
const QString kMaximizedKey = u"window/maximized"_s;

bool onAScreen(const QRect &geometry) {
    const QList<QScreen *> screens = QGuiApplication::screens();
    return std::any_of(screens.cbegin(), screens.cend(), [&](const QScreen *screen) {
        // Enough of it to grab and move.
        const QRect shown = screen->availableGeometry().intersected(geometry);
        return shown.width() >= 100 && shown.height() >= 50;
    });
}
} // namespace

Appearance::Appearance(QObject *parent)
    : QObject(parent) {
    const auto names = QMetaEnum::fromType<Theme>();
    bool known = false;
    const int stored = names.keyToValue(m_settings.value(kThemeKey).toString().toLatin1(), &known);
    if (known) {
        m_theme = static_cast<Theme>(stored);
    }
}

void Appearance::setTheme(Theme theme) {
    m_settings.setValue(kThemeKey, QString::fromLatin1(QMetaEnum::fromType<Theme>().valueToKey(
                                       static_cast<int>(theme))));
    overrideTheme(theme);
}

void Appearance::restoreWindow(QWindow &window) const {
    const QRect geometry = m_settings.value(kGeometryKey).toRect();
    if (geometry.isValid() && onAScreen(geometry)) {
        window.setGeometry(geometry);
    }
    if (m_settings.value(kMaximizedKey).toBool()) {
        window.setWindowStates(Qt::WindowMaximized);
    }
}

void Appearance::rememberWindow(const QWindow &window) {
    const bool maximized = window.windowStates().testFlag(Qt::WindowMaximized);
    m_settings.setValue(kMaximizedKey, maximized);
    // A maximized window's size is the screen's: the size to come back to is the one before.
    if (!maximized && !window.windowStates().testFlag(Qt::WindowFullScreen)) {
        m_settings.setValue(kGeometryKey, window.geometry());
    }
    m_settings.sync();
}

void Appearance::overrideTheme(Theme theme) {
    if (m_theme != theme) {
        m_theme = theme;
        Q_EMIT themeChanged();
    }
}

} // namespace neonchat::desktop
