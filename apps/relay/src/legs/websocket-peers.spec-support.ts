import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type Direction, splice } from './splice.js';
import { WsLeg } from './ws-leg.js';

/**
 * Peers for the relay's WebSocket forwarding specs, on real sockets: a `ws` client (the strict reference
 * for what the relay sends) and a raw client that writes hand-made frames, good or hostile, and parses
 * what comes back. Legs are accepted by a `ws` server and paired as the listener pairs them.
 */

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface FrameOptions {
  fin?: boolean;
  masked?: boolean;
  rsv?: number;
  /** The length field as sent, when it should lie about the payload. */
  declaredLength?: bigint;
}

/** A client frame: masked (unless told not to), with the shortest length encoding. */
export function clientFrame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const { fin = true, masked = true, rsv = 0 } = options;
  const length = options.declaredLength ?? BigInt(payload.length);
  const extended = length < 126n ? 0 : length <= 0xffffn ? 2 : 8;
  const header = Buffer.alloc(2 + extended);
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  header[1] = (masked ? 0x80 : 0) | (extended === 0 ? Number(length) : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(Number(length), 2);
  if (extended === 8) header.writeBigUInt64BE(length, 2);
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  return Buffer.concat([header, mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]);
}

export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Parses server frames (never masked) off the front of `bytes`; returns them and what is left. */
function parseServerFrames(bytes: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const length7 = bytes[at + 1]! & 0x7f;
    if ((bytes[at + 1]! & 0x80) !== 0) throw new Error('the relay sent a masked frame');
    const size = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0);
    if (bytes.length - at < size) break;
    const length =
      length7 === 126
        ? bytes.readUInt16BE(at + 2)
        : length7 === 127
          ? Number(bytes.readBigUInt64BE(at + 2))
          : length7;
    if (bytes.length - at < size + length) break;
    const opcode = bytes[at]! & 0x0f;
    frames.push({
      fin: (bytes[at]! & 0x80) !== 0,
      opcode,
      payload: bytes.subarray(at + size, at + size + length),
    });
    at += size + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

/** A WebSocket client that writes its own frames: for what `ws` would never send. */
export class RawClient {
  readonly frames: ServerFrame[] = [];
  readonly ended: Promise<void>;
  private pending: Buffer = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseServerFrames(Buffer.concat([this.pending, chunk]));
      this.frames.push(...frames);
      this.pending = rest;
    });
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Upgrades by hand, then sends the hello frame (and `behindHello` in the same write). */
  static async open(port: number, behindHello: Buffer = Buffer.alloc(0)): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET / HTTP/1.1\r\nHost: relay.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const response = await readUntil(socket, '\r\n\r\n');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    if (!response.head.startsWith('HTTP/1.1 101') || !response.head.includes(accept))
      throw new Error(`no upgrade: ${response.head}`);
    const client = new RawClient(socket);
    socket.unshift(response.rest);
    socket.resume();
    socket.write(Buffer.concat([clientFrame(OP.text, Buffer.from('hello')), behindHello]));
    return client;
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** The payloads of the data frames received so far, concatenated. */
  data(): Buffer {
    const afterReply = this.frames.slice(1);
    return Buffer.concat(afterReply.filter((frame) => frame.opcode < OP.close).map((frame) => frame.payload));
  }

  /** The status code of the close frame received, if any. */
  closeCode(): number | undefined {
    const close = this.frames.find((frame) => frame.opcode === OP.close);
    return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : close && 1005;
  }
}

function readUntil(socket: Socket, marker: string): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let bytes = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      const end = bytes.indexOf(marker);
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ head: bytes.subarray(0, end).toString(), rest: bytes.subarray(end + marker.length) });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed during the upgrade')));
  });
}

/** A `ws` client that says hello and collects messages. */
export class WsClient {
  readonly messages: { data: Buffer; binary: boolean }[] = [];
  readonly ended: Promise<{ code: number }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary) => this.messages.push({ data, binary }));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
  }

  static async open(port: number): Promise<WsClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    await once(socket, 'open');
    socket.send('hello');
    return new WsClient(socket);
  }

  /** Every message after the `paired` reply, concatenated. */
  data(): Buffer {
    return Buffer.concat(this.messages.slice(1).map((message) => message.data));
  }
}

export interface WsPair {
  legs: { client: WsLeg; agent: WsLeg };
  crossed: Record<Direction, number>;
  ended: Promise<void>;
}

/** A `ws` server whose connections become WsLegs, paired two by two as the relay pairs them. */
export class PairingServer {
  private readonly waiting: ((leg: WsLeg) => void)[] = [];
  private readonly legs = new Set<WsLeg>();

  private constructor(
    private readonly http: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<PairingServer> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const server = new PairingServer(http, (http.address() as AddressInfo).port);
    http.on('upgrade', (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (ws) => {
        const leg = new WsLeg(ws);
        server.legs.add(leg);
        leg.onClose(() => server.legs.delete(leg));
        leg.firstMessage(() => server.waiting.shift()?.(leg));
      }),
    );
    return server;
  }

  /** The next leg to say hello. */
  leg(): Promise<WsLeg> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Answers both legs `paired` and splices them. */
  static pair(client: WsLeg, agent: WsLeg): WsPair {
    const crossed: Record<Direction, number> = { to_agent: 0, to_client: 0 };
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    client.reply({ type: 'paired' });
    agent.reply({ type: 'paired' });
    splice(client, agent, { bytes: (direction, count) => (crossed[direction] += count), end });
    return { legs: { client, agent }, crossed, ended };
  }

  /** Tears down every leg still open (stopping their threads, which keep the process alive). */
  close(): Promise<void> {
    for (const leg of this.legs) leg.destroy();
    this.http.closeAllConnections();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }
}

export const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
