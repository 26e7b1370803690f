// SPDX-License-Identifier: MIT
// A list the desktop reads from the server (search results, people, rooms): whether a request is
// on its way, what went wrong with the last one, and a generation that a newer request bumps so
// that an older answer coming back late is dropped.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace neonchat::desktop {

class RemoteListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
public:
    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }

Q_SIGNALS:
    void loadingChanged();
    void errorTextChanged();

protected:
    void setLoading(bool loading);
    void setErrorText(const QString &text);
    // Starts a request: loading, no error yet; returns its generation.
    quint64 startRequest();
    // Whether the request of this generation is still the newest.
    [[nodiscard]] bool isCurrent(quint64 generation) const { return generation == m_generation; }
    // Drops whatever request is on its way, and the last one's error.
    void forgetRequests();

private:
    bool m_loading = false;
    QString m_errorText;
    quint64 m_generation = 0;
};

} // namespace neonchat::desktop
