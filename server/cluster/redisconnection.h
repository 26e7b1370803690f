// SPDX-License-Identifier: MIT
// One connection to Redis, owned by the thread that made it: it connects, keeps reconnecting with
// backoff after a loss, and answers every command exactly once, with Redis's reply or a failure.
//
// The Redis protocol is hiredis's (Debian's 0.14.1, asynchronous API); what this class adds is
// what that version leaves to its user (docs/ARCHITECTURE.md, "Redis"):
// - its event hooks, on two QSocketNotifiers (the adapter hiredis ships deletes a notifier from
//   inside that notifier's own signal and needs moc run on a system header);
// - ownership: hiredis frees the context itself after a lost or failed connection, so the
//   context pointer is dropped in those callbacks and never freed twice;
// - timeouts, which hiredis has none of: connecting, and waiting for a reply (a Redis that
//   accepts and never answers);
// - reconnecting with backoff, choosing the database again and subscribing again.
#pragma once

#include "platform/backoff.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <variant>

struct redisAsyncContext;

namespace neonchat::server {

// Where Redis is: host, port and the database number of a redis://host:port[/db] URL.
struct RedisEndpoint {
    QString host;
    quint16 port = 6379;
    int database = 0;
};

// Redis's answer to a command, error replies included.
struct RedisReply {
    enum class Kind { Nil, Integer, String, Status, Error, Array };
    Kind kind = Kind::Nil;
    qint64 integer = 0;
    QByteArray text;            // String, Status and Error
    QList<RedisReply> elements; // Array
};

// A command that got no reply: there was no connection, or it was lost before the reply came.
struct RedisFailure {
    QString reason;
};

using RedisResult = std::variant<RedisReply, RedisFailure>;

// What a connection is for. Redis takes nothing but (un)subscriptions on a connection that
// subscribed, and pub/sub ignores the database number, so the two never share a connection.
enum class RedisRole { Commands, Subscriber };

class RedisConnection : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds connectTimeout{3000};
        // The oldest unanswered command waits at most this long; then the connection counts as
        // lost (every pending command fails) and a new one is made.
        std::chrono::milliseconds replyTimeout{5000};
        platform::Backoff backoff{std::chrono::milliseconds(100), std::chrono::milliseconds(5000)};
    };

    RedisConnection(RedisEndpoint endpoint, RedisRole role, Options options,
                    QObject *parent = nullptr);
    // Commands still pending are dropped without an answer: their callbacks may refer to objects
    // that are going away too. Not to be destroyed from inside one of its own callbacks.
    ~RedisConnection() override;

    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    // Starts connecting; from then on the connection is kept up until destruction.
    void open();

    [[nodiscard]] bool isConnected() const { return m_connected; }
    // Connections made after the first one.
    [[nodiscard]] int reconnects() const { return m_reconnects; }

    // Sends a command (Commands role). done runs once, later, on this thread. Without a
    // connection it fails at once (on the next turn of the event loop): nothing is queued for a
    // Redis that is not there. Commands sent while a connection is being made go out once it is.
    void command(const QList<QByteArray> &arguments, std::function<void(const RedisResult &)> done);

    // Gives the connection up and makes a new one (pending commands fail): for a connection that
    // looks alive and does not deliver.
    void reconnect(const QString &reason) { abandon(reason); }

    // Listens to channel from now on, on every later connection too (Subscriber role); messages
    // arrive as messageReceived.
    void subscribe(const QByteArray &channel);

Q_SIGNALS:
    void connected();
    // A connection that was up went away, or an attempt failed; another attempt follows.
    void disconnected(const QString &reason);
    // Redis confirmed a subscription (again after each reconnect).
    void subscribed(const QByteArray &channel);
    void messageReceived(const QByteArray &channel, const QByteArray &payload);

private:
    struct PendingCommand;

    void connectNow();
    void send(const QList<QByteArray> &arguments, std::function<void(const RedisResult &)> done);
    void sendSubscribe(const QByteArray &channel);
    // The context is gone (hiredis freed it, or we abandoned it): try again after a backoff.
    void lost(const QString &reason);
    // Gives up on the current context: pending commands fail, a new connection follows.
    void abandon(const QString &reason);
    void replyArrived();
    void armReplyTimer();

    // hiredis's callbacks; the context's data field points back here.
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privateData);
    static void onSubscription(redisAsyncContext *context, void *reply, void *privateData);
    // hiredis's event hooks; their argument is this object.
    static void addRead(void *self);
    static void deleteRead(void *self);
    static void addWrite(void *self);
    static void deleteWrite(void *self);
    static void cleanupEvents(void *self);
    void watchSocket(QSocketNotifier::Type type, bool watching);
    void releaseNotifiers();

    RedisEndpoint m_endpoint;
    RedisRole m_role;
    Options m_options;
    redisAsyncContext *m_context = nullptr;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    // Children, so that they move to another thread with the connection.
    QTimer m_retryTimer{this};
    QTimer m_connectTimer{this};
    QTimer m_replyTimer{this};
    // When each command still waiting for its reply was sent, oldest first (replies come in
    // order on a connection that is not subscribed).
    std::deque<std::chrono::steady_clock::time_point> m_sentAt;
    QList<QByteArray> m_channels;
    bool m_open = false;
    bool m_connected = false;
    bool m_everConnected = false;
    bool m_failureReported = false; // one disconnected() per outage, not one per failed attempt
    QString m_abandonReason;        // why pending commands fail while we free a context
    int m_reconnects = 0;
};

} // namespace neonchat::server
