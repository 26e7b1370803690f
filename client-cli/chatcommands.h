// SPDX-License-Identifier: MIT
// The commands of an account session in `chat-cli connect` (CONTRACT §5 and §9): /dm, /join,
// /rooms, /chats, /switch, /history, /who, /reply, /edit, /delete, /react, /upload, /download,
// /help and /quit over
// the REST API, and which chat a plain line goes to. Every chat of the user is followed from its
// newest message on, so that a lost session catches up on all of them when it comes back, not only
// on the one in front of the user.
#pragma once

#include "client/apiclient.h"
#include "client/chatconnection.h"
#include "output.h"

#include <QCoroTask>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

namespace neonchat::cli {

// "lobby", "#room" or "@user".
[[nodiscard]] QString chatLabel(const client::ChatSummary &chat);

class ChatCommands : public QObject {
    Q_OBJECT
public:
    enum class Result { Done, Failed, Quit };

    ChatCommands(client::ApiClient &api, client::ChatConnection &connection, OutputStyle style,
                 QObject *parent = nullptr);

    // Reads the chat list and follows every chat in it.
    QCoro::Task<Result> load();
    // Runs one command line, e.g. "/join general".
    QCoro::Task<Result> run(QString line);

    // A line starting with one slash is a command; "//text" sends "/text".
    [[nodiscard]] static bool isCommand(const QString &line);
    [[nodiscard]] static QString messageText(const QString &line);

    [[nodiscard]] const QString &currentChat() const { return m_current; }
    // "lobby", "#room" or "@user"; a chat not in the list by the start of its id.
    [[nodiscard]] QString labelOf(const QString &chatId) const;
    // The same, but a chat not in the list has the list read again first (someone opened a
    // direct chat with the user, or added the user to a room).
    QCoro::Task<QString> labelFor(QString chatId);

    // A message as it was shown (or changed since): what /reply, /edit, /delete and /react count
    // back from, and what a reply quotes.
    void remember(const protocol::ChatMessage &message);
    // The quote of the message a reply answers, if it was shown; else empty.
    [[nodiscard]] QString quoteFor(const protocol::ChatMessage &reply) const;

private:
    QCoro::Task<Result> directChat(QString username);
    QCoro::Task<Result> joinRoom(QString room);
    QCoro::Task<Result> listRooms();
    QCoro::Task<Result> listChats();
    QCoro::Task<Result> switchTo(QString target);
    QCoro::Task<Result> history(QString count);
    QCoro::Task<Result> who();
    QCoro::Task<Result> search(QString words);
    Result reply(const QString &argument);
    QCoro::Task<Result> edit(QString argument);
    QCoro::Task<Result> remove(QString reference);
    QCoro::Task<Result> react(QString argument);
    QCoro::Task<Result> upload(QString argument);
    QCoro::Task<Result> download(QString argument);
    // The message a command names: N counts back from the newest shown in this chat (1: the
    // newest), or a message id. nullopt after saying why not.
    [[nodiscard]] std::optional<protocol::ChatMessage> shownMessage(const QString &reference) const;
    Result help();
    QCoro::Task<Result> reload();
    // Makes a chat the current one, following it first if it is new.
    QCoro::Task<Result> enter(client::ChatSummary chat);
    // Starts following a chat from its newest message.
    QCoro::Task<Result> follow(QString chatId);
    Result failed(const client::ApiError &error, const QString &doing);
    // The chats a name given to /switch can mean.
    [[nodiscard]] QList<client::ChatSummary> matching(const QString &target) const;

    client::ApiClient &m_api;
    client::ChatConnection &m_connection;
    OutputStyle m_style;
    QHash<QString, client::ChatSummary> m_chats; // by id
    QSet<QString> m_followed;
    QString m_current;
    QHash<QString, protocol::ChatMessage> m_shown;    // by id
    QHash<QString, QMap<qint64, QString>> m_shownIds; // per chat: ids by seq
};

} // namespace neonchat::cli
