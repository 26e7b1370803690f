// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "obs/log.h"

#include <QRandomGenerator>
#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

RedisReply toReply(const redisReply &reply) {
    RedisReply converted;
    switch (reply.type) {
    case REDIS_REPLY_INTEGER:
        converted.kind = RedisReply::Kind::Integer;
        converted.integer = reply.integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        converted.kind = reply.type == REDIS_REPLY_STRING   ? RedisReply::Kind::String
                         : reply.type == REDIS_REPLY_STATUS ? RedisReply::Kind::Status
                                                            : RedisReply::Kind::Error;
        converted.text = QByteArray(reply.str, static_cast<qsizetype>(reply.len));
        break;
    case REDIS_REPLY_ARRAY:
        converted.kind = RedisReply::Kind::Array;
        converted.elements.reserve(static_cast<qsizetype>(reply.elements));
        for (size_t i = 0; i < reply.elements; ++i) {
            converted.elements.append(toReply(*reply.element[i]));
        }
        break;
    default:
        converted.kind = RedisReply::Kind::Nil;
        break;
    }
    return converted;
}

void failLater(QObject *context, std::function<void(const RedisResult &)> done, QString reason) {
    QTimer::singleShot(0, context, [done = std::move(done), reason = std::move(reason)] {
        done(RedisFailure{reason});
    });
}

} // namespace

struct RedisConnection::PendingCommand {
    std::function<void(const RedisResult &)> done;
};

RedisConnection::RedisConnection(RedisEndpoint endpoint, RedisRole role, Options options,
                                 QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_role(role)
    , m_options(options) {
    m_retryTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    m_replyTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisConnection::connectNow);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        abandon(u"not connected within %1 ms"_s.arg(m_options.connectTimeout.count()));
    });
    connect(&m_replyTimer, &QTimer::timeout, this, [this] {
        if (m_sentAt.empty()) {
            return;
        }
        if (std::chrono::steady_clock::now() - m_sentAt.front() < m_options.replyTimeout) {
            armReplyTimer();
            return;
        }
        abandon(u"no reply within %1 ms"_s.arg(m_options.replyTimeout.count()));
    });
}

RedisConnection::~RedisConnection() {
    if (m_context) {
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        // Callbacks that hiredis runs while freeing find no owner and answer nothing.
        context->data = nullptr;
        context->ev.data = nullptr;
        redisAsyncFree(context);
    }
}

void RedisConnection::open() {
    if (m_open) {
        return;
    }
    m_open = true;
    connectNow();
}

void RedisConnection::connectNow() {
    if (m_context) {
        return;
    }
    const QByteArray host = m_endpoint.host.toUtf8();
    redisAsyncContext *context = redisAsyncConnect(host.constData(), m_endpoint.port);
    if (!context) {
        lost(u"cannot make a Redis connection (out of memory)"_s);
        return;
    }
    if (context->err) {
        const QString reason = QString::fromUtf8(context->errstr);
        redisAsyncFree(context);
        lost(reason);
        return;
    }
    m_context = context;
    context->data = this;
    // The event hooks come before the connect callback: setting that callback asks for the
    // first write event, which is how hiredis learns that the connection is up.
    context->ev.data = this;
    context->ev.addRead = &RedisConnection::addRead;
    context->ev.delRead = &RedisConnection::deleteRead;
    context->ev.addWrite = &RedisConnection::addWrite;
    context->ev.delWrite = &RedisConnection::deleteWrite;
    context->ev.cleanup = &RedisConnection::cleanupEvents;
    const int connectSet = redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    const int disconnectSet =
        redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    Q_ASSERT(connectSet == REDIS_OK && disconnectSet == REDIS_OK); // a new context has neither
    Q_UNUSED(connectSet)
    Q_UNUSED(disconnectSet)
    addWrite(this);
    m_connectTimer.start(m_options.connectTimeout);
    if (m_role == RedisRole::Subscriber) {
        for (const QByteArray &channel : std::as_const(m_channels)) {
            sendSubscribe(channel);
        }
    } else if (m_endpoint.database != 0) {
        send({"SELECT", QByteArray::number(m_endpoint.database)},
             [this](const RedisResult &result) {
                 const auto *reply = std::get_if<RedisReply>(&result);
                 if (reply && reply->kind == RedisReply::Kind::Error) {
                     qCWarning(lcCluster).noquote() << u"Redis refused database %1: %2"_s.arg(
                         QString::number(m_endpoint.database), QString::fromUtf8(reply->text));
                     QTimer::singleShot(0, this, [this] {
                         abandon(u"Redis refused database %1"_s.arg(m_endpoint.database));
                     });
                 }
             });
    }
}

