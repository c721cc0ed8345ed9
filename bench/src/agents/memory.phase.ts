import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { POLL_MAX_FRAME_BYTES } from '@hostlink/protocol';
import WebSocket from 'ws';
import type { AgentFleet } from './agent-fleet.js';
import { collectGarbage } from './inspector-gc.js';
import { cpuSeconds, settledRss } from './proc-stats.js';
import type { ServiceProcess } from './service-process.js';

/**
 * Memory of one process holding N connections: what it needs to hold them, RSS with N held minus RSS idle,
 * both after a full GC. One-time costs (code compiled on first use, buffer pools) are paid first by a
 * tenth of the connections, held and released, then the idle reading is taken; each round connects N,
 * reads, and (but the last) releases them. Figures are the median over the rounds, each against that
 * same idle reading: memory a process keeps after releasing a round counts against the next, as it would
 * in production.
 */
export interface HeldMemory {
  connections: number;
  rounds: number;
  /** RSS after the warm-up, nothing held, after a full GC. */
  idleBytes: number;
  /** RSS after a full GC with N held minus the idle RSS, per connection: median, then each round. */
  perConnectionBytes: number;
  perConnectionBytesByRound: number[];
  /** The same for V8's used heap (the JavaScript part), its committed heap, and Node's external memory. */
  perConnectionHeapBytes: number;
  perConnectionHeapCommittedBytes: number;
  perConnectionExternalBytes: number;
  afterBytes: number;
  /** Seconds the last round took to connect (handshakes included). */
  connectSeconds: number;
  /** CPU of the process while rounds connected, per connection. */
  cpuMillisPerConnect: number;
}

/** Connects `count`, returns how long connecting took and how to release them. */
type Hold = (count: number) => Promise<{ seconds: number; release: () => Promise<void> }>;

/** After `settleMs`, a full GC, then the median of a few RSS samples. */
async function reading(service: ServiceProcess, settleMs: number) {
  await delay(settleMs);
  const heap = await collectGarbage(service);
  const rss = await settledRss(service.pid, 3, 100);
  return { rss, heap: heap.usedBytes, committed: heap.totalBytes, external: heap.externalBytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(service: ServiceProcess, connections: number, hold: Hold, options: MemoryOptions) {
  await (await hold(Math.ceil(connections / 10))).release();
  const idle = await reading(service, options.settleMs);
  const rounds: {
    rss: number;
    heap: number;
    committed: number;
    external: number;
    cpu: number;
    seconds: number;
    after: number;
  }[] = [];
  let held: Awaited<ReturnType<Hold>> | undefined;
  for (let round = 0; round < options.rounds; round += 1) {
    await held?.release();
    const cpuBefore = cpuSeconds(service.pid);
    held = await hold(connections);
    const cpu = cpuSeconds(service.pid) - cpuBefore;
    const after = await reading(service, options.settleMs);
    rounds.push({
      rss: (after.rss - idle.rss) / connections,
      heap: (after.heap - idle.heap) / connections,
      committed: (after.committed - idle.committed) / connections,
      external: (after.external - idle.external) / connections,
      cpu: (cpu * 1000) / connections,
      seconds: held.seconds,
      after: after.rss,
    });
  }
  const result: HeldMemory = {
    connections,
    rounds: options.rounds,
    idleBytes: idle.rss,
    perConnectionBytes: median(rounds.map((round) => round.rss)),
    perConnectionBytesByRound: rounds.map((round) => round.rss),
    perConnectionHeapBytes: median(rounds.map((round) => round.heap)),
    perConnectionHeapCommittedBytes: median(rounds.map((round) => round.committed)),
    perConnectionExternalBytes: median(rounds.map((round) => round.external)),
    afterBytes: rounds[rounds.length - 1]!.after,
    connectSeconds: rounds[rounds.length - 1]!.seconds,
    cpuMillisPerConnect: median(rounds.map((round) => round.cpu)),
  };
  return { result, release: held!.release };
}

/** Handshakes in flight while a fleet connects. */
const CONNECTING = 100;

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
  const hold: Hold = async (count) => {
    const started = performance.now();
    const sockets: WebSocket[] = [];
    for (let from = 0; from < count; from += 100) {
      const batch = Array.from({ length: Math.min(100, count - from) }, () => {
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
 * included. The last round's agents stay connected for what follows.
 */
export async function pollMemory(
  poll: ServiceProcess,
  url: string,
  fleet: AgentFleet,
  options: MemoryOptions,
) {
  const hold: Hold = async (count) => ({
    seconds: await fleet.connectAll(url, CONNECTING, 60_000, count),
    release: () => fleet.stopAll(),
  });
  return (await measure(poll, fleet.agents.length, hold, options)).result;
}
