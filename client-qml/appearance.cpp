// SPDX-License-Identifier: MIT
#include "appearance.h"

#include <QMetaEnum>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

namespace {
const QString kThemeKey = u"appearance/theme"_s;
}

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

void Appearance::overrideTheme(Theme theme) {
    if (m_theme != theme) {
        m_theme = theme;
        Q_EMIT themeChanged();
    }
}

} // namespace neonchat::desktop
