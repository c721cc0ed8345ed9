import type { ByteLink } from './byte-link.js';
import { LinkEvents } from './link-events.js';

/** What both the browser WebSocket and the `ws` package offer; duck-typed so neither is imported. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: MessageLike) => void): void;
  addEventListener(type: 'close', listener: (event: CloseLike) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
}

export interface MessageLike {
  readonly data: unknown;
}
export interface CloseLike {
  readonly code: number;
  readonly reason: string;
}

export interface WebSocketLinkOptions {
  /**
   * Writes wait while more than this is queued in the socket (browsers have no drain event, so the
   * queue is polled). Default 4 MiB: with 1 MiB, one-frame messages drained the queue between two polls
   * and a relayed stream fell to a third of the speed (relay bench, WebSocket legs).
   */
  readonly highWaterMark?: number;
  readonly pollIntervalMs?: number;
}

const OPEN = 1;
const CONNECTING = 0;
const NORMAL_CLOSURES = new Set([1000, 1005]);

export function createWebSocketLink(socket: WebSocketLike, options: WebSocketLinkOptions = {}): ByteLink {
  const events = new LinkEvents();
  const highWaterMark = options.highWaterMark ?? 4 * 1024 * 1024;
  const pollIntervalMs = options.pollIntervalMs ?? 5;
  socket.binaryType = 'arraybuffer';
  const opened = whenOpen(socket, events);
  listen(socket, events);
  return {
    async write(bytes) {
      await opened;
      if (events.closed) throw new Error('WebSocket link closed');
      socket.send(bytes);
      while (socket.bufferedAmount > highWaterMark && !events.closed) await delay(pollIntervalMs);
    },
    onData: (handler) => events.setDataHandler(handler),
    onClose: (handler) => events.setCloseHandler(handler),
    close(error) {
      if (events.closed) return;
      events.emitClose(error);
      socket.close(error ? 4000 : 1000, error ? 'error' : '');
    },
  };
}

function listen(socket: WebSocketLike, events: LinkEvents): void {
  let lastError: Error | undefined;
  socket.addEventListener('message', (event: MessageLike) => {
    const bytes = toBytes(event.data);
    if (bytes) events.emitData(bytes);
    else abort(socket, events, new Error('WebSocket link received a non-binary message'));
  });
  socket.addEventListener('error', () => {
    lastError = new Error('WebSocket error');
  });
  socket.addEventListener('close', (event: CloseLike) => {
    const abnormal = !NORMAL_CLOSURES.has(event.code);
    events.emitClose(
      abnormal ? (lastError ?? new Error(`WebSocket closed: ${event.code} ${event.reason}`)) : undefined,
    );
  });
}

function abort(socket: WebSocketLike, events: LinkEvents, error: Error): void {
  events.emitClose(error);
  socket.close(4000, 'protocol error');
}

function whenOpen(socket: WebSocketLike, events: LinkEvents): Promise<void> {
  if (socket.readyState === OPEN) return Promise.resolve();
  if (socket.readyState !== CONNECTING) {
    events.emitClose(new Error('WebSocket is not open'));
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });
}

/** `ws` may hand over a Buffer even in arraybuffer mode (fragmented messages); browsers an ArrayBuffer. */
function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) return concat(data);
  return null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
