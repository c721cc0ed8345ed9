import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EndpointConfig, StreamTiming } from './tcp-endpoint.js';

const SCRIPT = fileURLToPath(new URL('./tcp-endpoint.js', import.meta.url));

/** One endpoint process: resolves `ready` once it listens (or is about to dial), `result` when done. */
function endpoint(config: EndpointConfig): { ready: Promise<void>; result: Promise<unknown> } {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const result = new Promise<unknown>((resolve, reject) => {
    let outcome: unknown;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { listening?: number; result?: unknown };
      if (message.listening !== undefined) ready();
      if (message.result !== undefined) outcome = message.result;
    });
    child.once('exit', (code) =>
      code === 0 && outcome !== undefined
        ? resolve(outcome)
        : reject(new Error(`bench endpoint (${config.role}) exited ${code}: ${errors.trim()}`)),
    );
  });
  // A sender that dies before listening must not leave `ready` waiting forever.
  return { ready: Promise.race([readyPromise, result.then(() => undefined)]), result };
}

/** Transfers from a sender listening on `senderPort`, read by a receiver dialling `port` (it or a forwarder). */
export async function transferThrough(
  port: number,
  senderPort: number,
  bytes: number,
  streams = 1,
): Promise<StreamTiming[]> {
  const sender = endpoint({ role: 'send', bytes, listen: { port: senderPort, streams } });
  await sender.ready;
  const receiver = endpoint({ role: 'receive', bytes, connect: { port, streams } });
  const [timings] = await Promise.all([receiver.result, sender.result]);
  return timings as StreamTiming[];
}

/** Streams through a relay: the sender dials as agent legs, the receiver as client legs, one ticket pair each. */
export async function transferRelayed(
  relayPort: number,
  tickets: { client: string; agent: string }[],
  bytes: number,
): Promise<StreamTiming[]> {
  const sender = endpoint({
    role: 'send',
    bytes,
    connect: { port: relayPort, tickets: tickets.map((t) => t.agent) },
  });
  const receiver = endpoint({
    role: 'receive',
    bytes,
    connect: { port: relayPort, tickets: tickets.map((t) => t.client) },
  });
  const [timings] = await Promise.all([receiver.result, sender.result]);
  return timings as StreamTiming[];
}

/** Gbit/s of all streams together, from the first byte of any to the last byte of all. */
export function aggregateGbps(timings: StreamTiming[], bytesPerStream: number): number {
  const start = Math.min(...timings.map((t) => t.first));
  const end = Math.max(...timings.map((t) => t.last));
  return (timings.length * bytesPerStream * 8) / ((end - start) / 1000) / 1e9;
}

/** Each stream's own Gbit/s, first byte to last. */
export function streamGbps(timing: StreamTiming, bytes: number): number {
  return (bytes * 8) / ((timing.last - timing.first) / 1000) / 1e9;
}
