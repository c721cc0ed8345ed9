import type { Socket } from 'node:net';
import type { RelayReply } from '@hostlink/protocol';
import { type RawData, WebSocket } from 'ws';
import type { Taken, ThreadedLeg } from './in-thread.js';
import { canSpliceInKernel, detachReads, flushed } from './kernel-splice.js';

/**
 * Above this many queued bytes a WebSocket leg asks its writer to pause. 256 KiB, not more: it is most of
 * what a relayed WebSocket stream costs in memory (1 MiB gave 1.4 MiB per stream under 100 streams, 256
 * KiB about 0.5 MiB, with the same single-stream speed in the relay bench).
 */
const HIGH_WATER_BYTES = 256 * 1024;
/** Bytes a leg may send before pairing; anything more is a flood. */
const MAX_EARLY_BYTES = 1024 * 1024;

/**
 * What `ws` keeps on a WebSocket: its socket and its frame parser (not public API; `ws` is pinned by the
 * lockfile, and anything unexpected here only means the pair is joined in JS instead).
 */
interface WsInternals {
  _socket?: Socket;
  _receiver?: { _state?: unknown; _bufferedBytes?: unknown; _fragmented?: unknown };
}

/**
 * A WebSocket leg: replies are text messages, then every message (binary, or text as its UTF-8 bytes) is
 * forwarded as bytes. Messages that arrive before pairing are held until the splice starts. After
 * pairing, `ws` only keeps the connection's lifecycle: a native thread reads and writes the frames
 * (`native/websocket-forward.cc`), or, without the addon, messages are forwarded here.
 */
export class WsLeg implements ThreadedLeg {
  readonly transport = 'ws';
  private listener?: (chunk: Buffer) => void;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private drainListener?: () => void;
  /** Set while a native thread forwards this leg: Node must not close the fd under it. */
  private stopThread?: () => void;

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(toBuffer(data)));
    socket.on('error', () => socket.terminate());
  }

  get closed(): boolean {
    return this.socket.readyState === WebSocket.CLOSING || this.socket.readyState === WebSocket.CLOSED;
  }

  reply(reply: RelayReply): void {
    this.socket.send(JSON.stringify(reply));
  }

  fail(code: string, message: string): void {
    if (this.closed) return;
    this.reply({ type: 'error', code, message });
    this.socket.close(4000, code);
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  write(chunk: Buffer): boolean {
    this.socket.send(chunk, { binary: true }, () => this.maybeDrained());
    return this.socket.bufferedAmount < HIGH_WATER_BYTES;
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
    for (const chunk of this.early.splice(0)) listener(chunk);
    this.earlyBytes = 0;
    this.socket.resume();
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  end(): void {
    this.socket.close(1000);
  }

  destroy(): void {
    if (this.stopThread) return this.stopThread();
    this.socket.terminate();
  }

  handOverSocket(): Socket | undefined {
    const { _socket: socket, _receiver: receiver } = this.socket as unknown as WsInternals;
    // The thread starts parsing at a frame boundary: ws must hold no part of a frame or message.
    const atBoundary = receiver?._state === 0 && receiver._bufferedBytes === 0 && receiver._fragmented === 0;
    const open = this.socket.readyState === WebSocket.OPEN;
    return open && atBoundary && socket && canSpliceInKernel(socket) ? socket : undefined;
  }

  detach(): Taken {
    const socket = (this.socket as unknown as WsInternals)._socket!;
    return { unread: detachReads(socket), messages: this.early.splice(0) };
  }

  deliver(payloads: Buffer[]): Promise<void> {
    for (const payload of payloads) this.socket.send(payload, { binary: true });
    return flushed((this.socket as unknown as WsInternals)._socket!, Buffer.alloc(0));
  }

  handOver(stop: () => void): void {
    this.stopThread = stop;
  }

  /** The first message is the hello: hand it over once, and hold later ones until the splice. */
  firstMessage(listener: (message: Buffer) => void): void {
    this.listener = (message) => {
      this.listener = undefined;
      this.socket.pause();
      listener(message);
    };
  }

  private receive(chunk: Buffer): void {
    if (this.listener) return this.listener(chunk);
    this.early.push(chunk);
    this.earlyBytes += chunk.length;
    if (this.earlyBytes > MAX_EARLY_BYTES) this.fail('bad_request', 'too much data before pairing');
  }

  private maybeDrained(): void {
    if (this.socket.bufferedAmount < HIGH_WATER_BYTES / 2) this.drainListener?.();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
