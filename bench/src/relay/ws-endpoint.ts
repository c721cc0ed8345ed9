/**
 * One end of transfers over the relay's WebSocket legs, in a process of its own (as `tcp-endpoint.ts` is
 * for TCP legs), so that 100 concurrent streams measure the relay rather than one process running both
 * ends of every stream: the sender dials as agent legs and sends one secure-channel-sized binary message
 * after another, as the channel does; the receiver dials as client legs and only counts. Plain `ws` with
 * bufferutil, as the SDK's Node client uses it.
 *
 *   node ws-endpoint.js '<WsEndpointConfig JSON>'   (prints one JSON line: `result`)
 */
import { once } from 'node:events';
import { FRAME_HEADER_LEN, MAX_FRAME_BODY } from '@hostlink/secure-channel';
import { WebSocket } from 'ws';
import type { StreamTiming } from './tcp-endpoint.js';

export interface WsEndpointConfig {
  role: 'send' | 'receive';
  /** Bytes per stream. */
  bytes: number;
  /** The relay's WebSocket URL; one stream per ticket. */
  url: string;
  tickets: string[];
}

const MESSAGE = Buffer.alloc(FRAME_HEADER_LEN + MAX_FRAME_BODY, 0xa5);
/** Queued bytes above which the sender waits, as the SDK's WebSocket link does. */
const HIGH_WATER = 4 * 1024 * 1024;

const config = JSON.parse(process.argv[2] ?? '{}') as WsEndpointConfig;
const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** A leg through the relay: hello with the ticket, then the `paired` reply. */
async function dial(ticket: string): Promise<WebSocket> {
  const socket = new WebSocket(config.url, { perMessageDeflate: false });
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'hello', ticket }));
  const [reply] = (await once(socket, 'message')) as [Buffer];
  const answer = JSON.parse(reply.toString()) as { type: string };
  if (answer.type !== 'paired') throw new Error(`relay answered ${reply.toString()}`);
  return socket;
}

async function send(socket: WebSocket): Promise<void> {
  const closed = once(socket, 'close');
  for (let sent = 0; sent < config.bytes; sent += MESSAGE.length) {
    const message =
      sent + MESSAGE.length <= config.bytes ? MESSAGE : MESSAGE.subarray(0, config.bytes - sent);
    if (socket.bufferedAmount < HIGH_WATER) socket.send(message);
    else await new Promise((resolve) => socket.send(message, resolve));
  }
  // The receiver closes once it has everything.
  await closed;
}

function receive(socket: WebSocket): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const timing: StreamTiming = { first: 0, last: 0 };
    let received = 0;
    socket.on('message', (data: Buffer) => {
      if (received === 0) timing.first = performance.now();
      received += data.length;
      if (received < config.bytes) return;
      timing.last = performance.now();
      socket.close();
      resolve(timing);
    });
    socket.once('close', () => reject(new Error(`closed after ${received} bytes`)));
  });
}

const sockets = await Promise.all(config.tickets.map(dial));
if (config.role === 'send') {
  await Promise.all(sockets.map(send));
  say({ result: 'sent' });
} else {
  say({ result: await Promise.all(sockets.map(receive)) });
}
