// SPDX-License-Identifier: MIT
#include "selfsigned.h"

#include <QDir>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace neonchat::testing {

std::optional<CertificateFiles> makeSelfSignedCertificate(const QString &dir, QString *error) {
    const CertificateFiles files{QDir(dir).filePath(u"cert.pem"_s),
                                 QDir(dir).filePath(u"key.pem"_s)};
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   files.key, u"-out"_s, files.certificate});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
        *error = QString::fromUtf8(openssl.readAllStandardError()) + openssl.errorString();
        return std::nullopt;
    }
    return files;
}

} // namespace neonchat::testing
