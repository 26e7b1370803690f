// SPDX-License-Identifier: MIT
// A self-signed certificate for 127.0.0.1, made by openssl for a TLS test.
#pragma once

#include <QString>

#include <optional>

namespace neonchat::testing {

struct CertificateFiles {
    QString certificate; // PEM; also the CA a client must be told to trust
    QString key;
};

// Writes cert.pem and key.pem into dir; nullopt (with openssl's complaint in *error) on failure.
[[nodiscard]] std::optional<CertificateFiles> makeSelfSignedCertificate(const QString &dir,
                                                                        QString *error);

} // namespace neonchat::testing
