// SPDX-License-Identifier: MIT
#include "chatcommands.h"

#include "filetransfer.h"

#include "client/follow.h"
#include "protocol/codec.h"

#include <QCoroSignal>
#include <QDir>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

namespace {

constexpr int kDefaultHistory = 20;
constexpr qsizetype kPreviewChars = 60;
// Messages of one chat kept for numbers and quotes; the oldest go first.
constexpr qsizetype kShownPerChat = 500;

void printStatus(const QString &text) {
    printLine(stderr, u"* "_s + text);
}

// The first line of a text, shortened for a one-line listing.
QString preview(const QString &text) {
    QString line = text.section(u'\n', 0, 0);
    if (line.size() > kPreviewChars || line.size() < text.size()) {
        line = line.left(kPreviewChars) + u'…';
    }
    return line;
}

} // namespace

ChatCommands::ChatCommands(client::ApiClient &api, client::ChatConnection &connection,
                           OutputStyle style, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_connection(connection)
    , m_style(style)
    , m_current(protocol::kLobbyId) {}

bool ChatCommands::isCommand(const QString &line) {
    return line.startsWith(u'/') && !line.startsWith("//"_L1);
}

QString ChatCommands::messageText(const QString &line) {
    return line.startsWith("//"_L1) ? line.sliced(1) : line;
}

QString chatLabel(const client::ChatSummary &chat) {
    if (chat.kind == "direct"_L1 && chat.partner) {
        return u'@' + chat.partner->username;
    }
    if (chat.kind == "room"_L1) {
        return u'#' + chat.name;
    }
    return u"lobby"_s;
}

QString ChatCommands::labelOf(const QString &chatId) const {
    if (chatId == protocol::kLobbyId) {
        return u"lobby"_s;
    }
    if (const auto chat = m_chats.constFind(chatId); chat != m_chats.cend()) {
        return chatLabel(*chat);
    }
    return chatId.left(8);
}

QCoro::Task<QString> ChatCommands::labelFor(QString chatId) {
    if (chatId != protocol::kLobbyId && !m_chats.contains(chatId)) {
        QPointer<ChatCommands> self(this);
        const Result read = co_await reload();
        if (!self) {
            co_return chatId.left(8);
        }
        Q_UNUSED(read) // a failed read was reported; the short id will do
    }
    co_return labelOf(chatId);
}

QCoro::Task<ChatCommands::Result> ChatCommands::load() {
    if (const Result read = co_await reload(); read != Result::Done) {
        co_return read;
    }
    const QStringList ids = m_chats.keys();
    for (const QString &id : ids) {
        if (const Result followed = co_await follow(id); followed != Result::Done) {
            co_return followed;
        }
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::reload() {
    QPointer<ChatCommands> self(this);
    const auto answer = co_await m_api.chats();
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, tr("reading your chats"));
    }
    for (const client::ChatSummary &chat : std::get<QList<client::ChatSummary>>(answer)) {
        m_chats.insert(chat.id, chat);
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::follow(QString chatId) {
    if (m_followed.contains(chatId)) {
        co_return Result::Done;
    }
    QPointer<ChatCommands> self(this);
    client::ChatSummary chat = m_chats.value(chatId);
    chat.id = chatId;
    const auto problem = co_await client::followChat(m_api, m_connection, chat);
    if (!self) {
        co_return Result::Failed;
    }
    if (problem) {
        co_return failed(*problem, tr("reading the newest message of %1").arg(labelOf(chatId)));
    }
    m_followed.insert(chatId);
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::run(QString line) {
    const QString name = line.section(u' ', 0, 0, QString::SectionSkipEmpty).toLower();
    const QString argument = line.section(u' ', 1, -1, QString::SectionSkipEmpty).trimmed();
    auto needs = [&](const QString &what) {
        printLine(stderr, tr("! %1 needs %2").arg(name, what));
        return Result::Failed;
    };
    // Commands that read or name messages see the lines sent before them: "1" is the line just
    // sent, and /search and /history find it, as a script means them.
    const bool readsWhatWasSent = name == "/reply"_L1 || name == "/edit"_L1 ||
                                  name == "/delete"_L1 || name == "/react"_L1 ||
                                  name == "/search"_L1 || name == "/history"_L1;
    if (readsWhatWasSent && m_connection.unacknowledged() > 0) {
        QPointer<ChatCommands> self(this);
        co_await qCoro(&m_connection, &client::ChatConnection::allAcknowledged);
        if (!self) {
            co_return Result::Failed;
        }
    }
    if (name == "/dm"_L1) {
        co_return argument.isEmpty() ? needs(u"USER"_s) : co_await directChat(argument);
    }
    if (name == "/join"_L1) {
        co_return argument.isEmpty() ? needs(u"ROOM"_s) : co_await joinRoom(argument);
    }
    if (name == "/switch"_L1) {
        co_return argument.isEmpty() ? needs(u"CHAT"_s) : co_await switchTo(argument);
    }
    if (name == "/rooms"_L1) {
        co_return co_await listRooms();
    }
    if (name == "/chats"_L1) {
        co_return co_await listChats();
    }
    if (name == "/history"_L1) {
        co_return co_await history(argument);
    }
    if (name == "/who"_L1) {
        co_return co_await who();
    }
    if (name == "/search"_L1) {
        co_return argument.isEmpty() ? needs(u"WORDS"_s) : co_await search(argument);
    }
    if (name == "/reply"_L1) {
        co_return argument.section(u' ', 1).trimmed().isEmpty() ? needs(u"N TEXT"_s)
                                                                : reply(argument);
    }
    if (name == "/edit"_L1) {
        co_return argument.section(u' ', 1).trimmed().isEmpty() ? needs(u"N TEXT"_s)
                                                                : co_await edit(argument);
    }
    if (name == "/delete"_L1) {
        co_return argument.isEmpty() ? needs(u"N"_s) : co_await remove(argument);
    }
    if (name == "/react"_L1) {
        co_return argument.section(u' ', 1).trimmed().isEmpty() ? needs(u"N EMOJI"_s)
                                                                : co_await react(argument);
    }
    if (name == "/upload"_L1) {
        co_return argument.isEmpty() ? needs(u"PATH"_s) : co_await upload(argument);
    }
    if (name == "/download"_L1) {
        co_return argument.isEmpty() ? needs(u"ID"_s) : co_await download(argument);
    }
    if (name == "/help"_L1) {
        co_return help();
    }
    if (name == "/quit"_L1) {
        co_return Result::Quit;
    }
    printLine(stderr, tr("! unknown command %1; /help lists them (start a line with // to send "
                         "one that begins with /)")
                          .arg(name));
    co_return Result::Failed;
}

ChatCommands::Result ChatCommands::help() {
    printLine(stderr, tr("Plain lines go to the current chat. Commands:\n"
                         "  /dm USER        open the direct chat with USER and switch to it\n"
                         "  /join ROOM      join the room called ROOM (created if there is none)\n"
                         "  /rooms          list the rooms on the server\n"
                         "  /chats          list your chats, with unread counts\n"
                         "  /switch CHAT    go to a chat: lobby, #room, @user or an id\n"
                         "  /history [N]    print the last N messages of this chat (20; at most "
                         "200)\n"
                         "  /who            who is in this chat and who is online\n"
                         "  /search WORDS   find messages of all your chats with every word "
                         "(newest first)\n"
                         "  /reply N TEXT   answer message N: 1 is the newest shown here, 2 the "
                         "one before;\n"
                         "                  a message id works too\n"
                         "  /edit N TEXT    change the text of your message N\n"
                         "  /delete N       delete message N (yours, or any in a room you "
                         "created)\n"
                         "  /react N EMOJI  add EMOJI to message N, or take yours away again\n"
                         "  /upload PATH [TEXT]  send a file, with TEXT if given (quote a PATH "
                         "with spaces: \"my file.pdf\")\n"
                         "  /download ID [PATH]  save the file ID (shown with its message) here, "
                         "or as PATH\n"
                         "  /help           this list\n"
                         "  /quit           leave once everything you sent is acknowledged\n"
                         "A line starting with // sends the text after the first slash."));
    return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::directChat(QString username) {
    QPointer<ChatCommands> self(this);
    const auto found = co_await m_api.searchUsers(username);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&found)) {
        co_return failed(*error, tr("looking up %1").arg(username));
    }
    const auto &users = std::get<QList<client::UserSummary>>(found);
    const auto user = std::find_if(users.cbegin(), users.cend(), [&](const auto &candidate) {
        return candidate.username.compare(username, Qt::CaseInsensitive) == 0;
    });
    if (user == users.cend()) {
        printLine(stderr, tr("! there is no user called %1").arg(username));
        co_return Result::Failed;
    }
    const auto opened = co_await m_api.openDirectChat(user->id);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&opened)) {
        co_return failed(*error, tr("opening a chat with %1").arg(username));
    }
    co_return co_await enter(std::get<client::ChatSummary>(opened));
}

QCoro::Task<ChatCommands::Result> ChatCommands::joinRoom(QString room) {
    QPointer<ChatCommands> self(this);
    client::ChatSummary chat;
    chat.kind = u"room"_s;
    if (protocol::isUuid(room)) {
        chat.id = room;
    } else {
        const auto listed = co_await m_api.rooms();
        if (!self) {
            co_return Result::Failed;
        }
        if (const auto *error = std::get_if<client::ApiError>(&listed)) {
            co_return failed(*error, tr("listing rooms"));
        }
        const auto &rooms = std::get<QList<client::RoomSummary>>(listed);
        const auto named = std::find_if(rooms.cbegin(), rooms.cend(), [&](const auto &candidate) {
            return candidate.name == room;
        });
        if (named != rooms.cend()) {
            chat.id = named->id;
            chat.name = named->name;
        } else {
            const auto created = co_await m_api.createRoom(room);
            if (!self) {
                co_return Result::Failed;
            }
            if (const auto *error = std::get_if<client::ApiError>(&created)) {
                co_return failed(*error, tr("creating room %1").arg(room));
            }
            chat.id = std::get<client::RoomSummary>(created).id;
            chat.name = room;
            printStatus(tr("created room #%1").arg(room));
        }
    }
    const auto joined = co_await m_api.joinRoom(chat.id);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&joined)) {
        co_return failed(*error, tr("joining %1").arg(room));
    }
    // The chat list has its name (when joined by id) and where its changes stand.
    if (const Result read = co_await reload(); read != Result::Done) {
        co_return read;
    }
    chat = m_chats.value(chat.id, chat);
    co_return co_await enter(chat);
}

