// SPDX-License-Identifier: MIT
// The app's translations (translations/*.ts), compiled into the binary under :/i18n.
#pragma once

#include <QLocale>

class QTranslator;

namespace neonchat::desktop {

// Loads the translation that best fits the locale's UI languages into translator. False when
// there is none (English, the source language, needs none).
[[nodiscard]] bool loadUiTranslation(QTranslator &translator, const QLocale &locale);

} // namespace neonchat::desktop
