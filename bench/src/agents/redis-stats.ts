import type { connectTestRedis } from '@hostlink/presence/testing/redis';

/** ioredis is a dependency of the presence lib, not of the bench: its type is reached through it. */
export type Redis = Awaited<ReturnType<typeof connectTestRedis>>;

/**
 * Server-wide Redis counters: CPU seconds of the Redis process, and PEXPIRE calls, which scripts' calls
 * count in too: one per presence write (a heartbeat's touch; batched, many share one script call).
 */
export interface RedisCounters {
  cpuSeconds: number;
  presenceWrites: number;
}

export async function redisCounters(redis: Redis): Promise<RedisCounters> {
  const info = `${await redis.info('cpu')}\n${await redis.info('commandstats')}`;
  const number = (pattern: RegExp) => Number(pattern.exec(info)?.[1] ?? 0);
  return {
    cpuSeconds: number(/^used_cpu_user:([\d.]+)/m) + number(/^used_cpu_sys:([\d.]+)/m),
    presenceWrites: number(/^cmdstat_pexpire:calls=(\d+)/m),
  };
}

/**
 * Waits until Redis stops taking presence writes at a rate worth counting (over 400/s: another user of
 * this Redis at a few per second does not hold it up) and returns performance.now() of the last read that
 * still saw them: when poll's last heartbeat write of a step was done.
 */
export async function writesSettled(redis: Redis, timeoutMs: number): Promise<number> {
  const intervalMs = 50;
  const deadline = performance.now() + timeoutMs;
  let last = (await redisCounters(redis)).presenceWrites;
  let busyAt = performance.now();
  let quiet = 0;
  while (quiet < 3 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const calls = (await redisCounters(redis)).presenceWrites;
    if (calls - last > (400 * intervalMs) / 1000) {
      busyAt = performance.now();
      quiet = 0;
    } else quiet += 1;
    last = calls;
  }
  return busyAt;
}

/** Median `MEMORY USAGE` of up to `sample` keys under the prefix: what Redis holds per online host. */
export async function bytesPerKey(redis: Redis, prefix: string, sample = 50): Promise<number> {
  const [, keys] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
  const sizes: number[] = [];
  for (const key of keys.slice(0, sample)) sizes.push(Number(await redis.memory('USAGE', key)));
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] ?? Number.NaN;
}