QCoro::Task<ChatCommands::Result> ChatCommands::enter(client::ChatSummary chat) {
    m_chats.insert(chat.id, chat);
    if (const Result followed = co_await follow(chat.id); followed != Result::Done) {
        co_return followed;
    }
    m_current = chat.id;
    const QString unread = chat.unreadCount > 0 ? tr(" (%n unread; /history shows them)", nullptr,
                                                     static_cast<int>(chat.unreadCount))
                                                : QString();
    printStatus(tr("now in %1%2").arg(chatLabel(chat), unread));
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::switchTo(QString target) {
    // Read afresh: a chat opened since, and the unread count as it is now.
    if (const Result read = co_await reload(); read != Result::Done) {
        co_return read;
    }
    const QList<client::ChatSummary> found = matching(target);
    if (found.isEmpty()) {
        printLine(stderr, tr("! you have no chat called %1; /chats lists yours").arg(target));
        co_return Result::Failed;
    }
    if (found.size() > 1) {
        QStringList ids;
        for (const client::ChatSummary &chat : found) {
            ids.append(chat.id);
        }
        printLine(stderr, tr("! %1 could be any of these chats; switch by id: %2")
                              .arg(target, ids.join(u", "_s)));
        co_return Result::Failed;
    }
    co_return co_await enter(found.first());
}

QList<client::ChatSummary> ChatCommands::matching(const QString &target) const {
    if (const auto chat = m_chats.constFind(target); chat != m_chats.cend()) {
        return {*chat};
    }
    QList<client::ChatSummary> found;
    for (const client::ChatSummary &chat : m_chats) {
        const QString label = chatLabel(chat);
        if (label.compare(target, Qt::CaseInsensitive) == 0 ||
            (label != "lobby"_L1 && label.sliced(1).compare(target, Qt::CaseInsensitive) == 0)) {
            found.append(chat);
        }
    }
    return found;
}

QCoro::Task<ChatCommands::Result> ChatCommands::listChats() {
    if (const Result read = co_await reload(); read != Result::Done) {
        co_return read;
    }
    QList<client::ChatSummary> chats = m_chats.values();
    // The server's order (newest activity first) is lost in the hash; by name reads better here.
    std::sort(chats.begin(), chats.end(), [](const auto &left, const auto &right) {
        return chatLabel(left).compare(chatLabel(right), Qt::CaseInsensitive) < 0;
    });
    for (const client::ChatSummary &chat : chats) {
        if (m_style.json) {
            printJson(chat.json);
            continue;
        }
        QString line = (chat.id == m_current ? u"> "_s : u"  "_s) + chatLabel(chat);
        if (chat.partner && chat.partner->online) {
            line += tr(" (online)");
        }
        if (chat.unreadCount > 0) {
            line += tr(" [%n unread]", nullptr, static_cast<int>(chat.unreadCount));
        }
        if (!chat.lastMessageText.isEmpty()) {
            line += u" — "_s + preview(chat.lastMessageText);
        }
        printLine(stdout, line);
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::listRooms() {
    QPointer<ChatCommands> self(this);
    const auto listed = co_await m_api.rooms();
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&listed)) {
        co_return failed(*error, tr("listing rooms"));
    }
    for (const client::RoomSummary &room : std::get<QList<client::RoomSummary>>(listed)) {
        if (m_style.json) {
            printJson(room.json);
        } else {
            printLine(
                stdout,
                tr("#%1 (%n member(s))", nullptr, static_cast<int>(room.members)).arg(room.name));
        }
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::history(QString count) {
    int limit = kDefaultHistory;
    if (!count.isEmpty()) {
        bool ok = false;
        limit = count.toInt(&ok);
        if (!ok || limit < 1 || limit > 200) {
            printLine(stderr, tr("! /history takes a count from 1 to 200"));
            co_return Result::Failed;
        }
    }
    QPointer<ChatCommands> self(this);
    const auto page = co_await m_api.history(m_current, limit);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&page)) {
        co_return failed(*error, tr("reading history"));
    }
    for (const protocol::ChatMessage &message : std::get<client::HistoryPage>(page).messages) {
        remember(message);
        printMessage(message, m_style, /*withDate=*/true, quoteFor(message));
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::who() {
    QPointer<ChatCommands> self(this);
    const auto listed = co_await m_api.members(m_current);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&listed)) {
        co_return failed(*error, tr("listing who is here"));
    }
    const auto &members = std::get<QList<client::UserSummary>>(listed);
    if (!m_style.json) {
        printStatus(m_current == protocol::kLobbyId
                        ? tr("online in the lobby: %n account(s)", nullptr,
                             static_cast<int>(members.size()))
                        : tr("in %1: %n member(s)", nullptr, static_cast<int>(members.size()))
                              .arg(labelOf(m_current)));
    }
    for (const client::UserSummary &member : members) {
        if (m_style.json) {
            QJsonObject user;
            user.insert("id"_L1, member.id);
            user.insert("username"_L1, member.username);
            user.insert("online"_L1, member.online);
            printJson(user);
        } else {
            printLine(stdout,
                      member.online ? tr("%1 (online)").arg(member.username) : member.username);
        }
    }
    co_return Result::Done;
}

void ChatCommands::remember(const protocol::ChatMessage &message) {
    if (const auto known = m_shown.constFind(message.id);
        known != m_shown.cend() && known->modSeq > message.modSeq) {
        return; // a newer state was shown already
    }
    m_shown.insert(message.id, message);
    QMap<qint64, QString> &ids = m_shownIds[message.chatId];
    ids.insert(message.seq, message.id);
    while (ids.size() > kShownPerChat) {
        m_shown.remove(ids.first());
        ids.erase(ids.begin());
    }
}

QString ChatCommands::quoteFor(const protocol::ChatMessage &reply) const {
    if (!reply.replyToId) {
        return {};
    }
    const auto original = m_shown.constFind(*reply.replyToId);
    return original == m_shown.cend() ? QString() : quoteOf(*original);
}

std::optional<protocol::ChatMessage> ChatCommands::shownMessage(const QString &reference) const {
    if (protocol::isUuid(reference)) {
        protocol::ChatMessage message = m_shown.value(reference);
        message.id = reference;
        return message;
    }
    bool ok = false;
    const int back = reference.toInt(&ok);
    const QMap<qint64, QString> ids = m_shownIds.value(m_current);
    if (!ok || back < 1 || back > ids.size()) {
        printLine(stderr, ids.isEmpty()
                              ? tr("! no message of this chat is shown yet; /history shows some")
                              : tr("! %1 is not a message number here: 1 is the newest shown, "
                                   "%2 the oldest (or give a message id)")
                                    .arg(reference)
                                    .arg(ids.size()));
        return std::nullopt;
    }
    return m_shown.value(std::prev(ids.cend(), back).value());
}

QCoro::Task<ChatCommands::Result> ChatCommands::search(QString words) {
    QPointer<ChatCommands> self(this);
    const auto found = co_await m_api.search(words);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&found)) {
        co_return failed(*error, tr("searching"));
    }
    const auto &page = std::get<client::SearchPage>(found);
    if (page.results.isEmpty() && !m_style.json) {
        printStatus(tr("nothing found for %1").arg(words));
    }
    for (const client::SearchResult &result : page.results) {
        const QString label = co_await labelFor(result.message.chatId);
        if (!self) {
            co_return Result::Failed;
        }
        printSearchResult(result.message, result.snippet, label, m_style);
    }
    if (page.hasMore && !m_style.json) {
        printStatus(tr("more results: add words to narrow the search"));
    }
    co_return Result::Done;
}

