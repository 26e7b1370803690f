// SPDX-License-Identifier: MIT
#include "remotelistmodel.h"

namespace neonchat::desktop {

void RemoteListModel::setLoading(bool loading) {
    if (m_loading != loading) {
        m_loading = loading;
        Q_EMIT loadingChanged();
    }
}

void RemoteListModel::setErrorText(const QString &text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

quint64 RemoteListModel::startRequest() {
    ++m_generation;
    setErrorText({});
    setLoading(true);
    return m_generation;
}

void RemoteListModel::forgetRequests() {
    ++m_generation;
    setLoading(false);
    setErrorText({});
}

} // namespace neonchat::desktop
