// SPDX-License-Identifier: MIT
#include "tls.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>

namespace neonchat::client {

std::variant<QSslConfiguration, QString> tlsConfiguration(const QString &caFile) {
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (caFile.isEmpty()) {
        return configuration;
    }
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return QCoreApplication::translate("Tls", "cannot read the CA file %1: %2")
            .arg(caFile, file.errorString());
    }
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty()) {
        return QCoreApplication::translate("Tls", "%1 holds no PEM certificate").arg(caFile);
    }
    configuration.addCaCertificates(certificates);
    return configuration;
}

} // namespace neonchat::client