void RedisConnection::command(const QList<QByteArray> &arguments,
                              std::function<void(const RedisResult &)> done) {
    if (m_role != RedisRole::Commands) {
        failLater(this, std::move(done), u"a subscriber connection takes no commands"_s);
        return;
    }
    if (!m_context) {
        failLater(this, std::move(done),
                  u"no connection to Redis at %1:%2"_s.arg(m_endpoint.host,
                                                           QString::number(m_endpoint.port)));
        return;
    }
    send(arguments, std::move(done));
}

void RedisConnection::send(const QList<QByteArray> &arguments,
                           std::function<void(const RedisResult &)> done) {
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(static_cast<size_t>(arguments.size()));
    lengths.reserve(static_cast<size_t>(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(static_cast<size_t>(argument.size()));
    }
    auto pending = std::make_unique<PendingCommand>(PendingCommand{std::move(done)});
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending.get(),
                              static_cast<int>(argv.size()), argv.data(),
                              lengths.data()) != REDIS_OK) {
        failLater(this, std::move(pending->done), u"Redis connection is closing"_s);
        return;
    }
    static_cast<void>(pending.release()); // onReply owns it now
    m_sentAt.push_back(std::chrono::steady_clock::now());
    armReplyTimer();
}

void RedisConnection::subscribe(const QByteArray &channel) {
    Q_ASSERT(m_role == RedisRole::Subscriber);
    if (m_channels.contains(channel)) {
        return;
    }
    m_channels.append(channel);
    if (m_context) {
        sendSubscribe(channel);
    }
}

void RedisConnection::sendSubscribe(const QByteArray &channel) {
    const char *argv[] = {"SUBSCRIBE", channel.constData()};
    const size_t lengths[] = {9, static_cast<size_t>(channel.size())};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onSubscription, nullptr, 2, argv,
                              lengths) != REDIS_OK) {
        qCWarning(lcCluster) << "Redis connection is closing; subscribing again later";
        return;
    }
    // The confirmation counts as a reply: a Redis that never confirms is a lost connection.
    m_sentAt.push_back(std::chrono::steady_clock::now());
    armReplyTimer();
}

void RedisConnection::armReplyTimer() {
    if (m_sentAt.empty()) {
        m_replyTimer.stop();
        return;
    }
    const auto waited = std::chrono::steady_clock::now() - m_sentAt.front();
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_options.replyTimeout - waited);
    m_replyTimer.start(std::max(left, std::chrono::milliseconds(0)));
}

void RedisConnection::replyArrived() {
    if (!m_sentAt.empty()) {
        m_sentAt.pop_front();
    }
    armReplyTimer();
}

void RedisConnection::abandon(const QString &reason) {
    if (!m_context) {
        return;
    }
    redisAsyncContext *context = m_context;
    m_context = nullptr;
    m_sentAt.clear();
    m_replyTimer.stop();
    m_abandonReason = reason;
    // Pending commands are answered with a failure while the context is freed; its disconnect
    // callback finds it is no longer ours and does nothing.
    redisAsyncFree(context);
    m_abandonReason.clear();
    lost(reason);
}

