import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { POLL_MAX_FRAME_BYTES } from '@hostlink/protocol';
import WebSocket from 'ws';
import type { AgentFleet } from './agent-fleet.js';
import { collectGarbage } from './inspector-gc.js';
import { cpuSeconds, settledRss } from './proc-stats.js';
import type { ServiceProcess } from './service-process.js';

/**
 * Memory of one process around holding N connections: a first (cold) round pays one-time costs, then
 * `rounds` warm rounds each connect N, read, and close; figures are the median over the warm rounds.
 */
export interface HeldMemory {
  connections: number;
  rounds: number;
  /** RSS with nothing held, after a full GC. */
  idleBytes: number;
  /** Cold round: RSS with N held minus idle, per connection. */
  coldPerConnectionBytes: number;
  /** Warm rounds: RSS after a full GC with N held minus RSS just before connecting them, per connection. */
  perConnectionBytes: number;
  perConnectionBytesByRound: number[];
  /** The same for V8's used heap, the JavaScript part of it. */
  perConnectionHeapBytes: number;
  afterBytes: number;
  /** Seconds the last round took to connect (handshakes included). */
  connectSeconds: number;
  /** CPU of the process while warm rounds connected, per connection. */
  cpuMillisPerConnect: number;
}

/** Connects N, measures, closes; returns how long connecting took. */
type Hold = () => Promise<{ seconds: number; release: () => Promise<void> }>;

/** After `settleMs`, a full GC, then the median of a few RSS samples. */
async function reading(service: ServiceProcess, settleMs: number) {
  await delay(settleMs);
  const heap = await collectGarbage(service);
  return { rss: await settledRss(service.pid, 3, 100), heap: heap.usedBytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(service: ServiceProcess, connections: number, hold: Hold, options: MemoryOptions) {
  const idle = await reading(service, 0);
  const cold = await hold();
  const coldHeld = await reading(service, options.settleMs);
  let held = cold;
  const rounds: { rss: number; heap: number; cpu: number; seconds: number; after: number }[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    await held.release();
    const before = await reading(service, options.settleMs);
    const cpuBefore = cpuSeconds(service.pid);
    held = await hold();
    const cpu = cpuSeconds(service.pid) - cpuBefore;
    const after = await reading(service, options.settleMs);
    rounds.push({
      rss: (after.rss - before.rss) / connections,
      heap: (after.heap - before.heap) / connections,
      cpu: (cpu * 1000) / connections,
      seconds: held.seconds,
      after: after.rss,
    });
  }
  const result: HeldMemory = {
    connections,
    rounds: options.rounds,
    idleBytes: idle.rss,
    coldPerConnectionBytes: (coldHeld.rss - idle.rss) / connections,
    perConnectionBytes: median(rounds.map((round) => round.rss)),
    perConnectionBytesByRound: rounds.map((round) => round.rss),
    perConnectionHeapBytes: median(rounds.map((round) => round.heap)),
    afterBytes: rounds[rounds.length - 1]!.after,
    connectSeconds: rounds[rounds.length - 1]!.seconds,
    cpuMillisPerConnect: median(rounds.map((round) => round.cpu)),
  };
  return { result, release: held.release };
}

export interface MemoryOptions {
  settleMs: number;
  /** Warm rounds after the cold one. */
  rounds: number;
}

/** The baseline: N idle `ws` client connections held by a bare `ws` server process. */
export async function bareWsMemory(
  server: ServiceProcess,
  url: string,
  connections: number,
  options: MemoryOptions,
) {
  const hold: Hold = async () => {
    const started = performance.now();
    const sockets: WebSocket[] = [];
    for (let from = 0; from < connections; from += 100) {
      const batch = Array.from({ length: Math.min(100, connections - from) }, () => {
        const socket = new WebSocket(url, { maxPayload: POLL_MAX_FRAME_BYTES, handshakeTimeout: 10_000 });
        sockets.push(socket);
        return new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
      });
      await Promise.all(batch);
    }
    const seconds = (performance.now() - started) / 1000;
    const release = async () => {
      const closed = sockets.map((socket) => once(socket, 'close'));
      for (const socket of sockets) socket.close();
      await Promise.all(closed);
    };
    return { seconds, release };
  };
  const { result, release } = await measure(server, connections, hold, options);
  await release();
  return result;
}

/**
 * N agents online at one poll instance, heartbeating at the production interval, so presence state is
 * included. The second round's agents stay connected for what follows.
 */
export async function pollMemory(
  poll: ServiceProcess,
  url: string,
  fleet: AgentFleet,
  options: MemoryOptions,
) {
  const hold: Hold = async () => ({
    seconds: await fleet.connectAll(url, 100, 60_000),
    release: () => fleet.stopAll(),
  });
  return (await measure(poll, fleet.agents.length, hold, options)).result;
}
