import 'reflect-metadata';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusClient, BusModule } from '@hostlink/bus';
import { deleteEventStream } from '@hostlink/bus/testing';
import { withCorrelation } from '@hostlink/observability';
import { createTestDatabase, type TestDatabase } from '@hostlink/persistence/testing';
import { connectTestRedis, deleteKeysWithPrefix, testKeyPrefix } from '@hostlink/presence/testing/redis';
import { HostlinkError, Jwks, OpsPath, SessionResponse, Subject } from '@hostlink/protocol';
import { expectEventually, freePort } from '@hostlink/testing';

// The broker's own entry point as an OS process, configured only by environment, against the machine's
// NATS (own subject prefix), Postgres (a fresh schema) and Redis (own key prefix).
const main = fileURLToPath(new URL('../main.js', import.meta.url));
const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const subjectPrefix = `broker_main_${randomBytes(6).toString('hex')}`;
const keyPrefix = testKeyPrefix();
let database: TestDatabase;
let caller: INestApplicationContext;

/** Spawns the main; `exited` settles once the process ended and its stderr is fully read. */
function startMain(environment: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [main], { env: environment, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, exited, stderr: () => stderr };
}

/** Asks until the broker answers (it is still migrating at first), or fails at the deadline. */
async function jwksWithin(ms: number, child: ChildProcess): Promise<Jwks> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await caller.get(BusClient).request(Subject.brokerJwks, {}, Jwks);
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

before(async () => {
  database = await createTestDatabase('postgres');
  caller = await NestFactory.createApplicationContext(
    BusModule.forRoot({
      kind: 'nats',
      servers: natsUrl,
      queue: 'test',
      subjectPrefix,
      requestTimeoutMs: 1000,
    }),
    { logger: false },
  );
});

after(async () => {
  await caller?.close();
  await deleteEventStream({ kind: 'nats', servers: natsUrl, queue: 'test', subjectPrefix });
  await database?.drop();
  const redis = await connectTestRedis(redisUrl);
  await deleteKeysWithPrefix(redis, keyPrefix);
  await redis.quit();
});

/** The JSON log lines the process wrote so far. */
const logLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test('the broker main, configured by environment, answers over NATS and stops cleanly on SIGTERM', async () => {
  assert.equal(database.target.kind, 'postgres');
  const opsPort = await freePort();
  const ops = (path: string) => fetch(`http://127.0.0.1:${opsPort}${path}`);
  const { child, exited, stderr } = startMain({
    PATH: process.env['PATH'],
    NATS_URL: natsUrl,
    NATS_SUBJECT_PREFIX: subjectPrefix,
    DATABASE_URL: database.target.url,
    DATABASE_SCHEMA: database.target.schema,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    PUBLIC_URL: 'http://127.0.0.1:8080',
    POLL_PUBLIC_URL: 'ws://127.0.0.1:8201/agent',
    HOST: '127.0.0.1',
    OPS_PORT: String(opsPort),
    LOG_LEVEL: 'debug',
  });
  try {
    const jwks = await jwksWithin(20_000, child);
    assert.ok(jwks.keys.length >= 1, stderr());
    assert.deepEqual((await caller.get(BusClient).request(Subject.brokerJwks, {}, Jwks)).keys, jwks.keys);

    assert.equal((await ops(OpsPath.live)).status, 200);
    const ready = await expectEventually(async () => {
      const answer = await ops(OpsPath.ready);
      assert.equal(answer.status, 200, stderr());
      return (await answer.json()) as unknown;
    });
    assert.deepEqual(ready, { status: 'ready', checks: { nats: 'up', postgres: 'up', redis: 'up' } });
    const metrics = await (await ops(OpsPath.metrics)).text();
    assert.match(metrics, /^# TYPE hostlink_bus_request_duration_seconds histogram$/m);
    assert.match(metrics, /^process_resident_memory_bytes \d+/m);

    // The id a caller's request carries (as the gateway's would) reaches the broker's log line about it.
    const correlationId = `broker-main-${randomBytes(4).toString('hex')}`;
    const bogus = `eyJhbGciOiJFZERTQSJ9.${Buffer.from('{}').toString('base64url')}.c2ln`;
    await assert.rejects(
      withCorrelation(correlationId, () =>
        caller.get(BusClient).request(Subject.brokerCreateSession, { accessToken: bogus }, SessionResponse),
      ),
      (error: unknown) => error instanceof HostlinkError,
    );
    const line = await expectEventually(() => {
      const found = logLines(stderr()).find((record) => record['correlationId'] === correlationId);
      assert.ok(found, stderr());
      return found;
    });
    assert.deepEqual([line['service'], line['context'], line['level']], ['broker', 'Sessions', 'debug']);
    assert.match(String(line['msg']), /^access token refused/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr());
  } finally {
    child.kill('SIGKILL');
  }
});

test('the broker main refuses to start without its environment, naming each missing variable', async () => {
  const { exited, stderr } = startMain({ PATH: process.env['PATH'], REDIS_URL: 'http://wrong' });
  assert.equal(await exited, 1);
  for (const name of ['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'POLL_PUBLIC_URL']) {
    assert.match(stderr(), new RegExp(`^  - ${name}: `, 'm'));
  }
});
