/**
 * The presence store's write path at its ceiling, as its own process (`node bench/dist/agents/presence-
 * writer.js <redis url> <key prefix> <hosts> <seconds> <per turn>`): poll's own store on poll's own
 * connection settings (`connectServicePresence`), `hosts` hosts online, then heartbeats faster than one
 * write each: `per turn` touches every event-loop turn (as when poll reads that many heartbeats in one
 * pass), at most 8 turns awaiting Redis, for `seconds`. Prints `presence writer result <json>`.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { connectServicePresence, type PresenceRecord } from '@hostlink/presence';
import { connectTestRedis, deleteKeysWithPrefix } from '@hostlink/presence/testing/redis';

const [url, keyPrefix, hostsText, secondsText, perTurnText] = process.argv.slice(2);
const [hosts, seconds, perTurn] = [hostsText, secondsText, perTurnText].map(Number);
if (!url || !keyPrefix || !hosts || !seconds || !perTurn)
  throw new Error('usage: presence-writer.js <redis url> <key prefix> <hosts> <seconds> <per turn>');
const TTL_MS = 15_000;
const IN_FLIGHT = 8;

const presence = connectServicePresence({ url, keyPrefix, onError: (error) => console.error(error.message) });
const at = new Date().toISOString();
const records: PresenceRecord[] = Array.from({ length: hosts }, () => ({
  hostId: randomUUID(),
  pollId: 'presence-writer',
  connectionId: randomUUID(),
  connectedAt: at,
  lastSeenAt: at,
  direct: [],
}));
for (let from = 0; from < hosts; from += 1000)
  await Promise.all(
    records.slice(from, from + 1000).map((record) => presence.store.markOnline(record, TTL_MS)),
  );

let written = 0;
let notHeld = 0;
const count = (results: string[]) => {
  written += results.length;
  notHeld += results.filter((result) => result !== 'held').length;
};
const cpuBefore = process.cpuUsage();
const started = performance.now();
const pending: Promise<void>[] = [];
for (let next = 0; performance.now() - started < seconds * 1000;) {
  const turn: Promise<string>[] = [];
  for (let i = 0; i < perTurn; i += 1, next = (next + 1) % hosts) {
    const { hostId, connectionId } = records[next]!;
    turn.push(presence.store.touch(hostId, connectionId, TTL_MS));
  }
  pending.push(Promise.all(turn).then(count));
  if (pending.length >= IN_FLIGHT) await pending.shift();
  await nextTurn();
}
await Promise.all(pending);
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `presence writer result ${JSON.stringify({ written, notHeld, seconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}`,
);
presence.disconnect();
const admin = await connectTestRedis(url);
await deleteKeysWithPrefix(admin, keyPrefix);
admin.disconnect();
