/**
 * Lua run atomically by Redis, because several poll instances race on one host. Two keys per host:
 *
 * - the host's hash: while a connection holds it, `connectionId`, `record` (the JSON given to markOnline,
 *   never re-encoded in Lua: cjson would turn an empty `direct` array into an object), `live` (the name of
 *   the connection's live key), `ttl` and `since` (the live key's expiry time minus its TTL when it was
 *   written, in ms); no TTL of its own. Once offline, only `offlineReason` and `offlineAt`, kept longer.
 * - the connection's live key (an empty string, named after host and connection) with the presence TTL:
 *   the connection holds the host exactly while it exists.
 *
 * So a heartbeat is one PEXPIRE of the live key: it fails once another connection took the host (its live
 * key was deleted then) or the TTL ran out, and nothing else needs reading. `lastSeenAt` is not written at
 * all: it is the live key's expiry time (PEXPIRETIME, Redis 7) minus its TTL.
 */

/**
 * KEYS[1] host hash, KEYS[2] the new connection's live key; ARGV connectionId, record JSON, ttl ms.
 * Returns the replaced connection's record JSON, last seen ms and `since` ms, when another live one held it.
 */
export const MARK_ONLINE_LUA = `
local previous = redis.call('HMGET', KEYS[1], 'connectionId', 'record', 'live', 'ttl', 'since')
local replaced = false
if previous[3] and previous[1] ~= ARGV[1] then
  local expires = redis.call('PEXPIRETIME', previous[3])
  if expires > 0 then replaced = {previous[2], expires - tonumber(previous[4]), previous[5]} end
  redis.call('DEL', previous[3])
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '', 'PX', ARGV[3])
local since = redis.call('PEXPIRETIME', KEYS[2]) - tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'connectionId', ARGV[1], 'record', ARGV[2], 'live', KEYS[2], 'ttl', ARGV[3], 'since', since)
return replaced
`;

/**
 * KEYS every touched connection's live key; ARGV[1] ttl ms. Returns the 1-based positions of the keys that
 * are gone (replaced or lost: the caller tells which from the hash), none when every connection held.
 */
export const TOUCH_MANY_LUA = `
local gone = {}
for i, key in ipairs(KEYS) do
  if redis.call('PEXPIRE', key, ARGV[1]) == 0 then gone[#gone + 1] = i end
end
return gone
`;

/**
 * KEYS[1] host hash; ARGV connectionId, whose live key was gone at its touch. Returns replaced when another
 * connection holds the host with its live key, else lost (the caller may restore it).
 */
export const TOUCH_GONE_LUA = `
local holder = redis.call('HMGET', KEYS[1], 'connectionId', 'live')
if holder[1] and holder[1] ~= ARGV[1] and holder[2] and redis.call('EXISTS', holder[2]) == 1 then
  return 'replaced'
end
return 'lost'
`;

/**
 * KEYS[1] host hash, KEYS[2] the connection's live key; ARGV connectionId, record JSON, ttl ms. Writes the
 * record again unless another connection holds the host with its live key. Returns 1 when written.
 */
export const RESTORE_LUA = `
local holder = redis.call('HMGET', KEYS[1], 'connectionId', 'live')
if holder[1] and holder[1] ~= ARGV[1] and holder[2] and redis.call('EXISTS', holder[2]) == 1 then return 0 end
if holder[2] and holder[2] ~= KEYS[2] then redis.call('DEL', holder[2]) end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '', 'PX', ARGV[3])
local since = redis.call('PEXPIRETIME', KEYS[2]) - tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'connectionId', ARGV[1], 'record', ARGV[2], 'live', KEYS[2], 'ttl', ARGV[3], 'since', since)
return 1
`;

/**
 * KEYS[1] host hash, KEYS[2] the connection's live key; ARGV connectionId, reason, at, memory ms. Returns 1
 * when this connection held the host and its presence ended; a connection whose TTL had run out only
 * leaves nothing behind.
 */
export const MARK_OFFLINE_LUA = `
if redis.call('HGET', KEYS[1], 'connectionId') ~= ARGV[1] then return 0 end
local live = redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
if live == 0 then return 0 end
redis.call('HSET', KEYS[1], 'offlineReason', ARGV[2], 'offlineAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * KEYS every host hash asked for. Returns three values per key: the record JSON, last seen ms and `since`
 * ms while a live connection holds the host, else three nils. The keys may hash to different slots: this
 * needs one Redis (or a primary), not Redis Cluster, like every deployment here.
 */
export const READ_ONLINE_LUA = `
local values = {}
for i, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'record', 'live', 'ttl', 'since')
  local expires = fields[2] and redis.call('PEXPIRETIME', fields[2]) or -2
  if expires > 0 then
    values[3 * i - 2] = fields[1]
    values[3 * i - 1] = expires - tonumber(fields[3])
    values[3 * i] = fields[4]
  else
    values[3 * i - 2] = false
    values[3 * i - 1] = false
    values[3 * i] = false
  end
end
return values
`;

/**
 * KEYS every host key asked for; ARGV the hash fields to read. Returns every key's fields one after the
 * other (a missing field or key is nil), so that a listing of a thousand hosts is one command rather than
 * a thousand HMGETs in a pipeline, each a command object and a promise in the client.
 */
export const READ_FIELDS_LUA = `
local values = {}
local n = 0
for _, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, unpack(ARGV))
  for i = 1, #ARGV do
    n = n + 1
    values[n] = fields[i]
  end
end
return values
`;

/**
 * KEYS every host hash of a host list. Returns four values for each host that a live connection holds or
 * that has an offline note, and nothing for the others (most hosts of a long list): the key's 1-based
 * position, then while online its last seen ms (as READ_ONLINE_LUA) and, only until its first heartbeat
 * moved that past `since`, the record JSON (whose lastSeenAt it still is); once offline, offlineReason and
 * offlineAt. A thousand hosts cost one command and a reply about the size of what is known.
 */
export const READ_LISTING_LUA = `
local values = {}
local n = 0
for i, key in ipairs(KEYS) do
  local f = redis.call('HMGET', key, 'live', 'ttl', 'since', 'record', 'offlineReason', 'offlineAt')
  local expires = f[1] and redis.call('PEXPIRETIME', f[1]) or -2
  if expires > 0 then
    local seen = expires - tonumber(f[2])
    values[n + 1] = i
    values[n + 2] = seen
    values[n + 3] = seen <= tonumber(f[3]) and f[4] or false
    values[n + 4] = false
    n = n + 4
  elseif f[5] and f[6] and not f[1] then
    values[n + 1] = i
    values[n + 2] = false
    values[n + 3] = f[5]
    values[n + 4] = f[6]
    n = n + 4
  end
end
return values
`;
