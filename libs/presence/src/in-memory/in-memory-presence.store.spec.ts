import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { presenceStoreContract } from '../testing/presence-store.contract.js';
import { InMemoryPresenceStore } from './in-memory-presence.store.js';

presenceStoreContract('in memory', () => {
  const store = new InMemoryPresenceStore({ sweepIntervalMs: 20 });
  return { store, close: () => store.close() };
});

function online(hostId: string, connectionId: string) {
  const at = new Date(0).toISOString();
  return { hostId, pollId: 'p', connectionId, connectedAt: at, lastSeenAt: at, direct: [] };
}

test('the sweeper reports each expired record once and only expired ones', async () => {
  let now = 1000;
  const store = new InMemoryPresenceStore({ now: () => now, sweepIntervalMs: 60_000 });
  const expired: string[] = [];
  store.onExpired((record) => expired.push(record.hostId));
  const [silent, alive] = [randomUUID(), randomUUID()];
  await store.markOnline(online(silent, 'c1'), 100);
  await store.markOnline(online(alive, 'c2'), 500);
  now += 200;
  store.sweep();
  store.sweep();
  assert.deepEqual(expired, [silent]);
  assert.deepEqual([...(await store.get([silent, alive])).keys()], [alive]);
  store.close();
});

test('an offline host is not reported again by the sweeper', async () => {
  let now = 0;
  const store = new InMemoryPresenceStore({ now: () => now });
  const expired: string[] = [];
  const unsubscribe = store.onExpired((record) => expired.push(record.hostId));
  const hostId = randomUUID();
  await store.markOnline(online(hostId, 'c1'), 100);
  assert.equal(await store.markOffline(hostId, 'c1', 'clean-stop'), true);
  now = 1000;
  store.sweep();
  unsubscribe();
  assert.deepEqual(expired, []);
  store.close();
});
