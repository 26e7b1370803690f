// SPDX-License-Identifier: MIT
// Puts each chat's messages in seq order, once each, whatever order they reach an instance in:
// its own commits, events from other instances (which may come late, twice, or never, while
// Redis is away), and pages read back from the database. It says which seq ranges to read to
// fill a gap; the database is the source of truth, and a message another instance published was
// committed before it was published, as was every smaller seq of its chat (a commit takes the
// chat's row lock to move last_seq). Pure logic, driven by the hub; Item is what gets delivered.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <algorithm>
#include <map>
#include <optional>

namespace neonchat::server {

// Read the messages of chatId with afterSeq < seq <= upToSeq from the database, in pages, and
// hand each page to ChatSequencer::filled.
struct GapRead {
    QString chatId;
    qint64 afterSeq = 0;
    qint64 upToSeq = 0;

    friend bool operator==(const GapRead &, const GapRead &) = default;
};

template <typename Item>
class ChatSequencer {
public:
    struct Actions {
        QList<Item> deliver;         // in seq order
        std::optional<GapRead> read; // a read to start now
    };

    // Messages wait here while a read fills the gap before them; past this many in one chat the
    // gap is given up (bounded memory while the database does not answer).
    static constexpr qsizetype kMaxWaiting = 10'000;

    // What the database said the chat's last seq was when this instance started, or when it
    // came back from a Redis outage: everything up to it counts as delivered or to be healed.
    void setDelivered(const QString &chatId, qint64 seq) { m_chats[chatId].delivered = seq; }

    [[nodiscard]] qint64 delivered(const QString &chatId) const {
        const auto found = m_chats.constFind(chatId);
        return found == m_chats.cend() ? 0 : found->delivered;
    }

    // A committed message: from this instance's writer or from another instance.
    [[nodiscard]] Actions arrived(const QString &chatId, qint64 seq, Item item) {
        Chat &chat = m_chats[chatId];
        Actions actions;
        if (seq <= chat.delivered || chat.waiting.count(seq) > 0) {
            return actions; // delivered already, or waiting
        }
        if (seq == chat.delivered + 1) {
            chat.delivered = seq;
            actions.deliver.append(std::move(item));
            drain(chat, actions);
            return actions;
        }
        chat.waiting.emplace(seq, std::move(item));
        if (static_cast<qsizetype>(chat.waiting.size()) > kMaxWaiting) {
            // The database has not answered for long: deliver what waits rather than hold more.
            // Sessions see a jump in seq and sync what they miss (CONTRACT §3).
            skipToWaiting(chat, actions);
            return actions;
        }
        requestRead(chatId, chat, seq - 1, actions);
        return actions;
    }

    // The database's last seq for a chat, as read after a Redis outage: whatever this instance
    // has not delivered up to it is read and delivered.
    [[nodiscard]] Actions heal(const QString &chatId, qint64 lastSeq) {
        Chat &chat = m_chats[chatId];
        Actions actions;
        if (lastSeq > chat.delivered) {
            requestRead(chatId, chat, lastSeq, actions);
        }
        return actions;
    }

    // A page of the read asked for, in seq order (items with their seq). A seq missing inside
    // a page is not stored, and is skipped. An empty page, or a failed read (failed = true), ends
    // the read; a gap the database cannot fill is skipped so that what waits behind it is
    // delivered. A failed read is tried again by the next arrival or heal of the chat.
    [[nodiscard]] Actions filled(const QString &chatId, const QList<std::pair<qint64, Item>> &page,
                                 bool failed = false) {
        Chat &chat = m_chats[chatId];
        Actions actions;
        chat.reading = false;
        for (const auto &[seq, item] : page) {
            if (seq <= chat.delivered) {
                continue;
            }
            chat.delivered = seq;
            // What arrived is preferred to the database's copy: it may carry more (the session
            // that sent it, which gets its answer instead).
            if (auto waiting = chat.waiting.find(seq); waiting != chat.waiting.end()) {
                actions.deliver.append(std::move(waiting->second));
                chat.waiting.erase(waiting);
            } else {
                actions.deliver.append(item);
            }
            drain(chat, actions);
        }
        const qint64 target = std::max(chat.readTarget, firstWaiting(chat) - 1);
        if (chat.delivered >= target || failed) {
            return actions;
        }
        if (!page.isEmpty()) {
            requestRead(chatId, chat, target, actions); // the next page
        } else if (!chat.waiting.empty()) {
            skipToWaiting(chat, actions);
        }
        return actions;
    }

    [[nodiscard]] qsizetype waitingCount(const QString &chatId) const {
        const auto found = m_chats.constFind(chatId);
        return found == m_chats.cend() ? 0 : static_cast<qsizetype>(found->waiting.size());
    }

private:
    struct Chat {
        qint64 delivered = 0;           // every seq up to this one was delivered (or is older)
        std::map<qint64, Item> waiting; // arrived ahead of a gap
        bool reading = false;           // a GapRead is running
        qint64 readTarget = 0;          // the seq the running or last read aims at
    };

    static qint64 firstWaiting(const Chat &chat) {
        return chat.waiting.empty() ? 0 : chat.waiting.begin()->first;
    }

    static void drain(Chat &chat, Actions &actions) {
        for (auto next = chat.waiting.begin();
             next != chat.waiting.end() && next->first <= chat.delivered + 1;
             next = chat.waiting.erase(next)) {
            if (next->first == chat.delivered + 1) {
                chat.delivered = next->first;
                actions.deliver.append(std::move(next->second));
            }
        }
    }

    static void skipToWaiting(Chat &chat, Actions &actions) {
        chat.delivered = chat.waiting.begin()->first - 1;
        drain(chat, actions);
    }

    void requestRead(const QString &chatId, Chat &chat, qint64 upTo, Actions &actions) {
        chat.readTarget = std::max(chat.readTarget, upTo);
        if (chat.reading) {
            return; // the running read goes on to the new target when it ends
        }
        chat.reading = true;
        actions.read = GapRead{chatId, chat.delivered, chat.readTarget};
    }

    QHash<QString, Chat> m_chats;
};

} // namespace neonchat::server
