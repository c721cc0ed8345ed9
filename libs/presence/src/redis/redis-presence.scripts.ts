/**
 * Lua run atomically by Redis, because several poll instances race on one host. A host's key is a hash:
 * while online `connectionId` (compared by the scripts), `record` (the JSON given to markOnline, never
 * re-encoded in Lua: cjson would turn an empty `direct` array into an object) and `lastSeenAt` (moved by
 * touch), with a TTL of about two heartbeats; once offline only `offlineReason` and `offlineAt`, kept longer.
 */

/** KEYS[1] host key; ARGV connectionId, record JSON, lastSeenAt, ttl ms. Returns the replaced fields. */
export const MARK_ONLINE_LUA = `
local previous = redis.call('HMGET', KEYS[1], 'connectionId', 'record', 'lastSeenAt')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'connectionId', ARGV[1], 'record', ARGV[2], 'lastSeenAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return previous
`;

/**
 * KEYS[1] host key; ARGV connectionId, record JSON, lastSeenAt, ttl ms. Returns held, restored (the key
 * was gone and is written again) or replaced (another connection holds the host; nothing changes).
 */
export const TOUCH_LUA = `
local holder = redis.call('HGET', KEYS[1], 'connectionId')
if holder and holder ~= ARGV[1] then return 'replaced' end
if holder then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return 'held'
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'connectionId', ARGV[1], 'record', ARGV[2], 'lastSeenAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 'restored'
`;

/**
 * KEYS[1] host key; ARGV connectionId, reason, at, memory ms. Returns 1 when this connection held the host
 * and its presence ended.
 */
export const MARK_OFFLINE_LUA = `
if redis.call('HGET', KEYS[1], 'connectionId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'offlineReason', ARGV[2], 'offlineAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * KEYS every host key asked for; ARGV the hash fields to read. Returns every key's fields one after the
 * other (a missing field or key is nil), so that a listing of a thousand hosts is one command rather than
 * a thousand HMGETs in a pipeline, each a command object and a promise in the client. The keys may hash to
 * different slots: this needs one Redis (or a primary), not Redis Cluster, like every deployment here.
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
 * KEYS every host key of a host list. Returns four values for each key that holds a connection or an
 * offline note, and nothing for the others (most hosts of a long list): the key's 1-based position, its
 * lastSeenAt while a connection holds it (else nil), offlineReason and offlineAt (nil while online). A
 * thousand hosts cost one command and a reply the size of what is known, no records.
 */
export const READ_LISTING_LUA = `
local values = {}
local n = 0
for i, key in ipairs(KEYS) do
  local f = redis.call('HMGET', key, 'connectionId', 'lastSeenAt', 'offlineReason', 'offlineAt')
  local online = f[1] and f[2]
  if online or (f[3] and f[4]) then
    values[n + 1] = i
    values[n + 2] = online and f[2] or false
    values[n + 3] = (not online) and f[3] or false
    values[n + 4] = (not online) and f[4] or false
    n = n + 4
  end
end
return values
`;
