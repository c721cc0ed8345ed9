import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * `redis-benchmark -P 16` of SET … EX on one key under the run's prefix (it expires by itself): the presence
 * store's own ceiling for a single write, to read poll's heartbeat rate against. Undefined when
 * redis-benchmark is not installed (Debian package redis-tools).
 */
export async function redisSetExCeiling(
  redisUrl: string,
  key: string,
  requests = 200_000,
): Promise<number | undefined> {
  const { hostname, port } = new URL(redisUrl);
  try {
    const { stdout } = await promisify(execFile)(
      'redis-benchmark',
      [
        '-h',
        hostname,
        '-p',
        port || '6379',
        '-P',
        '16',
        '-n',
        String(requests),
        '-q',
        'SET',
        key,
        'v',
        'EX',
        '10',
      ],
      { timeout: 60_000 },
    );
    const rates = [...stdout.matchAll(/([\d.]+) requests per second/g)];
    return rates.length > 0 ? Number(rates[rates.length - 1]![1]) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
