import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import type { PresenceRecord } from '../presence.store.js';
import { presenceStoreContract } from '../testing/presence-store.contract.js';
import { connectTestRedis, deleteKeysWithPrefix, testKeyPrefix } from '../testing/redis-test-connection.js';
import { hostHashKey, liveKey, type PresenceCommands } from './redis-presence.commands.js';
import { RedisPresenceStore } from './redis-presence.store.js';

const keyPrefix = testKeyPrefix();
const connections: Redis[] = [];

async function connect(): Promise<Redis> {
  const redis = await connectTestRedis();
  connections.push(redis);
  return redis;
}

async function openStore(prefix = keyPrefix): Promise<RedisPresenceStore> {
  return new RedisPresenceStore({ redis: await connect(), keyPrefix: prefix });
}

after(async () => {
  const admin = await connect();
  await deleteKeysWithPrefix(admin, keyPrefix);
  assert.deepEqual(await admin.keys(`${keyPrefix}*`), []);
  for (const redis of connections) if (redis.status === 'ready') await redis.quit();
});

presenceStoreContract('redis', async () => {
  const redis = await connectTestRedis();
  return {
    store: new RedisPresenceStore({ redis, keyPrefix }),
    close: () => redis.quit().then(() => undefined),
  };
});

function record(hostId: string, overrides: Partial<PresenceRecord> = {}): PresenceRecord {
  const at = new Date().toISOString();
  const base = { hostId, pollId: 'poll-a', connectionId: randomUUID(), connectedAt: at, lastSeenAt: at };
  return { ...base, direct: [{ address: '10.0.0.2', port: 53000 }], ...overrides };
}

async function eventually(check: () => Promise<boolean>, what: string, deadlineMs = 3000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisPresenceStore across poll instances', () => {
  test('two instances racing markOnline: the later one holds the host, the other cannot touch or remove it', async () => {
    const [pollA, pollB] = [await openStore(), await openStore()];
    for (let round = 0; round < 25; round++) {
      const hostId = randomUUID();
      const a = record(hostId, { pollId: 'poll-a' });
      const b = record(hostId, { pollId: 'poll-b' });
      const [replacedByA, replacedByB] = await Promise.all([
        pollA.markOnline(a, 10_000),
        pollB.markOnline(b, 10_000),
      ]);
      // Atomic scripts: exactly one call saw the other's record, and it is the one that holds the host.
      assert.equal([replacedByA, replacedByB].filter(Boolean).length, 1);
      const [holder, loser, holderStore, loserStore] =
        replacedByB === undefined ? [a, b, pollA, pollB] : [b, a, pollB, pollA];
      assert.deepEqual(replacedByA ?? replacedByB, loser);
      assert.equal(await loserStore.touch(hostId, loser.connectionId, 10_000), 'replaced');
      assert.equal(await loserStore.markOffline(hostId, loser.connectionId, 'replaced'), false);
      assert.deepEqual((await loserStore.get([hostId])).get(hostId), holder);
      assert.equal(await holderStore.markOffline(hostId, holder.connectionId, 'clean-stop'), true);
    }
  });

  test('an older connection on another instance cannot touch or remove the newer one', async () => {
    const [pollA, pollB] = [await openStore(), await openStore()];
    const older = record(randomUUID(), { pollId: 'poll-a' });
    const newer = record(older.hostId, { pollId: 'poll-b' });
    await pollA.markOnline(older, 10_000);
    assert.deepEqual(await pollB.markOnline(newer, 10_000), older);
    assert.equal(await pollA.touch(older.hostId, older.connectionId, 10_000), 'replaced');
    assert.equal(await pollA.markOffline(older.hostId, older.connectionId, 'timeout'), false);
    assert.deepEqual((await pollA.get([older.hostId])).get(older.hostId), newer);
  });
});

