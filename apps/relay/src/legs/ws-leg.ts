import type { RelayReply } from '@hostlink/protocol';
import { type RawData, WebSocket } from 'ws';
import type { Leg } from './leg.js';

/**
 * Above this many queued bytes a WebSocket leg asks its writer to pause. 256 KiB, not more: it is most of
 * what a relayed WebSocket stream costs in memory (1 MiB gave 1.4 MiB per stream under 100 streams, 256
 * KiB about 0.5 MiB, with the same single-stream speed in the relay bench).
 */
const HIGH_WATER_BYTES = 256 * 1024;
/** Bytes a leg may send before pairing; anything more is a flood. */
const MAX_EARLY_BYTES = 1024 * 1024;

/**
 * A WebSocket leg: replies are text messages, then every message (binary, or text as its UTF-8 bytes) is
 * forwarded as bytes. Messages that arrive before pairing are held until the splice starts.
 */
export class WsLeg implements Leg {
  readonly transport = 'ws';
  private listener?: (chunk: Buffer) => void;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private drainListener?: () => void;

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
    this.socket.terminate();
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
