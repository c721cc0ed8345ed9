export * from './presence.store.js';
export * from './in-memory/in-memory-presence.store.js';
export * from './redis/redis-presence.store.js';
export * from './redis/presence-redis.connection.js';