void RedisConnection::lost(const QString &reason) {
    const bool wasConnected = m_connected;
    m_connected = false;
    m_connectTimer.stop();
    m_replyTimer.stop();
    m_sentAt.clear();
    const auto wait = m_options.backoff.next(QRandomGenerator::global()->generateDouble());
    m_retryTimer.start(wait);
    if (wasConnected || !m_failureReported) {
        m_failureReported = true;
        qCWarning(lcCluster).noquote() << u"Redis at %1:%2: %3; trying again in %4 ms"_s.arg(
            m_endpoint.host, QString::number(m_endpoint.port), reason,
            QString::number(wait.count()));
        Q_EMIT disconnected(reason);
    }
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status) {
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context) {
        return;
    }
    if (status != REDIS_OK) {
        // hiredis frees the context when this returns; its disconnect callback is not called.
        self->m_context = nullptr;
        self->lost(QString::fromUtf8(context->errstr));
        return;
    }
    self->m_connectTimer.stop();
    self->m_connected = true;
    self->m_failureReported = false;
    self->m_options.backoff.reset();
    if (self->m_everConnected) {
        ++self->m_reconnects;
    }
    self->m_everConnected = true;
    qCInfo(lcCluster).noquote() << u"connected to Redis at %1:%2"_s.arg(
        self->m_endpoint.host, QString::number(self->m_endpoint.port));
    Q_EMIT self->connected();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status) {
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context) {
        return;
    }
    // hiredis frees the context when this returns.
    self->m_context = nullptr;
    self->lost(status == REDIS_OK || !context->err ? u"Redis closed the connection"_s
                                                   : QString::fromUtf8(context->errstr));
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privateData) {
    std::unique_ptr<PendingCommand> pending(static_cast<PendingCommand *>(privateData));
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self) {
        return; // the connection is being destroyed: nobody to answer
    }
    if (self->m_context == context) {
        self->replyArrived();
    }
    if (!reply) {
        QString reason = self->m_abandonReason;
        if (reason.isEmpty()) {
            reason = context->err ? QString::fromUtf8(context->errstr)
                                  : u"the connection to Redis was lost"_s;
        }
        pending->done(RedisFailure{reason});
        return;
    }
    pending->done(toReply(*static_cast<const redisReply *>(reply)));
}

void RedisConnection::onSubscription(redisAsyncContext *context, void *reply, void *) {
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || !reply || self->m_context != context) {
        return; // freed, or a context we gave up on
    }
    const auto &message = *static_cast<const redisReply *>(reply);
    if (message.type != REDIS_REPLY_ARRAY || message.elements < 3 ||
        message.element[0]->type != REDIS_REPLY_STRING ||
        message.element[1]->type != REDIS_REPLY_STRING) {
        return;
    }
    const QByteArray kind(message.element[0]->str, static_cast<qsizetype>(message.element[0]->len));
    const QByteArray channel(message.element[1]->str,
                             static_cast<qsizetype>(message.element[1]->len));
    if (kind == "subscribe") {
        self->replyArrived();
        Q_EMIT self->subscribed(channel);
    } else if (kind == "message" && message.element[2]->type == REDIS_REPLY_STRING) {
        Q_EMIT self->messageReceived(
            channel,
            QByteArray(message.element[2]->str, static_cast<qsizetype>(message.element[2]->len)));
    }
}

void RedisConnection::addRead(void *data) {
    if (auto *self = static_cast<RedisConnection *>(data)) {
        self->watchSocket(QSocketNotifier::Read, true);
    }
}

void RedisConnection::deleteRead(void *data) {
    if (auto *self = static_cast<RedisConnection *>(data)) {
        self->watchSocket(QSocketNotifier::Read, false);
    }
}

void RedisConnection::addWrite(void *data) {
    if (auto *self = static_cast<RedisConnection *>(data)) {
        self->watchSocket(QSocketNotifier::Write, true);
    }
}

void RedisConnection::deleteWrite(void *data) {
    if (auto *self = static_cast<RedisConnection *>(data)) {
        self->watchSocket(QSocketNotifier::Write, false);
    }
}

void RedisConnection::watchSocket(QSocketNotifier::Type type, bool watching) {
    std::unique_ptr<QSocketNotifier> &notifier =
        type == QSocketNotifier::Read ? m_readNotifier : m_writeNotifier;
    if (!watching || !m_context) {
        if (notifier) {
            notifier->setEnabled(false);
        }
        return;
    }
    if (!notifier) {
        notifier = std::make_unique<QSocketNotifier>(m_context->c.fd, type);
        connect(notifier.get(), &QSocketNotifier::activated, this, [this, type] {
            if (!m_context) {
                return;
            }
            if (type == QSocketNotifier::Read) {
                redisAsyncHandleRead(m_context);
            } else {
                redisAsyncHandleWrite(m_context);
            }
        });
    }
    notifier->setEnabled(true);
}

void RedisConnection::cleanupEvents(void *data) {
    if (auto *self = static_cast<RedisConnection *>(data)) {
        self->releaseNotifiers();
    }
}

void RedisConnection::releaseNotifiers() {
    // Called from inside hiredis, possibly from a notifier's own signal: disabled now, deleted
    // once control is back in the event loop.
    for (auto *notifier : {&m_readNotifier, &m_writeNotifier}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            notifier->release()->deleteLater();
        }
    }
}

} // namespace neonchat::server
