import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where tests find Redis: `REDIS_URL`, or the local default. */
export function testRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
}

/** A key prefix of its own for one test run, so runs never see each other's keys. */
export function testKeyPrefix(): string {
  return `hostlink-test:${randomUUID()}:`;
}

/**
 * A connection that fails fast instead of retrying for ever: a missing Redis must fail the tests with a
 * message saying how to start it, never skip them or hang.
 */
export async function connectTestRedis(url = testRedisUrl()): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints every connection error; connect() only says "Connection is closed".
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    const cause = socketError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new Error(
      `Redis not reachable at ${url} (${cause}): start it with \`redis-server --daemonize yes --port 6379\` ` +
        'or set REDIS_URL',
      { cause: error },
    );
  }
}

/** Deletes every key under a test prefix (SCAN, so a shared Redis is never blocked). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}
