// SPDX-License-Identifier: MIT
#include "redisloginattempts.h"

#include "obs/log.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace neonchat::server {

namespace {

// ARGV: prefix, address, account (lower case), then rate and burst of the pair, address and
// account buckets, then how long a pair's bucket is remembered at least (ms). A bucket is a hash
// {tokens, at} that expires once it would be full again (a full bucket is no different from
// none), except a pair's: an address that has failed for an account before does not get the
// fresh address's one attempt past an empty account bucket for that long.
constexpr char kBucketLib[] = R"lua(
local prefix, address, account = ARGV[1], ARGV[2], ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pairKey = prefix .. 'login:pair:' .. address .. '|' .. account
local addressKey = prefix .. 'login:address:' .. address
local accountKey = prefix .. 'login:account:' .. account
local function load(key, rate, burst, keep)
  local b = {key = key, rate = tonumber(rate), burst = tonumber(burst), keep = keep or 0}
  local stored = redis.call('HMGET', key, 'tokens', 'at')
  if stored[1] then
    local elapsed = math.max(0, now - tonumber(stored[2]))
    b.tokens = math.min(b.burst, tonumber(stored[1]) + elapsed * b.rate / 1000)
  else
    b.tokens = b.burst
    b.fresh = true
  end
  return b
end
local function save(b)
  redis.call('HSET', b.key, 'tokens', tostring(b.tokens), 'at', tostring(now))
  local untilFull = math.ceil((b.burst - b.tokens) * 1000 / b.rate)
  redis.call('PEXPIRE', b.key, math.max(untilFull, b.keep) + 1)
end
local function wait(b)
  return math.floor(((1 - b.tokens) * 1000 / b.rate + 1 + 999) / 1000)
end
)lua";

// 0: the attempt may go ahead (its tokens are taken); else seconds to wait. The same decisions as
// LoginThrottle::tryAttempt.
constexpr char kAttempt[] = R"lua(
local pair = load(pairKey, ARGV[4], ARGV[5], tonumber(ARGV[10]))
local perAddress = load(addressKey, ARGV[6], ARGV[7])
local perAccount = load(accountKey, ARGV[8], ARGV[9])
if pair.tokens < 1 then return wait(pair) end
if perAddress.tokens < 1 then return wait(perAddress) end
if perAccount.tokens >= 1 then
  perAccount.tokens = perAccount.tokens - 1
elseif not pair.fresh then
  return wait(perAccount)
end
pair.tokens = pair.tokens - 1
perAddress.tokens = perAddress.tokens - 1
save(pair)
save(perAddress)
save(perAccount)
return 0
)lua";

// A successful login gives its tokens back.
constexpr char kSucceeded[] = R"lua(
for _, bucket in ipairs({{pairKey, ARGV[5]}, {addressKey, ARGV[7]}, {accountKey, ARGV[9]}}) do
  local tokens = redis.call('HGET', bucket[1], 'tokens')
  if tokens then
    redis.call('HSET', bucket[1], 'tokens', tostring(math.min(tonumber(bucket[2]), tonumber(tokens) + 1)))
  end
end
return 0
)lua";

// How long a pair that failed is remembered.
constexpr qint64 kPairMemoryMs = 3600 * 1000;

QByteArray number(double value) {
    return QByteArray::number(value, 'g', 17);
}

} // namespace

RedisLoginAttempts::RedisLoginAttempts(RedisEndpoint endpoint, RedisConnection::Options options,
                                       QObject *parent)
    : QObject(parent)
    , m_prefix("neonchat:" + QByteArray::number(endpoint.database) + ":")
    , m_redis(std::move(endpoint), RedisRole::Commands, options, this) {
    m_redis.open();
}

QList<QByteArray> RedisLoginAttempts::scriptCommand(const char *body, const QHostAddress &address,
                                                    const QString &account) const {
    return {"EVAL",
            QByteArray(kBucketLib) + body,
            "0",
            m_prefix,
            address.toString().toUtf8(),
            account.toLower().toUtf8(),
            number(LoginThrottle::kPairRate),
            number(LoginThrottle::kPairBurst),
            number(LoginThrottle::kAddressRate),
            number(LoginThrottle::kAddressBurst),
            number(LoginThrottle::kAccountRate),
            number(LoginThrottle::kAccountBurst),
            QByteArray::number(kPairMemoryMs)};
}

void RedisLoginAttempts::admit(const QHostAddress &address, const QString &account,
                               QObject *context, std::function<void(Verdict)> done) {
    m_redis.command(scriptCommand(kAttempt, address, account), [this, address, account,
                                                                context = QPointer(context),
                                                                done = std::move(done)](
                                                                   const RedisResult &result) {
        if (!context) {
            return;
        }
        const auto *reply = std::get_if<RedisReply>(&result);
        if (reply && reply->kind == RedisReply::Kind::Integer) {
            done(reply->integer == 0 ? Verdict() : Verdict(static_cast<int>(reply->integer)));
            return;
        }
        if (reply) {
            qCWarning(lcCluster).noquote()
                << u"the shared login throttle failed: %1"_s.arg(QString::fromUtf8(reply->text));
        }
        m_fallback.admit(address, account, context, done);
    });
}

void RedisLoginAttempts::succeeded(const QHostAddress &address, const QString &account) {
    m_fallback.succeeded(address, account);
    m_redis.command(scriptCommand(kSucceeded, address, account), [](const RedisResult &) {
        // Not given back: the next attempts wait a little longer, nothing worse.
    });
}

} // namespace neonchat::server
