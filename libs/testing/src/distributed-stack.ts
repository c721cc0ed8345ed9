import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@hostlink/persistence/testing';
import { connectTestRedis, deleteKeysWithPrefix, testKeyPrefix } from '@hostlink/presence/testing/redis';
import { POLL_PATH, RELAY_WS_PATH } from '@hostlink/protocol';
import type { StackUrls } from './embedded-stack.js';
import { freePort } from './free-port.js';
import { ServiceProcess } from './service-process.js';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

export const pollNames = ['poll-1', 'poll-2'] as const;
export const relayNames = ['relay-1', 'relay-2'] as const;
export const brokerNames = ['broker-1', 'broker-2'] as const;
export type ServiceName =
  | 'gateway'
  | 'auth'
  | (typeof brokerNames)[number]
  | (typeof pollNames)[number]
  | (typeof relayNames)[number];
export type ListeningService = 'gateway' | (typeof pollNames)[number] | (typeof relayNames)[number];
export const serviceNames: readonly ServiceName[] = [
  'gateway',
  'auth',
  ...brokerNames,
  ...pollNames,
  ...relayNames,
];

export interface DistributedStackOptions {
  /** Short, so that presence expiry and failover tests stay fast (the presence TTL is three of them). */
  heartbeatSeconds?: number;
}

export interface DistributedStack {
  /** `poll` is the one address of every poll instance (a balancer); `relay` is the first relay. */
  urls: StackUrls & { relays: Record<(typeof relayNames)[number], string> };
  admin: { email: string; password: string };
  heartbeatSeconds: number;
  /** Each listening service's own port (gateway, poll and relay instances). */
  ports: Record<ListeningService, number>;
  /** The TCP path from every service to Postgres: `cut()` makes the database unreachable. */
  database: TcpForwarder;
  /** Sends `signal` (default SIGKILL) to one service and waits until it is gone. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a service again (stopping it first if it runs), same environment, same ports. */
  restart(name: ServiceName): Promise<void>;
  /** What the service's `/health/ready` says now (false when it does not answer). */
  ready(name: ServiceName): Promise<boolean>;
  /** Every service's recent output, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

interface Infrastructure {
  natsUrl: string;
  redisUrl: string;
  subjectPrefix: string;
  keyPrefix: string;
  database: TestDatabase;
  databaseProxy: TcpForwarder;
  /** What the services are given: Postgres through the proxy, and the fresh schema. */
  databaseEnv: { DATABASE_URL: string; DATABASE_SCHEMA: string };
}

/**
 * The distributed platform as separate OS processes: gateway, auth, two brokers, two poll instances
 * behind one balancer address (as behind a Kubernetes Service) and two individually addressed relays,
 * on the machine's NATS (own subject prefix), Redis (own key prefix) and Postgres (a fresh schema, reached
 * through a proxy that tests can cut).
 */
export async function startDistributedStack(
  options: DistributedStackOptions = {},
): Promise<DistributedStack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      // Ports are picked free, then released for the services to bind: a test file running beside this
      // one may take one in between. That is the harness's race, not the platform's; start again afresh.
      if (attempt === 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: DistributedStackOptions): Promise<DistributedStack> {
  const heartbeatSeconds = options.heartbeatSeconds ?? 1;
  const infra = await infrastructure();
  const ports = await servicePorts();
  const pollBalancer = await startTcpForwarder(pollNames.map((name) => ports[name]));
  const gateway = `http://127.0.0.1:${ports.gateway}`;
  const urls = {
    gateway,
    poll: `ws://127.0.0.1:${pollBalancer.port}${POLL_PATH}`,
    relay: relayUrl(ports['relay-1']),
    relays: { 'relay-1': relayUrl(ports['relay-1']), 'relay-2': relayUrl(ports['relay-2']) },
  };
  const admin = { email: 'admin@example.test', password: 'correct horse battery staple' };
  const services = await serviceProcesses(infra, ports, urls, { heartbeatSeconds, admin });
  const stop = async () => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await pollBalancer.close();
    await releaseInfrastructure(infra);
  };
  const logs = () => [...services].map(([name, service]) => `===== ${name}\n${service.output()}`).join('\n');
  try {
    // Auth first: it runs the migrations on the empty schema and creates the first admin; then everyone
    // else, relays last so that their first load report finds the brokers listening.
    await services.get('auth')!.start();
    await Promise.all(
      (['gateway', ...brokerNames, ...pollNames] as const).map((name) => services.get(name)!.start()),
    );
    await Promise.all(relayNames.map((name) => services.get(name)!.start()));
  } catch (error) {
    await stop();
    throw new Error(`the distributed stack did not start: ${(error as Error).message}`);
  }
  const service = (name: ServiceName) => services.get(name)!;
  return {
    urls,
    admin,
    heartbeatSeconds,
    ports,
    database: infra.databaseProxy,
    kill: (name, signal) => service(name).kill(signal),
    restart: (name) => service(name).restart(),
    ready: (name) => service(name).isReady(),
    logs,
    stop,
  };
}

