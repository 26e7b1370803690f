// SPDX-License-Identifier: MIT
#include "chatcommands.h"

#include "client/follow.h"
#include "protocol/codec.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace neonchat::cli {

namespace {

constexpr int kDefaultHistory = 20;
constexpr qsizetype kPreviewChars = 60;

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

QString ChatCommands::labelOf(const client::ChatSummary &chat) {
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
        return labelOf(*chat);
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
    const auto problem = co_await client::followChat(m_api, m_connection, chatId);
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
    if (chat.name.isEmpty()) {
        // Joined by id: the chat list has its name.
        if (const Result read = co_await reload(); read != Result::Done) {
            co_return read;
        }
        chat = m_chats.value(chat.id, chat);
    }
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
    printStatus(tr("now in %1%2").arg(labelOf(chat), unread));
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
        const QString label = labelOf(chat);
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
        return labelOf(left).compare(labelOf(right), Qt::CaseInsensitive) < 0;
    });
    for (const client::ChatSummary &chat : chats) {
        if (m_style.json) {
            printJson(chat.json);
            continue;
        }
        QString line = (chat.id == m_current ? u"> "_s : u"  "_s) + labelOf(chat);
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
        printMessage(message, m_style, /*withDate=*/true);
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

ChatCommands::Result ChatCommands::failed(const client::ApiError &error, const QString &doing) {
    printLine(stderr, tr("! %1 failed: %2").arg(doing, error.message));
    return Result::Failed;
}

} // namespace neonchat::cli
