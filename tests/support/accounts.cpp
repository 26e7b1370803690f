// SPDX-License-Identifier: MIT
#include "accounts.h"

#include "http.h"

using namespace Qt::StringLiterals;

namespace neonchat::testing {

QUrl TestAccount::wsUrl(const ServerProcess &server) const {
    QUrlQuery query;
    query.addQueryItem(u"token"_s, token);
    return server.wsUrl(query.toString(QUrl::FullyEncoded));
}

std::optional<TestAccount> createAccount(const ServerProcess &server, const QString &username) {
    const QJsonObject credentials{{"username"_L1, username},
                                  {"password"_L1, u"password-of-"_s + username}};
    const HttpResult registered =
        httpPostJson(server.httpUrl(u"/api/v1/auth/register"_s), credentials);
    if (registered.status != 201) {
        qWarning() << "register" << username << registered.status << registered.body;
        return std::nullopt;
    }
    const HttpResult login = httpPostJson(server.httpUrl(u"/api/v1/auth/login"_s), credentials);
    if (login.status != 200) {
        qWarning() << "login" << username << login.status << login.body;
        return std::nullopt;
    }
    const QJsonObject body = login.json();
    return TestAccount{body.value("user"_L1).toObject().value("id"_L1).toString(), username,
                       body.value("token"_L1).toString()};
}

QString directChat(const ServerProcess &server, const TestAccount &from, const TestAccount &to) {
    return httpPostJson(server.httpUrl(u"/api/v1/chats"_s), {{"partner_id"_L1, to.id}},
                        bearer(from.token))
        .json()
        .value("id"_L1)
        .toString();
}

QString createRoom(const ServerProcess &server, const QString &name, const TestAccount &owner,
                   const QList<TestAccount> &members) {
    const QString roomId =
        httpPostJson(server.httpUrl(u"/api/v1/rooms"_s), {{"name"_L1, name}}, bearer(owner.token))
            .json()
            .value("id"_L1)
            .toString();
    for (const TestAccount &member : members) {
        if (roomId.isEmpty() ||
            httpRequest("POST", server.httpUrl(u"/api/v1/rooms/%1/join"_s.arg(roomId)), {},
                        bearer(member.token))
                    .status != 204) {
            return {};
        }
    }
    return roomId;
}

} // namespace neonchat::testing
