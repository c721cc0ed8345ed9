/**
 * One end of a bench transfer, in a process of its own so that what is measured is the path between the
 * ends, not the ends sharing a core with it: the sender writes one big buffer over and over, the
 * receiver reads into one static buffer (`onread`) and only counts. Either end can dial the relay as a
 * leg (hello with a ticket, wait for `paired`); the sender can instead listen, as the target of a
 * forwarder or of a direct connection. Several streams at once for the concurrency figure.
 *
 *   node tcp-endpoint.js '<EndpointConfig JSON>'   (prints one JSON line: `listening`, then `result`)
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { encodeRelayTcpMessage } from '@hostlink/protocol';

export interface EndpointConfig {
  role: 'send' | 'receive';
  /** Bytes per stream. */
  bytes: number;
  /**
   * `listen` (sender only): stay up and send `bytes` down every connection accepted on an ephemeral port,
   * so the forwarders can be pointed at it once; a line `{"bytes":N}` on stdin changes the size (answered
   * `{"set":N}`), the end of stdin ends the process.
   */
  listen?: true;
  /** Dial `port`; one stream per ticket when relayed (a ticket per stream), else `streams` plain ones. */
  connect?: { port: number; tickets?: string[]; streams?: number };
}

export interface StreamTiming {
  /** Milliseconds (performance.now of the receiver) of the first and last payload byte. */
  first: number;
  last: number;
}

const WRITE = Buffer.alloc(4 * 1024 * 1024, 0xa5);
const READ = Buffer.alloc(1024 * 1024);

const config = JSON.parse(process.argv[2] ?? '{}') as EndpointConfig;
const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** Resolves after the relay's 4-byte-length JSON reply; returns whatever payload came behind it. */
function relayReply(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4 || head.length < 4 + head.readUInt32BE(0)) return;
      socket.off('data', onData);
      socket.pause();
      const reply = JSON.parse(head.subarray(4, 4 + head.readUInt32BE(0)).toString()) as { type: string };
      if (reply.type !== 'paired') return reject(new Error(`relay answered ${JSON.stringify(reply)}`));
      resolve(head.subarray(4 + head.readUInt32BE(0)));
    };
    socket.on('data', onData);
  });
}

async function dial(port: number, ticket?: string): Promise<{ socket: Socket; early: Buffer }> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  // The receiver hangs up once it has everything: a reset here is the end, not a failure.
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  if (ticket === undefined) return { socket, early: Buffer.alloc(0) };
  socket.write(encodeRelayTcpMessage({ type: 'hello', ticket }));
  return { socket, early: await relayReply(socket) };
}

async function send(socket: Socket, bytes = config.bytes): Promise<void> {
  for (let sent = 0; sent < bytes; sent += WRITE.length) {
    const chunk = sent + WRITE.length <= bytes ? WRITE : WRITE.subarray(0, bytes - sent);
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  socket.end();
}

/** Counts one stream's bytes as they land in the shared static buffer. */
function receive(port: number, ticket?: string): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const timing: StreamTiming = { first: 0, last: 0 };
    let received = 0;
    let replied = ticket === undefined;
    let head = Buffer.alloc(0);
    const count = (bytes: number) => {
      if (bytes === 0) return;
      if (received === 0) timing.first = performance.now();
      received += bytes;
      if (received < config.bytes) return;
      timing.last = performance.now();
      socket.destroy();
      resolve(timing);
    };
    const socket = connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: READ,
        callback: (size, buffer) => {
          if (replied) count(size);
          else {
            // The relay's `paired` reply, then payload: only the payload counts.
            head = Buffer.concat([head, buffer.subarray(0, size)]);
            if (head.length >= 4 && head.length >= 4 + head.readUInt32BE(0)) {
              replied = true;
              count(head.length - 4 - head.readUInt32BE(0));
            }
          }
          return true; // keep reading
        },
      },
    });
    socket.once('connect', () => {
      if (ticket !== undefined) socket.write(encodeRelayTcpMessage({ type: 'hello', ticket }));
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (received < config.bytes) reject(new Error(`closed after ${received} bytes`));
    });
  });
}

async function sender(): Promise<void> {
  if (config.listen) return listeningSender();
  const { port, tickets = [undefined], streams = tickets.length } = config.connect!;
  say({ listening: 0 });
  const dialled = await Promise.all(Array.from({ length: streams }, (_, i) => dial(port, tickets[i])));
  await Promise.all(dialled.map(({ socket }) => send(socket)));
  say({ result: 'sent' });
}

async function listeningSender(): Promise<void> {
  let bytes = config.bytes;
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => undefined);
    void send(socket, bytes);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  say({ listening: (server.address() as AddressInfo).port });
  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    bytes = (JSON.parse(line) as { bytes: number }).bytes;
    say({ set: bytes });
  });
  await once(commands, 'close');
  server.close();
  say({ result: 'closed' });
}

async function receiver(): Promise<void> {
  const { port, tickets, streams = tickets?.length ?? 1 } = config.connect!;
  const timings = await Promise.all(Array.from({ length: streams }, (_, i) => receive(port, tickets?.[i])));
  say({ result: timings });
}

await (config.role === 'send' ? sender() : receiver());
