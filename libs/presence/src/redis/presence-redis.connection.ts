import { Redis } from 'ioredis';
import { reconnectingRedisOptions, RedisPresenceStore } from './redis-presence.store.js';

export interface ServicePresenceOptions {
  url: string;
  keyPrefix?: string;
  /** ioredis reports every failed attempt as an `error` event, which must have a listener (e.g. the logger). */
  onError: (error: Error) => void;
}

/**
 * A service's presence store on its own Redis connection, which reconnects by itself after a Redis
 * restart. The service calls `disconnect` once its app is closed; `ping` is its readiness check.
 */
export function connectServicePresence(options: ServicePresenceOptions): {
  store: RedisPresenceStore;
  ping: () => Promise<void>;
  disconnect: () => void;
} {
  const redis = new Redis(options.url, reconnectingRedisOptions());
  redis.on('error', options.onError);
  const store = new RedisPresenceStore({ redis, keyPrefix: options.keyPrefix });
  return {
    store,
    ping: async () => {
      await redis.ping();
    },
    disconnect: () => redis.disconnect(),
  };
}
