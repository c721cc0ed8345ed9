import WebSocket from 'ws';
import {
  POLL_BUSY_STATUS,
  POLL_MAX_FRAME_BYTES,
  PollCloseCode,
  pollRetryAfterMs,
  PollServerFrame,
  type Candidate,
  type PollAgentFrame,
} from '@hostlink/protocol';
import { pollProof, type StoredKey } from '../config/static-key.js';
import type { Logger } from '../log/logger.js';
import { Backoff } from './backoff.js';

export interface OpenRelay {
  readonly connectionId: string;
  readonly relayUrl: string;
  readonly relayTcpUrl?: string;
  readonly ticket: string;
}

export interface PollClientOptions {
  readonly url: string;
  readonly hostId: string;
  readonly staticKey: StoredKey;
  readonly agentVersion: string;
  readonly candidates: () => Candidate[];
  readonly onOnline: () => void;
  readonly onOpenRelay: (command: OpenRelay) => void;
  /** Enrollment revoked or another instance took over: reconnecting will not help. */
  readonly onFatal: (reason: string) => void;
  readonly log: Logger;
}

/** Close codes after which the same key and config would fail again. */
const FATAL_CLOSES = new Map<number, string>([
  [
    PollCloseCode.Unauthenticated,
    'this host was removed or is unknown to the server: enroll it again (`hostlink-agent enroll`)',
  ],
  [PollCloseCode.Replaced, 'another agent with this identity connected and took over'],
]);

/** Heartbeat intervals without a word from poll (not even a pong) after which the connection is dead. */
const SILENT_HEARTBEATS = 3;

/** Keeps this host present at poll: proof of key, heartbeats, open-relay commands, reconnects. */
export class PollClient {
  private socket: WebSocket | null = null;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  /** Set by a busy poll's answer: when to come back instead of the back-off's next delay. */
  private comebackMs: number | undefined;
  private readonly backoff = new Backoff();

  constructor(private readonly options: PollClientOptions) {}

  start(): void {
    this.stopping = false;
    this.connect();
  }

  /** Says `bye` so the host shows offline at once, then closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      socket?.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.send(JSON.stringify({ type: 'bye' } satisfies PollAgentFrame), () => socket.close(1000));
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2_000).unref();
    });
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url, {
      maxPayload: POLL_MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    let answered: number | undefined;
    socket.on('unexpected-response', (_request, response) => {
      answered = response.statusCode;
      if (answered === POLL_BUSY_STATUS) this.comebackMs = pollRetryAfterMs(response.headers['retry-after']);
      response.resume();
      socket.terminate();
    });
    socket.on('message', (data, isBinary) => this.receive(socket, data, isBinary));
    socket.on('error', (error) =>
      this.options.log.warn('poll connection error', {
        error: answered ? `poll answered HTTP ${answered} instead of a WebSocket` : error.message,
      }),
    );
    // A socket given up by stop() may close after start() opened the next one: that close is not news.
    socket.on('close', (code, reason) => {
      if (socket === this.socket) this.closed(code, reason.toString());
    });
  }

  private receive(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const frame = isBinary ? null : parseFrame(rawText(data));
    if (!frame) {
      this.options.log.warn('malformed frame from poll');
      socket.close(PollCloseCode.ProtocolError);
      return;
    }
    switch (frame.type) {
      case 'challenge': {
        const proof = pollProof(
          this.options.staticKey,
          frame.ephemeralPublicKey,
          frame.nonce,
          this.options.hostId,
        );
        const hello: PollAgentFrame = {
          type: 'hello',
          hostId: this.options.hostId,
          proof,
          agentVersion: this.options.agentVersion,
          direct: this.options.candidates(),
        };
        return socket.send(JSON.stringify(hello));
      }
      case 'welcome':
        return this.online(socket, frame.heartbeatSeconds);
      case 'open-relay':
        return this.options.onOpenRelay(frame);
      case 'replaced':
        return this.options.log.warn('poll says another connection replaced this one');
      case 'error':
        return this.options.log.warn('poll error', { code: frame.code, message: frame.message });
    }
  }

  /**
   * Heartbeats, and a WebSocket ping with each: a poll instance that vanished without closing the TCP
   * connection (its node lost, a network cut) stops answering pings, and this side notices within
   * SILENT_HEARTBEATS intervals instead of waiting for TCP to give up, then reconnects elsewhere.
   */
  private online(socket: WebSocket, heartbeatSeconds: number): void {
    this.backoff.reset();
    clearInterval(this.heartbeat);
    let lastHeard = Date.now();
    socket.on('pong', () => (lastHeard = Date.now()));
    socket.on('message', () => (lastHeard = Date.now()));
    const intervalMs = heartbeatSeconds * 1000;
    this.heartbeat = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (Date.now() - lastHeard > SILENT_HEARTBEATS * intervalMs) {
        this.options.log.warn('poll stopped answering; reconnecting');
        return socket.terminate();
      }
      socket.send(JSON.stringify({ type: 'heartbeat' } satisfies PollAgentFrame));
      socket.ping();
    }, intervalMs);
    this.options.onOnline();
  }

  private closed(code: number, reason: string): void {
    clearInterval(this.heartbeat);
    this.socket = null;
    if (this.stopping) return;
    const fatal = FATAL_CLOSES.get(code);
    if (fatal) return this.options.onFatal(fatal);
    // A busy poll named the agent's slot: it is alive, so the back-off does not grow.
    const delay = this.comebackMs ?? this.backoff.next();
    const busy = this.comebackMs !== undefined;
    this.comebackMs = undefined;
    if (busy) this.options.log.info('poll is busy; coming back when it said', { delayMs: delay });
    else this.options.log.warn('poll connection lost; reconnecting', { code, reason, delayMs: delay });
    this.retry = setTimeout(() => this.connect(), delay);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function parseFrame(text: string): PollServerFrame | null {
  try {
    const parsed = PollServerFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
