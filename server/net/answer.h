// SPDX-License-Identifier: MIT
// co_await on a call that answers once, later, through a callback: the ChatStore's calls, the login
// throttle, the password-hashing pool. The REST handlers are QCoro coroutines written in order
// with these; the coroutine resumes on the thread and at the moment the callback runs.
//
//     auto findCall = Answer<Outcome<UserRecord>>(
//         [&](auto done) { m_store.findUser(id, this, std::move(done)); });
//     const Outcome<UserRecord> found = co_await findCall;
//
// The awaiter is a named variable, never a temporary in the co_await expression: g++ 12 destroys
// such a temporary (and the lambda converted into it) wrongly across the suspension, which
// corrupted the heap on the first login.
// A call whose context object is gone never answers: the coroutine then waits for good (at
// shutdown only; its exchange is never answered, and the client's connection is closed anyway).
#pragma once

// Before the standard headers: moc (which reads this through httpapi.h) cannot parse <concepts>
// unless Qt's configuration headers came first.
#include <QCoroTask>

#include <coroutine>
#include <functional>
#include <optional>
#include <utility>

namespace neonchat::server {

template <typename R>
class Answer {
public:
    using Start = std::function<void(std::function<void(R)>)>;

    explicit Answer(Start start)
        : m_start(std::move(start)) {}

    [[nodiscard]] bool await_ready() const noexcept { return false; }

    // Returns false (go on at once) for a call that answered before it returned.
    bool await_suspend(std::coroutine_handle<> waiting) {
        m_waiting = waiting;
        m_start([this](R value) {
            m_value.emplace(std::move(value));
            if (m_suspended) {
                m_waiting.resume();
            }
        });
        m_suspended = !m_value.has_value();
        return m_suspended;
    }

    R await_resume() { return std::move(*m_value); }

private:
    Start m_start;
    std::optional<R> m_value;
    std::coroutine_handle<> m_waiting;
    bool m_suspended = false;
};

} // namespace neonchat::server