describe('RedisPresenceStore in Redis', () => {
  test('the live key carries a PX TTL that Redis enforces, and touch extends it; the hash has none', async () => {
    const redis = await connect();
    const store = new RedisPresenceStore({ redis, keyPrefix });
    const [silent, beating] = [record(randomUUID()), record(randomUUID())];
    const live = (host: PresenceRecord) => liveKey(keyPrefix, host.hostId, host.connectionId);
    await store.markOnline(silent, 200);
    await store.markOnline(beating, 200);
    const ttl = await redis.pttl(live(silent));
    assert.ok(ttl > 0 && ttl <= 200, `PTTL ${ttl}`);
    assert.equal(await redis.pttl(hostHashKey(keyPrefix, silent.hostId)), -1);
    assert.equal(await store.touch(beating.hostId, beating.connectionId, 60_000), 'held');
    assert.ok((await redis.pttl(live(beating))) > 50_000);
    await eventually(async () => (await redis.exists(live(silent))) === 0, 'Redis to expire the key');
    assert.deepEqual([...(await store.get([silent.hostId, beating.hostId])).keys()], [beating.hostId]);
    assert.equal(await store.markOffline(silent.hostId, silent.connectionId, 'timeout'), false);
    assert.equal(await redis.exists(hostHashKey(keyPrefix, silent.hostId)), 0, 'nothing left behind');
  });

  test('heartbeats of one event-loop turn go to Redis as one script call per thousand', async () => {
    const redis = await connect();
    const store = new RedisPresenceStore({ redis, keyPrefix });
    const calls: number[] = [];
    const commands = redis as unknown as PresenceCommands;
    const touchMany = commands.hostlinkPresenceTouchMany.bind(redis);
    commands.hostlinkPresenceTouchMany = (count, ...args) => {
      calls.push(count);
      return touchMany(count, ...args);
    };
    const hosts = Array.from({ length: 1200 }, () => record(randomUUID()));
    await Promise.all(hosts.map((host) => store.markOnline(host, 10_000)));
    const answers = await Promise.all(
      [...hosts, ...hosts].map((host) => store.touch(host.hostId, host.connectionId, 10_000)),
    );
    assert.deepEqual(new Set(answers), new Set(['held']));
    assert.deepEqual(calls, [1000, 1000, 400]);
  });

  test('a heartbeat sent in the same turn as its own goodbye does not bring the host back', async () => {
    const store = await openStore();
    const online = record(randomUUID());
    await store.markOnline(online, 10_000);
    const [touched, ended] = await Promise.all([
      store.touch(online.hostId, online.connectionId, 10_000),
      store.markOffline(online.hostId, online.connectionId, 'clean-stop'),
    ]);
    assert.equal(ended, true);
    assert.ok(touched === 'held' || touched === 'lost', touched);
    assert.equal((await store.get([online.hostId])).size, 0);
    assert.equal((await store.lastOffline([online.hostId])).get(online.hostId)?.reason, 'clean-stop');
  });

  test('hostile names and candidates round-trip exactly, through touch as well', async () => {
    const store = await openStore();
    const hostile = [
      `"quote" 'single' \\ back\\slash`,
      'line\nbreak\r\ttab\u0000nul\u2028sep',
      "]]--[[ lua'); redis.call('FLUSHALL') --",
      '{"connectionId":"x"}',
      'ünïcødé 🖥️👩‍💻 \u202e bidi',
      'x'.repeat(128),
    ];
    for (const text of hostile) {
      const online = record(randomUUID(), {
        pollId: text,
        connectionId: text,
        direct: [
          { address: text, port: 65535 },
          { address: 'fe80::1%eth0', port: 1 },
        ],
      });
      await store.markOnline(online, 10_000);
      assert.deepEqual((await store.get([online.hostId])).get(online.hostId), online);
      assert.equal(await store.touch(online.hostId, text, 10_000), 'held');
      const touched = (await store.get([online.hostId])).get(online.hostId);
      assert.deepEqual({ ...touched, lastSeenAt: online.lastSeenAt }, online);
      assert.equal(await store.markOffline(online.hostId, text, 'clean-stop'), true);
    }
  });

  test('presence lost with Redis (a restart without persistence) is put back by restore', async () => {
    const redis = await connect();
    const store = new RedisPresenceStore({ redis, keyPrefix });
    const online = record(randomUUID(), { direct: [{ address: '192.0.2.7', port: 53001 }] });
    await store.markOnline(online, 10_000);
    await redis.del(
      hostHashKey(keyPrefix, online.hostId),
      liveKey(keyPrefix, online.hostId, online.connectionId),
    );
    assert.equal((await store.get([online.hostId])).size, 0);
    assert.equal(await store.touch(online.hostId, online.connectionId, 10_000), 'lost');
    assert.equal(await store.restore(online, 10_000), 'restored');
    assert.deepEqual((await store.get([online.hostId])).get(online.hostId), online);
    assert.ok((await redis.pttl(liveKey(keyPrefix, online.hostId, online.connectionId))) > 9000);
  });

  test('live keys of two hosts never meet, whatever their ids hold', () => {
    assert.notEqual(liveKey('p:', 'a:b', 'c'), liveKey('p:', 'a', 'b:c'));
    assert.ok(!liveKey('p:', 'h', 'c').startsWith(hostHashKey('p:', '')));
  });

  test('no direct candidates reads back as an empty array', async () => {
    const store = await openStore();
    const online = record(randomUUID(), { direct: [] });
    await store.markOnline(online, 10_000);
    await store.touch(online.hostId, online.connectionId, 10_000);
    assert.deepEqual((await store.get([online.hostId])).get(online.hostId)?.direct, []);
  });

  test('get reads many hosts at once and only the online ones', async () => {
    const store = await openStore();
    const online = Array.from({ length: 40 }, () => record(randomUUID()));
    for (const each of online) await store.markOnline(each, 10_000);
    const asked = online.flatMap((each) => [each.hostId, randomUUID()]);
    const found = await store.get(asked);
    assert.deepEqual(new Set(found.keys()), new Set(online.map((each) => each.hostId)));
    assert.deepEqual(found.get(online[7]!.hostId), online[7]);
    assert.equal((await store.get([])).size, 0);
  });

  test('the key prefix isolates two deployments sharing one Redis', async () => {
    const mine = await openStore();
    const theirs = await openStore(`${keyPrefix}other:`);
    const online = record(randomUUID());
    await mine.markOnline(online, 10_000);
    assert.equal((await theirs.get([online.hostId])).size, 0);
    assert.equal(await theirs.markOffline(online.hostId, online.connectionId, 'clean-stop'), false);
    assert.equal((await mine.get([online.hostId])).size, 1);
  });

  test('a TTL that Redis cannot honour is refused and nothing is stored', async () => {
    const store = await openStore();
    const online = record(randomUUID());
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(store.markOnline(online, ttl), RangeError);
      await assert.rejects(store.restore(online, ttl), RangeError);
      await assert.rejects(store.touch(online.hostId, online.connectionId, ttl), RangeError);
    }
    assert.equal((await store.get([online.hostId])).size, 0);
  });

  test('a malformed value under a presence key fails loudly, naming the key', async () => {
    const redis = await connect();
    const store = new RedisPresenceStore({ redis, keyPrefix });
    const hostId = randomUUID();
    const key = hostHashKey(keyPrefix, hostId);
    const live = liveKey(keyPrefix, hostId, 'c');
    await redis.set(live, '', 'PX', 10_000);
    await redis.hset(
      key,
      'connectionId',
      'c',
      'record',
      '{"hostId":1}',
      'live',
      live,
      'ttl',
      10_000,
      'since',
      0,
    );
    await assert.rejects(store.get([hostId]), new RegExp(`malformed presence record in Redis at ${key}`));
  });

  test('the listing leaves out an offline note it does not know, or one half written', async () => {
    const redis = await connect();
    const store = new RedisPresenceStore({ redis, keyPrefix });
    const [odd, half, known] = [randomUUID(), randomUUID(), randomUUID()];
    const key = (hostId: string) => `${keyPrefix}presence:${hostId}`;
    await redis.hset(key(odd), 'offlineReason', '<script>', 'offlineAt', new Date().toISOString());
    await redis.hset(key(half), 'offlineReason', 'timeout');
    await redis.hset(key(known), 'offlineReason', 'timeout', 'offlineAt', '2030-01-01T00:00:00.000Z');
    const listed = await store.listing([odd, half, known]);
    assert.deepEqual(
      [...listed],
      [[known, { online: false, offline: { reason: 'timeout', at: '2030-01-01T00:00:00.000Z' } }]],
    );
  });
});

test('a missing Redis fails fast with how to start it', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const started = Date.now();
  await assert.rejects(
    connectTestRedis(`redis://127.0.0.1:${port}`),
    /Redis not reachable at redis:\/\/127\.0\.0\.1:\d+ .*redis-server --daemonize yes --port 6379/,
  );
  assert.ok(Date.now() - started < 3000, 'took too long to give up');
});
