// SPDX-License-Identifier: MIT
// chat-cli's exit statuses, documented in --help and the README; scripts rely on them.
#pragma once

namespace neonchat::cli::ExitCode {
inline constexpr int Ok = 0;
inline constexpr int Usage = 2;       // bad command line
inline constexpr int Unreachable = 3; // cannot connect, or the connection was lost
inline constexpr int AuthFailed = 4;  // the server refused the session (close 1008)
inline constexpr int Rejected = 5;    // the server rejected at least one message
} // namespace neonchat::cli::ExitCode
