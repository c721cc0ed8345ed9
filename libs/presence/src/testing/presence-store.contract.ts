import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type { PresenceRecord, PresenceStore } from '../presence.store.js';

export interface ContractStore {
  store: PresenceStore;
  /** Releases the store's resources (timers, connections). */
  close(): Promise<void> | void;
}

const TTL_MS = 10_000;

function record(hostId: string, connectionId = randomUUID(), pollId = 'poll-a'): PresenceRecord {
  const at = new Date().toISOString();
  return {
    hostId,
    pollId,
    connectionId,
    connectedAt: at,
    lastSeenAt: at,
    direct: [{ address: '10.0.0.2', port: 53000 }],
  };
}

/** A time read back from the store (whose clock may be Redis's) within a second of `expected`. */
function assertAround(iso: string | undefined, expected: number): void {
  const at = Date.parse(iso ?? '');
  assert.ok(Math.abs(at - expected) < 1000, `${iso} is not around ${new Date(expected).toISOString()}`);
}

async function eventually(check: () => Promise<boolean>, what: string, deadlineMs = 2000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The behaviour every PresenceStore must have (in memory now, Redis in the distributed mode). Each test
 * uses fresh host ids, so a shared backing store needs no cleaning between tests.
 */
export function presenceStoreContract(
  name: string,
  makeStore: () => Promise<ContractStore> | ContractStore,
): void {
  describe(`PresenceStore contract: ${name}`, () => {
    const opened: ContractStore[] = [];
    const open = async (): Promise<PresenceStore> => {
      const made = await makeStore();
      opened.push(made);
      return made.store;
    };
    after(async () => {
      for (const made of opened) await made.close();
    });

    test('an online host reads back with its record; an unknown one is absent', async () => {
      const store = await open();
      const online = record(randomUUID());
      assert.equal(await store.markOnline(online, TTL_MS), undefined);
      const found = await store.get([online.hostId, randomUUID()]);
      assert.equal(found.size, 1);
      assert.deepEqual(found.get(online.hostId), online);
    });

    test('a newer connection replaces the old one and returns it', async () => {
      const store = await open();
      const first = record(randomUUID());
      const second = record(first.hostId, randomUUID(), 'poll-b');
      await store.markOnline(first, TTL_MS);
      assert.deepEqual(await store.markOnline(second, TTL_MS), first);
      assert.equal((await store.get([first.hostId])).get(first.hostId)?.connectionId, second.connectionId);
    });

    test('touch by the holding connection extends it and moves lastSeenAt; a replaced one changes nothing', async () => {
      const store = await open();
      const first = record(randomUUID());
      const second = record(first.hostId);
      await store.markOnline(first, TTL_MS);
      assert.equal(await store.touch(first.hostId, first.connectionId, TTL_MS), 'held');
      const touched = (await store.get([first.hostId])).get(first.hostId);
      assert.deepEqual({ ...touched, lastSeenAt: first.lastSeenAt }, first);
      assertAround(touched?.lastSeenAt, Date.parse(first.lastSeenAt));
      // lastSeenAt has a millisecond's resolution: heartbeats a little later show it moving.
      await eventually(async () => {
        await store.touch(first.hostId, first.connectionId, TTL_MS);
        const seen = (await store.get([first.hostId])).get(first.hostId)?.lastSeenAt ?? '';
        return Date.parse(seen) > Date.parse(first.lastSeenAt);
      }, 'lastSeenAt to move');
      await store.markOnline(second, TTL_MS);
      assert.equal(await store.touch(first.hostId, first.connectionId, TTL_MS), 'replaced');
      assert.deepEqual((await store.get([first.hostId])).get(first.hostId), second);
    });

    test('heartbeats of one moment each get their own answer, however many there are', async () => {
      const store = await open();
      const [held, replaced, gone] = [record(randomUUID()), record(randomUUID()), record(randomUUID())];
      for (const host of [held, replaced, gone]) await store.markOnline(host, TTL_MS);
      await store.markOnline(record(replaced.hostId), TTL_MS);
      await store.markOffline(gone.hostId, gone.connectionId, 'clean-stop');
      const beat = (host: PresenceRecord) => store.touch(host.hostId, host.connectionId, TTL_MS);
      const many = Array.from({ length: 2500 }, () => beat(held));
      const answers = await Promise.all([beat(replaced), beat(gone), ...many, beat(record(randomUUID()))]);
      assert.deepEqual(answers.slice(0, 2), ['replaced', 'lost']);
      assert.deepEqual(new Set(answers.slice(2, -1)), new Set(['held']));
      assert.equal(answers.at(-1), 'lost', 'a host nobody holds');
      assert.equal(
        (await store.get([gone.hostId])).size,
        0,
        'a heartbeat never brings a host back by itself',
      );
    });

    test('restore puts back a live connection nobody replaced, never over a live newer one', async () => {
      const store = await open();
      const first = record(randomUUID());
      await store.markOnline(first, TTL_MS);
      await store.markOffline(first.hostId, first.connectionId, 'connection-lost');
      assert.equal(await store.touch(first.hostId, first.connectionId, TTL_MS), 'lost');
      assert.equal(await store.restore(first, TTL_MS), 'restored');
      assert.deepEqual((await store.get([first.hostId])).get(first.hostId), first);
      assert.equal((await store.lastOffline([first.hostId])).size, 0);
      assert.equal(await store.touch(first.hostId, first.connectionId, TTL_MS), 'held');
      const newer = record(first.hostId);
      await store.markOnline(newer, TTL_MS);
      assert.equal(await store.restore(first, TTL_MS), 'replaced');
      assert.equal((await store.get([first.hostId])).get(first.hostId)?.connectionId, newer.connectionId);
      // A holder whose TTL ran out holds nothing: the older connection, still alive, gets the host back.
      const silent = record(first.hostId);
      await store.markOnline(silent, 100);
      await eventually(async () => (await store.get([first.hostId])).size === 0, 'expiry');
      assert.equal(await store.touch(first.hostId, first.connectionId, TTL_MS), 'lost');
      assert.equal(await store.restore(first, TTL_MS), 'restored');
      assert.equal(await store.touch(silent.hostId, silent.connectionId, TTL_MS), 'replaced');
    });

    test('a long list reads every host at once: the online ones, the offline notes, nothing for the rest', async () => {
      const store = await open();
      // More hosts than one batch of a batched reader holds, with the known ones at its edges.
      const ids = Array.from({ length: 2501 }, () => randomUUID());
      const online = [0, 999, 1000, 2500].map((index) => record(ids[index]!));
      for (const host of online) await store.markOnline(host, TTL_MS);
      const gone = record(ids[1500]!);
      await store.markOnline(gone, TTL_MS);
      await store.markOffline(gone.hostId, gone.connectionId, 'clean-stop');
      const [found, notes] = await Promise.all([store.get(ids), store.lastOffline(ids)]);
      assert.deepEqual([...found.keys()].sort(), online.map((host) => host.hostId).sort());
      for (const host of online) assert.deepEqual(found.get(host.hostId), host);
      assert.deepEqual([...notes.keys()], [gone.hostId]);
      assert.equal(notes.get(gone.hostId)?.reason, 'clean-stop');
      assert.equal((await store.get([])).size, 0);
      const listed = await store.listing(ids);
      assert.deepEqual(
        [...listed.keys()].sort(),
        [...online.map((host) => host.hostId), gone.hostId].sort(),
        'the listing knows the same hosts, in one read',
      );
      for (const host of online)
        assert.deepEqual(listed.get(host.hostId), { online: true, lastSeenAt: host.lastSeenAt });
      assert.deepEqual(listed.get(gone.hostId), { online: false, offline: notes.get(gone.hostId) });
      assert.equal((await store.listing([])).size, 0);
    });

    test('the listing follows heartbeats and a host coming back', async () => {
      const store = await open();
      const host = record(randomUUID());
      await store.markOnline(host, TTL_MS);
      await store.markOffline(host.hostId, host.connectionId, 'timeout');
      assert.equal((await store.listing([host.hostId])).get(host.hostId)?.online, false);
      const back = record(host.hostId);
      await store.markOnline(back, TTL_MS);
      assert.deepEqual(
        (await store.listing([host.hostId])).get(host.hostId),
        { online: true, lastSeenAt: back.lastSeenAt },
        'online again: no offline note',
      );
      await eventually(async () => {
        await store.touch(back.hostId, back.connectionId, TTL_MS);
        const listed = (await store.listing([host.hostId, host.hostId])).get(host.hostId);
        const seen = (await store.get([host.hostId])).get(host.hostId)?.lastSeenAt;
        return listed?.online === true && listed.lastSeenAt === seen && seen !== back.lastSeenAt;
      }, 'the listing to show the last heartbeat, as get does');
    });

    test('the reason a host went offline is kept, and forgotten once it is back', async () => {
      const store = await open();
      const online = record(randomUUID());
      const never = randomUUID();
      await store.markOnline(online, TTL_MS);
      assert.equal((await store.lastOffline([online.hostId])).size, 0);
      const before = Date.now();
      await store.markOffline(online.hostId, online.connectionId, 'clean-stop');
      const note = (await store.lastOffline([online.hostId, never])).get(online.hostId);
      assert.equal(note?.reason, 'clean-stop');
      assert.ok(Date.parse(note.at) >= before - 1000 && Date.parse(note.at) <= Date.now() + 1000);
      assert.equal((await store.get([online.hostId])).size, 0);
      assert.deepEqual([...(await store.lastOffline([never])).keys()], []);
      const back = record(online.hostId);
      assert.equal(await store.markOnline(back, TTL_MS), undefined, 'an offline note is not a connection');
      assert.equal((await store.lastOffline([online.hostId])).size, 0);
      assert.deepEqual((await store.get([online.hostId])).get(online.hostId), back);
    });

    test('markOffline by a stale connection leaves the newer one online', async () => {
      const store = await open();
      const first = record(randomUUID());
      const second = record(first.hostId);
      await store.markOnline(first, TTL_MS);
      await store.markOnline(second, TTL_MS);
      assert.equal(await store.markOffline(first.hostId, first.connectionId, 'clean-stop'), false);
      assert.equal((await store.get([first.hostId])).get(first.hostId)?.connectionId, second.connectionId);
      assert.equal(await store.markOffline(first.hostId, second.connectionId, 'clean-stop'), true);
      assert.equal((await store.get([first.hostId])).size, 0);
      assert.equal(await store.markOffline(first.hostId, second.connectionId, 'clean-stop'), false);
    });

    test('a host that stops heartbeating expires after its TTL; a live connection restores it', async () => {
      const store = await open();
      const silent = record(randomUUID());
      const kept = record(randomUUID());
      await store.markOnline(silent, 150);
      await store.markOnline(kept, TTL_MS);
      await eventually(async () => !(await store.get([silent.hostId])).has(silent.hostId), 'expiry');
      assert.equal((await store.get([kept.hostId])).size, 1);
      // The entry is gone but its connection still beats (a store restart loses entries the same way).
      assert.equal(await store.touch(silent.hostId, silent.connectionId, TTL_MS), 'lost');
      assert.equal(await store.restore(silent, TTL_MS), 'restored');
      assert.deepEqual((await store.get([silent.hostId])).get(silent.hostId), silent);
      assert.equal(await store.touch(silent.hostId, silent.connectionId, TTL_MS), 'held');
    });

    test('a new connection after expiry replaces nothing', async () => {
      const store = await open();
      const silent = record(randomUUID());
      await store.markOnline(silent, 100);
      await eventually(async () => (await store.get([silent.hostId])).size === 0, 'expiry');
      assert.equal(await store.markOnline(record(silent.hostId), TTL_MS), undefined);
    });
  });
}
