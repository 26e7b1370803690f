// SPDX-License-Identifier: MIT
#include "uitranslation.h"

#include <QTranslator>

using namespace Qt::StringLiterals;

namespace neonchat::desktop {

bool loadUiTranslation(QTranslator &translator, const QLocale &locale) {
    return translator.load(locale, u"neonchat"_s, u"_"_s, u":/i18n"_s);
}

} // namespace neonchat::desktop
