/**
 * Lua run atomically by Redis, because several poll instances race on one host. A host's key is a hash:
 * `connectionId` (compared by the scripts), `record` (the JSON given to markOnline, never re-encoded in
 * Lua: cjson would turn an empty `direct` array into an object) and `lastSeenAt` (moved by touch).
 */

/** KEYS[1] host key; ARGV connectionId, record JSON, lastSeenAt, ttl ms. Returns the replaced fields. */
export const MARK_ONLINE_LUA = `
local previous = redis.call('HMGET', KEYS[1], 'connectionId', 'record', 'lastSeenAt')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'connectionId', ARGV[1], 'record', ARGV[2], 'lastSeenAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return previous
`;

/** KEYS[1] host key; ARGV connectionId, lastSeenAt, ttl ms. Returns 1 when this connection holds the host. */
export const TOUCH_LUA = `
if redis.call('HGET', KEYS[1], 'connectionId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** KEYS[1] host key; ARGV connectionId. Returns 1 when this connection held the host and it was removed. */
export const MARK_OFFLINE_LUA = `
if redis.call('HGET', KEYS[1], 'connectionId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
