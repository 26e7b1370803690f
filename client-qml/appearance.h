// SPDX-License-Identifier: MIT
// How the app looks: the theme follows the system unless the user picked light or dark, and the
// window opens where it was last closed. Both are kept in QSettings.
#pragma once

#include <QObject>
#include <QSettings>
#include <QWindow>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class Appearance : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    explicit Appearance(QObject *parent = nullptr);

    [[nodiscard]] Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    // For this run only (the screenshot tool): not written to the settings.
    void overrideTheme(Theme theme);

    // Puts the window where rememberWindow() found it, if that is still on a screen.
    void restoreWindow(QWindow &window) const;
    // Keeps the window's size and place (its normal one when maximized) for the next start.
    void rememberWindow(const QWindow &window);

Q_SIGNALS:
    void themeChanged();

private:
    QSettings m_settings;
    Theme m_theme = Theme::System;
};

} // namespace neonchat::desktop
