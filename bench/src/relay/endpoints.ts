import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EndpointConfig, StreamTiming } from './tcp-endpoint.js';
import type { WsEndpointConfig } from './ws-endpoint.js';

const TCP_SCRIPT = fileURLToPath(new URL('./tcp-endpoint.js', import.meta.url));
const WS_SCRIPT = fileURLToPath(new URL('./ws-endpoint.js', import.meta.url));

interface Endpoint {
  /** Resolves once it listens (with its port) or is about to dial (0). */
  ready: Promise<number>;
  result: Promise<unknown>;
  /** Sends one command line; resolves with the next `set` answer. */
  command(line: object): Promise<void>;
  close(): void;
}

/** One endpoint process (`tcp-endpoint.ts`, or `ws-endpoint.ts`), talked to by JSON lines. */
function endpoint(config: EndpointConfig | WsEndpointConfig): Endpoint {
  const listen = 'listen' in config && config.listen;
  const script = 'url' in config ? WS_SCRIPT : TCP_SCRIPT;
  const child = spawn(process.execPath, [script, JSON.stringify(config)], {
    stdio: [listen ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  let ready!: (port: number) => void;
  const readyPromise = new Promise<number>((resolve) => (ready = resolve));
  const acks: (() => void)[] = [];
  const result = new Promise<unknown>((resolve, reject) => {
    let outcome: unknown;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { listening?: number; result?: unknown; set?: number };
      if (message.listening !== undefined) ready(message.listening);
      if (message.set !== undefined) acks.shift()?.();
      if (message.result !== undefined) outcome = message.result;
    });
    child.once('exit', (code) =>
      code === 0 && outcome !== undefined
        ? resolve(outcome)
        : reject(new Error(`bench endpoint (${config.role}) exited ${code}: ${errors.trim()}`)),
    );
  });
  return {
    // An endpoint that dies before listening must not leave `ready` waiting forever.
    ready: Promise.race([readyPromise, result.then(() => 0)]),
    result,
    command: (line) =>
      new Promise((resolve) => {
        acks.push(resolve);
        child.stdin?.write(`${JSON.stringify(line)}\n`);
      }),
    close: () => child.stdin?.end(),
  };
}

/**
 * A sender that stays up for the whole bench on one port (so forwarders can target it, and no other
 * process can take the port between transfers); each transfer is read by a receiver of its own.
 */
export class ListeningSender {
  private constructor(
    private readonly process: Endpoint,
    readonly port: number,
  ) {}

  static async start(): Promise<ListeningSender> {
    const sender = endpoint({ role: 'send', bytes: 0, listen: true });
    const port = await sender.ready;
    if (port === 0) await sender.result; // it died: surface why
    return new ListeningSender(sender, port);
  }

  /** `streams` transfers of `bytes` each from this sender, read by a receiver dialling `port`. */
  async through(port: number, bytes: number, streams = 1): Promise<StreamTiming[]> {
    await this.process.command({ bytes });
    return (await endpoint({ role: 'receive', bytes, connect: { port, streams } }).result) as StreamTiming[];
  }

  async close(): Promise<void> {
    this.process.close();
    await this.process.result;
  }
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

/** Streams through a relay's WebSocket legs, both ends in processes of their own (`ws-endpoint.ts`). */
export async function transferRelayedWs(
  url: string,
  tickets: { client: string; agent: string }[],
  bytes: number,
): Promise<StreamTiming[]> {
  const sender = endpoint({ role: 'send', bytes, url, tickets: tickets.map((t) => t.agent) });
  const receiver = endpoint({ role: 'receive', bytes, url, tickets: tickets.map((t) => t.client) });
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
