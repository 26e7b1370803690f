// SPDX-License-Identifier: MIT
// The Lua scripts through which an instance keeps the cluster's shared state in Redis. A script
// runs atomically, so a change of state and the event that announces it can never be seen apart
// or out of order by another instance.
//
// Keys, under the prefix "neonchat:<db>:":
// - nodes                 sorted set: instance id -> when it counts as gone (ms, Redis's clock);
// - online:<instance>     set: the accounts with a session on that instance;
// - presence              hash: account -> on how many instances it has a session;
// - presence:version      counter: bumped by every change of presence, carried by its event;
// - events                the pub/sub channel (not a key; ClusterEvent, see clusterevent.h).
// Every script takes ARGV[1] = the prefix and ARGV[2] = the calling instance's id. Keys are
// derived inside the scripts, which a Redis Cluster would refuse; one Redis (with replicas) is
// what CONTRACT §8 asks for.
#pragma once

namespace neonchat::server::scripts {

// Helpers every presence script starts with.
inline constexpr char kPresenceLib[] = R"lua(
local prefix, me = ARGV[1], ARGV[2]
local presence = prefix .. 'presence'
local function announce(user, online)
  local version = redis.call('INCR', prefix .. 'presence:version')
  redis.call('PUBLISH', prefix .. 'events', cjson.encode(
    {v = 1, origin = me, presence = user, online = online, version = version}) .. '\n')
end
local function arrive(instance, user)
  if redis.call('SADD', prefix .. 'online:' .. instance, user) == 1
      and redis.call('HINCRBY', presence, user, 1) == 1 then
    announce(user, true)
    return true
  end
  return false
end
local function depart(user)
  if redis.call('HINCRBY', presence, user, -1) <= 0 then
    redis.call('HDEL', presence, user)
    announce(user, false)
    return true
  end
  return false
end
local function forget(instance, gone)
  local key = prefix .. 'online:' .. instance
  for _, user in ipairs(redis.call('SMEMBERS', key)) do
    if depart(user) then table.insert(gone, user) end
  end
  redis.call('DEL', key)
end
)lua";

// ARGV[3]: an account whose first session on this instance opened. 1 if it came online
// cluster-wide.
inline constexpr char kArrive[] = R"lua(
return arrive(me, ARGV[3]) and 1 or 0
)lua";

// ARGV[3]: an account whose last session on this instance closed. 1 if it went offline
// cluster-wide.
inline constexpr char kDepart[] = R"lua(
if redis.call('SREM', prefix .. 'online:' .. me, ARGV[3]) == 1 and depart(ARGV[3]) then
  return 1
end
return 0
)lua";

// ARGV[3..]: every account with a session on this instance now. Makes the stored set say the
// same (after Redis was away, lost its data, or counted this instance gone); returns the accounts
// whose cluster-wide state changed, each followed by '1' (came online) or '0' (went offline).
inline constexpr char kResync[] = R"lua(
local here = {}
for i = 3, #ARGV do here[ARGV[i]] = true end
local changed = {}
local key = prefix .. 'online:' .. me
for _, user in ipairs(redis.call('SMEMBERS', key)) do
  if here[user] then
    here[user] = nil
  else
    redis.call('SREM', key, user)
    if depart(user) then table.insert(changed, user) table.insert(changed, '0') end
  end
end
for user in pairs(here) do
  if arrive(me, user) then table.insert(changed, user) table.insert(changed, '1') end
end
return changed
)lua";

// ARGV[3]: how long this instance counts as alive from now, ms. Renews it, forgets the instances
// whose time is up (their accounts go offline where no other instance has them) and returns
// {instances alive, {accounts that went offline}}. The caller announces those to their contacts.
inline constexpr char kHeartbeat[] = R"lua(
local nodes = prefix .. 'nodes'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', nodes, now + tonumber(ARGV[3]), me)
local gone = {}
for _, instance in ipairs(redis.call('ZRANGEBYSCORE', nodes, '-inf', now)) do
  forget(instance, gone)
  redis.call('ZREM', nodes, instance)
end
return {redis.call('ZCARD', nodes), gone}
)lua";

// This instance stops: it counts as gone from now, and the next heartbeat of another instance
// announces its accounts offline.
inline constexpr char kLeave[] = R"lua(
redis.call('ZADD', prefix .. 'nodes', 0, me)
return 0
)lua";

// {presence version, every account online in the cluster}.
inline constexpr char kPresenceSnapshot[] = R"lua(
local version = tonumber(redis.call('GET', prefix .. 'presence:version') or '0')
return {version, redis.call('HKEYS', presence)}
)lua";

} // namespace neonchat::server::scripts
