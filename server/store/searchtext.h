// SPDX-License-Identifier: MIT
// What message search (CONTRACT §9) indexes and looks for, decided here for both databases: the
// words of a text, split at everything that is not a letter, digit or combining mark, in NFKC,
// case-folded, with "ё" as "е" (Russian writes either). Each database's own tokenizer would
// split "example.com" or "e-mail" differently (PostgreSQL's keeps a host name whole); with the
// words made here, SQLite FTS5 and PostgreSQL full-text search find the same messages.
#pragma once

#include <QString>
#include <QStringList>

namespace neonchat::server::search {

// Most words of a query that are looked for; the rest are ignored.
inline constexpr int kMaxQueryWords = 16;

[[nodiscard]] QStringList words(const QString &text);
// The words of text joined by single spaces: the indexed column ("" but never null when there
// are none).
[[nodiscard]] QString indexedText(const QString &text);
// Plain text of at most maxChars characters of text around the first place one of the words
// occurs (its start when none is found), with "…" where it was cut.
[[nodiscard]] QString snippet(const QString &text, const QStringList &words, int maxChars = 240);

} // namespace neonchat::server::search