ChatCommands::Result ChatCommands::reply(const QString &argument) {
    const auto original = shownMessage(argument.section(u' ', 0, 0));
    if (!original) {
        return Result::Failed;
    }
    const QString text = argument.section(u' ', 1).trimmed();
    if (const auto problem = protocol::messageTextProblem(text)) {
        printLine(stderr, tr("! reply not sent: %1").arg(*problem));
        return Result::Failed;
    }
    const QString requestId = m_connection.send(text, m_current, original->id);
    Q_UNUSED(requestId) // acknowledgements are matched inside the connection
    return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::edit(QString argument) {
    const auto original = shownMessage(argument.section(u' ', 0, 0));
    if (!original) {
        co_return Result::Failed;
    }
    const QString text = argument.section(u' ', 1).trimmed();
    if (const auto problem = protocol::messageTextProblem(text)) {
        printLine(stderr, tr("! not edited: %1").arg(*problem));
        co_return Result::Failed;
    }
    QPointer<ChatCommands> self(this);
    const auto answer = co_await m_api.editMessage(original->id, text);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, tr("editing the message"));
    }
    co_return Result::Done; // the change arrives as every member sees it
}

QCoro::Task<ChatCommands::Result> ChatCommands::remove(QString reference) {
    const auto original = shownMessage(reference);
    if (!original) {
        co_return Result::Failed;
    }
    QPointer<ChatCommands> self(this);
    const auto answer = co_await m_api.deleteMessage(original->id);
    if (!self) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, tr("deleting the message"));
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::react(QString argument) {
    const auto original = shownMessage(argument.section(u' ', 0, 0));
    if (!original) {
        co_return Result::Failed;
    }
    const QString emoji = argument.section(u' ', 1).trimmed();
    if (emoji.contains(u' ') || emoji.contains(u'/')) {
        printLine(stderr, tr("! an emoji holds no spaces and no /"));
        co_return Result::Failed;
    }
    // A reaction of one's own is taken away again.
    const QString self = m_connection.welcome().user.id;
    const bool mine =
        std::any_of(original->reactions.cbegin(), original->reactions.cend(),
                    [&](const protocol::Reaction &reaction) {
                        return reaction.emoji == emoji && reaction.userIds.contains(self);
                    });
    QPointer<ChatCommands> alive(this);
    const auto answer = co_await m_api.react(original->id, emoji, !mine);
    if (!alive) {
        co_return Result::Failed;
    }
    if (const auto *error = std::get_if<client::ApiError>(&answer)) {
        co_return failed(*error, mine ? tr("taking the reaction away") : tr("reacting"));
    }
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::upload(QString argument) {
    // A path with spaces comes in double quotes.
    QString path;
    QString text;
    if (argument.startsWith(u'"')) {
        const qsizetype end = argument.indexOf(u'"', 1);
        if (end < 0) {
            printLine(stderr, tr("! the quoted path has no closing \""));
            co_return Result::Failed;
        }
        path = argument.mid(1, end - 1);
        text = argument.mid(end + 1).trimmed();
    } else {
        path = argument.section(u' ', 0, 0);
        text = argument.section(u' ', 1).trimmed();
    }
    if (!text.isEmpty()) {
        if (const auto problem = protocol::messageTextProblem(text)) {
            printLine(stderr, tr("! not sent: %1").arg(*problem));
            co_return Result::Failed;
        }
    }
    const QString chatId = m_current;
    QPointer<ChatCommands> self(this);
    const auto uploaded = co_await FileTransfer::upload(m_api, path);
    if (!self || !uploaded) {
        co_return Result::Failed;
    }
    QStringList attachmentIds;
    attachmentIds.append(uploaded->id);
    const QString requestId = m_connection.send(text, chatId, {}, attachmentIds);
    Q_UNUSED(requestId) // acknowledgements are matched inside the connection
    co_return Result::Done;
}

QCoro::Task<ChatCommands::Result> ChatCommands::download(QString argument) {
    const QString uploadId = argument.section(u' ', 0, 0);
    if (!protocol::isUuid(uploadId)) {
        printLine(stderr,
                  tr("! %1 is not a file id: a message shows its files' ids").arg(uploadId));
        co_return Result::Failed;
    }
    QPointer<ChatCommands> self(this);
    const auto saved =
        co_await FileTransfer::download(m_api, uploadId, argument.section(u' ', 1).trimmed());
    if (!self || !saved) {
        co_return Result::Failed;
    }
    printStatus(tr("saved %1").arg(QDir::toNativeSeparators(*saved)));
    co_return Result::Done;
}

ChatCommands::Result ChatCommands::failed(const client::ApiError &error, const QString &doing) {
    printLine(stderr, tr("! %1 failed: %2").arg(doing, error.message));
    return Result::Failed;
}

} // namespace neonchat::cli
