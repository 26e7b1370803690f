// SPDX-License-Identifier: MIT
// Password hashing and account tokens: the checks an attacker's token must fail.
#include "auth/passwords.h"
#include "auth/tokens.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace neonchat::server;

namespace {

constexpr qint64 kNow = 1'800'000'000;
const QString kUserId = u"6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"_s;
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray part(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
}

// A token with the given header and payload, signed by signer (or with the given signature).
QByteArray forge(const TokenSigner &signer, const QJsonObject &header, const QJsonObject &payload) {
    const QByteArray input = part(header) + '.' + part(payload);
    return input + '.' + signer.sign(input).toBase64(kBase64Url);
}

QJsonObject goodPayload() {
    return {{"user_id"_L1, kUserId},
            {"username"_L1, "alice"_L1},
            {"iat"_L1, kNow},
            {"exp"_L1, kNow + 86400}};
}

const QJsonObject kGoodHeader{{"alg"_L1, "HS256"_L1}, {"typ"_L1, "JWT"_L1}};

} // namespace

class TestAuth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(initialiseCrypto()); }

    void issuedTokenVerifies() {
        const TokenSigner signer("a secret of at least thirty-two bytes!"_ba);
        const QString token = signer.issue(kUserId, u"alice"_s, kNow);
        const auto verified = signer.verify(token.toLatin1(), kNow + 60);
        QVERIFY(std::holds_alternative<TokenClaims>(verified));
        const auto claims = std::get<TokenClaims>(verified);
        QCOMPARE(claims.userId, kUserId);
        QCOMPARE(claims.username, u"alice"_s);
        QCOMPARE(claims.issuedAt, kNow);
        QCOMPARE(claims.expiresAt, kNow + 86400);
    }

    void refusesBadTokens_data() {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("problem");
        const TokenSigner signer("the server's secret, thirty-two bytes long"_ba);
        const TokenSigner attacker("a different secret the attacker has chosen"_ba);
        const QByteArray good = forge(signer, kGoodHeader, goodPayload());

        QTest::addRow("empty") << QByteArray() << int(TokenProblem::Malformed);
        QTest::addRow("two parts")
            << good.first(good.lastIndexOf('.')) << int(TokenProblem::Malformed);
        QTest::addRow("four parts") << good + ".x" << int(TokenProblem::Malformed);
        QTest::addRow("header not base64")
            << "!!!." + good.sliced(good.indexOf('.') + 1) << int(TokenProblem::Malformed);
        QTest::addRow("alg none, no signature")
            << part({{"alg"_L1, "none"_L1}}) + '.' + part(goodPayload()) + '.'
            << int(TokenProblem::Malformed);
        QTest::addRow("alg none, signed") << forge(signer, {{"alg"_L1, "none"_L1}}, goodPayload())
                                          << int(TokenProblem::UnsupportedAlgorithm);
        QTest::addRow("alg HS512") << forge(signer, {{"alg"_L1, "HS512"_L1}}, goodPayload())
                                   << int(TokenProblem::UnsupportedAlgorithm);
        QTest::addRow("alg missing") << forge(signer, {{"typ"_L1, "JWT"_L1}}, goodPayload())
                                     << int(TokenProblem::UnsupportedAlgorithm);
        QTest::addRow("other secret")
            << forge(attacker, kGoodHeader, goodPayload()) << int(TokenProblem::BadSignature);
        QJsonObject promoted = goodPayload();
        promoted["username"_L1] = "admin"_L1;
        QTest::addRow("payload swapped after signing")
            << good.first(good.indexOf('.') + 1) + part(promoted) +
                   good.sliced(good.lastIndexOf('.'))
            << int(TokenProblem::BadSignature);
        QByteArray flipped = good;
        flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == 'A' ? 'B' : 'A';
        QTest::addRow("signature bit flipped") << flipped << int(TokenProblem::BadSignature);
        QTest::addRow("signature truncated") << good.chopped(4) << int(TokenProblem::BadSignature);
        QJsonObject expired = goodPayload();
        expired["exp"_L1] = kNow;
        QTest::addRow("expired now")
            << forge(signer, kGoodHeader, expired) << int(TokenProblem::Expired);
        QJsonObject noExpiry = goodPayload();
        noExpiry.remove("exp"_L1);
        QTest::addRow("no exp") << forge(signer, kGoodHeader, noExpiry)
                                << int(TokenProblem::BadClaims);
        QJsonObject textExpiry = goodPayload();
        textExpiry["exp"_L1] = "tomorrow"_L1;
        QTest::addRow("exp not a number")
            << forge(signer, kGoodHeader, textExpiry) << int(TokenProblem::BadClaims);
        QJsonObject badUser = goodPayload();
        badUser["user_id"_L1] = "1 OR 1=1"_L1;
        QTest::addRow("user_id not a uuid")
            << forge(signer, kGoodHeader, badUser) << int(TokenProblem::BadClaims);
    }

    void refusesBadTokens() {
        QFETCH(QByteArray, token);
        QFETCH(int, problem);
        const TokenSigner signer("the server's secret, thirty-two bytes long"_ba);
        const auto verified = signer.verify(token, kNow);
        QVERIFY2(std::holds_alternative<TokenProblem>(verified), token.constData());
        QCOMPARE(int(std::get<TokenProblem>(verified)), problem);
    }

    void passwordHashVerifiesOnlyItsPassword() {
        const auto hash = hashPassword(u"correct horse battery"_s);
        QVERIFY(hash.has_value());
        QVERIFY(hash->startsWith("$argon2id$"));
        QVERIFY(verifyPassword(*hash, u"correct horse battery"_s));
        QVERIFY(!verifyPassword(*hash, u"correct horse batterY"_s));
        QVERIFY(!verifyPassword(*hash, QString()));
        QVERIFY(!verifyPassword(QByteArray(), u"correct horse battery"_s));
        // Salted: the same password never gives the same hash twice.
        QCOMPARE_NE(*hashPassword(u"correct horse battery"_s), *hash);
        QVERIFY(!verifyPassword(decoyPasswordHash(), u"correct horse battery"_s));
    }

    void secretIsCreatedOnceAndKeptPrivate() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dataDir = dir.filePath(u"data"_s);
        const auto first = loadOrCreateJwtSecret(QString(), dataDir);
        QVERIFY(std::holds_alternative<QByteArray>(first));
        QVERIFY(std::get<QByteArray>(first).size() >= 32);
        const QFile::Permissions permissions = QFile::permissions(dataDir + u"/jwt-secret"_s);
        QCOMPARE(permissions &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        // The data directory it had to create is private too.
        QCOMPARE(QFile::permissions(dataDir) &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::ExeGroup | QFile::ExeOther),
                 QFile::Permissions());
        const auto second = loadOrCreateJwtSecret(QString(), dataDir);
        QCOMPARE(std::get<QByteArray>(second), std::get<QByteArray>(first));
        const auto configured = loadOrCreateJwtSecret(u"from the flag"_s, dataDir);
        QCOMPARE(std::get<QByteArray>(configured), "from the flag"_ba);
    }

    void shortSecretFileIsAnError() {
        QTemporaryDir dir;
        QFile file(dir.filePath(u"jwt-secret"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("short") == 5);
        file.close();
        const auto loaded = loadOrCreateJwtSecret(QString(), dir.path());
        QVERIFY(std::holds_alternative<QString>(loaded));
        QVERIFY(std::get<QString>(loaded).contains(u"shorter than 32"_s));
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