function relayUrl(port: number): string {
  return `ws://127.0.0.1:${port}${RELAY_WS_PATH}`;
}

async function infrastructure(): Promise<Infrastructure> {
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  // Fails with how to start Redis when it is not there, rather than leaving services retrying for ever.
  await (await connectTestRedis(redisUrl)).quit();
  const database = await createTestDatabase('postgres');
  if (database.target.kind !== 'postgres' || !database.target.schema)
    throw new Error('expected a Postgres test database with a schema of its own');
  const viaProxy = new URL(database.target.url);
  const databaseProxy = await startTcpForwarder([Number(viaProxy.port || 5432)], viaProxy.hostname);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(databaseProxy.port);
  return {
    natsUrl,
    redisUrl,
    subjectPrefix: `dist_${randomBytes(6).toString('hex')}`,
    keyPrefix: testKeyPrefix(),
    database,
    databaseProxy,
    databaseEnv: { DATABASE_URL: viaProxy.toString(), DATABASE_SCHEMA: database.target.schema },
  };
}

async function releaseInfrastructure(infra: Infrastructure): Promise<void> {
  await infra.databaseProxy.close();
  await infra.database.drop();
  const redis = await connectTestRedis(infra.redisUrl);
  await deleteKeysWithPrefix(redis, infra.keyPrefix);
  await redis.quit();
}

async function servicePorts(): Promise<Record<ListeningService, number>> {
  const names: ListeningService[] = ['gateway', ...pollNames, ...relayNames];
  const ports = await Promise.all(names.map(() => freePort()));
  return Object.fromEntries(names.map((name, index) => [name, ports[index]!])) as Record<
    ListeningService,
    number
  >;
}

/** Each service's environment, exactly what a deployment would set. */
async function serviceProcesses(
  infra: Infrastructure,
  ports: Record<ListeningService, number>,
  urls: DistributedStack['urls'],
  settings: { heartbeatSeconds: number; admin: DistributedStack['admin'] },
): Promise<Map<ServiceName, ServiceProcess>> {
  const common = (name: ServiceName) => ({
    NATS_URL: infra.natsUrl,
    NATS_SUBJECT_PREFIX: infra.subjectPrefix,
    INSTANCE_ID: name,
    HOST: '127.0.0.1',
  });
  const database = infra.databaseEnv;
  const redis = { REDIS_URL: infra.redisUrl, REDIS_KEY_PREFIX: infra.keyPrefix };
  const listen = (name: ListeningService) => ({ PORT: String(ports[name]) });
  const auth = { ...database, PUBLIC_URL: urls.gateway };
  const admin = { ADMIN_EMAIL: settings.admin.email, ADMIN_PASSWORD: settings.admin.password };
  const environments: { name: ServiceName; app: string; env: Record<string, string> }[] = [
    { name: 'auth', app: 'auth', env: { ...auth, ...admin } },
    { name: 'gateway', app: 'gateway', env: { ...listen('gateway'), PUBLIC_URL: urls.gateway } },
    ...brokerNames.map((name) => ({
      name,
      app: 'broker',
      env: { ...auth, ...redis, POLL_PUBLIC_URL: urls.poll },
    })),
    ...pollNames.map((name) => ({
      name,
      app: 'poll',
      env: { ...redis, ...listen(name), HEARTBEAT_SECONDS: String(settings.heartbeatSeconds) },
    })),
    ...relayNames.map((name) => ({
      name,
      app: 'relay',
      env: {
        ...listen(name),
        RELAY_PUBLIC_URL: urls.relays[name],
        RELAY_PUBLIC_TCP_URL: `tcp://127.0.0.1:${ports[name]}`,
        PUBLIC_URL: urls.gateway,
      },
    })),
  ];
  const services = new Map<ServiceName, ServiceProcess>();
  for (const { name, app, env } of environments) {
    // Every service serves its health and metrics on a port of its own: many share this machine.
    const ops = await freePort();
    services.set(
      name,
      new ServiceProcess(name, app, { ...common(name), OPS_PORT: String(ops), ...env }, ops),
    );
  }
  return services;
}
