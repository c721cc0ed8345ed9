import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { collectGarbage } from '../agents/inspector-gc.js';
import { settledRss } from '../agents/proc-stats.js';
import { ServiceProcess } from '../agents/service-process.js';

/** Idle memory of one process: RSS after a forced full GC (median over rounds), and V8's heap then. */
export interface IdleMemory {
  rssBytes: number;
  heapUsedBytes: number;
  rounds: number[];
}

/** Node arguments that let the bench force a GC in a process before reading its memory. */
export const INSPECT = ['--inspect=127.0.0.1:0'];

/** Waits `settleMs`, then `rounds` times: a full GC through the inspector and a settled RSS reading. */
export async function idleMemory(
  service: ServiceProcess,
  options: { settleMs: number; rounds: number },
): Promise<IdleMemory> {
  await delay(options.settleMs);
  const rounds: number[] = [];
  let heapUsedBytes = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    heapUsedBytes = (await collectGarbage(service)).usedBytes;
    rounds.push(await settledRss(service.pid));
    await delay(500);
  }
  const sorted = [...rounds].sort((a, b) => a - b);
  return { rssBytes: sorted[Math.floor(sorted.length / 2)]!, heapUsedBytes, rounds };
}

/** The same reading for a bare Node process holding one `ws` connection to a server in this process. */
export async function bareWsClientMemory(
  logDir: string,
  options: { settleMs: number; rounds: number },
): Promise<IdleMemory> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const client = await ServiceProcess.start(
    'bare-ws-client',
    'bench/dist/broker/bare-ws-client.js',
    { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    { logDir, ready: /bare ws client connected/, nodeArgs: INSPECT, args: [`ws://127.0.0.1:${port}/`] },
  );
  try {
    return await idleMemory(client, options);
  } finally {
    await client.stop();
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
}
