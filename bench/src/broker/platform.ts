import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@hostlink/persistence/testing';
import { connectTestRedis, deleteKeysWithPrefix, testRedisUrl } from '@hostlink/presence/testing/redis';
import { POLL_PATH, RELAY_WS_PATH } from '@hostlink/protocol';
import { freePort } from '@hostlink/testing';
import { ServiceProcess } from '../agents/service-process.js';

export interface PlatformOptions {
  natsUrl: string;
  logDir: string;
  /** Extra node arguments for the broker and gateway processes, e.g. `--cpu-prof`. */
  profiledNodeArgs?: string[];
}

/** One instance of each service, as a distributed deployment runs them, on a fresh Postgres schema. */
export interface Platform {
  gatewayUrl: string;
  admin: { email: string; password: string };
  natsUrl: string;
  subjectPrefix: string;
  broker: ServiceProcess;
  gateway: ServiceProcess;
  services: ServiceProcess[];
  stop(): Promise<void>;
}

const READY = /Nest application successfully started/;

/**
 * `node apps/<app>/dist/main.js` for auth, broker, gateway, poll and relay, each configured by its
 * environment only, on the machine's NATS (own subject prefix), Redis (own key prefix) and Postgres (a fresh
 * schema, reached directly: no proxy in the path, so database round trips cost what they cost in production).
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      // Ports are picked free, then bound by the services: a process of another run on this machine may
      // take one in between. Start again afresh with new ports.
      if (attempt === 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: PlatformOptions): Promise<Platform> {
  const database = await createTestDatabase('postgres');
  if (database.target.kind !== 'postgres' || !database.target.schema)
    throw new Error('expected a Postgres test database with a schema of its own');
  const runId = randomBytes(6).toString('hex');
  const subjectPrefix = `bench_broker_${runId}`;
  const redisKeyPrefix = `hostlink-bench-broker:${runId}:`;
  // Every port is picked before anything binds: distinct from each other, not only free now.
  const ports = await distinctFreePorts(8);
  const [gatewayPort, pollPort, relayPort] = ports.splice(0, 3) as [number, number, number];
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const admin = { email: 'bench-admin@example.test', password: 'bench password, long enough' };
  const services: ServiceProcess[] = [];
  const stop = async () => {
    for (const service of [...services].reverse()) await service.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
    const redis = await connectTestRedis(testRedisUrl());
    await deleteKeysWithPrefix(redis, redisKeyPrefix);
    redis.disconnect();
  };
  const common = (name: string) => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    NATS_URL: options.natsUrl,
    NATS_SUBJECT_PREFIX: subjectPrefix,
    INSTANCE_ID: name,
    HOST: '127.0.0.1',
    OPS_PORT: String(ports.shift()),
    // Info lines are what production logs too; the bench measures with them on.
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
  });
  const start = async (name: string, env: Record<string, string>, nodeArgs: string[] = []) => {
    const service = await ServiceProcess.start(
      name,
      `apps/${name}/dist/main.js`,
      { ...common(name), ...env },
      { logDir: options.logDir, ready: READY, timeoutMs: 60_000, nodeArgs },
    );
    services.push(service);
    return service;
  };
  const db = databaseEnv(database);
  const redis = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: redisKeyPrefix };
  try {
    // Auth first: it runs the migrations on the empty schema and creates the first admin.
    await start('auth', {
      ...db,
      PUBLIC_URL: gatewayUrl,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    const pollUrl = `ws://127.0.0.1:${pollPort}${POLL_PATH}`;
    const broker = await start(
      'broker',
      { ...db, ...redis, PUBLIC_URL: gatewayUrl, POLL_PUBLIC_URL: pollUrl },
      options.profiledNodeArgs,
    );
    const gateway = await start(
      'gateway',
      { PORT: String(gatewayPort), PUBLIC_URL: gatewayUrl },
      options.profiledNodeArgs,
    );
    await start('poll', { ...redis, PORT: String(pollPort), HEARTBEAT_SECONDS: '5' });
    await start('relay', {
      PORT: String(relayPort),
      RELAY_PUBLIC_URL: `ws://127.0.0.1:${relayPort}${RELAY_WS_PATH}`,
      PUBLIC_URL: gatewayUrl,
      // Every brokered connect has the agent open a relay leg no client joins: let them go quickly.
      PAIR_TIMEOUT_SECONDS: '2',
    });
    return { gatewayUrl, admin, natsUrl: options.natsUrl, subjectPrefix, broker, gateway, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function databaseEnv(database: TestDatabase): Record<string, string> {
  if (database.target.kind !== 'postgres') throw new Error('expected Postgres');
  return { DATABASE_URL: database.target.url, DATABASE_SCHEMA: database.target.schema ?? '' };
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
