import {
  POLL_BUSY_STATUS,
  POLL_MAX_FRAME_BYTES,
  type PollAgentFrame,
  PollCloseCode,
  PollServerFrame,
  pollRetryAfterMs,
} from '@hostlink/protocol';
import WebSocket from 'ws';
import { AgentBackoff } from './backoff.js';
import { type HostIdentity, pollProof } from './host-identity.js';
import { rawText } from './raw-text.js';

const HEARTBEAT = JSON.stringify({ type: 'heartbeat' } satisfies PollAgentFrame);

/** What every agent of a fleet reports into. */
export interface FleetCounters {
  heartbeatsSent: number;
  connectAttempts: number;
  /** Close codes seen by agents, e.g. 1006 when their poll died. */
  closes: Map<number, number>;
  /** Closes after which the real agent stops for good (unknown host, replaced). */
  fatal: number;
}

/**
 * One agent at the protocol level, behaving like apps/agent/src/poll/poll-client.ts: the real WebSocket
 * handshake, proof of its static key, heartbeats at the interval poll's welcome gives, and reconnects
 * with the agent's back-off after a lost connection.
 */
export class SimAgent {
  /** The poll instance that sent the last challenge. */
  pollId?: string;
  /** performance.now() of the last welcome, while online. */
  onlineAt?: number;
  /** From opening the connection that is online now to its welcome. */
  handshakeMs?: number;
  /** While set, the regular heartbeats at poll's interval are skipped (the bench drives them instead). */
  regularPaused = false;
  private attemptAt = 0;
  private urls: readonly string[] = [];
  private comebackMs: number | undefined;
  private socket?: WebSocket;
  private heartbeat?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private stopping = true;
  private readonly backoff = new AgentBackoff();

  constructor(
    readonly host: HostIdentity,
    private readonly counters: FleetCounters,
  ) {}

  get online(): boolean {
    return this.onlineAt !== undefined;
  }

  /**
   * Connects, and reconnects after a lost connection, to `url`; given several, each attempt goes to the
   * first that accepts (a refused one is skipped at once), as a Service in front of poll instances routes
   * to a live one.
   */
  start(url: string | readonly string[]): void {
    this.stopping = false;
    this.urls = typeof url === 'string' ? [url] : url;
    this.connect(0);
  }

  /** Sends a heartbeat now, on top of the regular ones; false when not online. */
  beat(): boolean {
    const socket = this.socket;
    if (!this.online || socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(HEARTBEAT);
    this.counters.heartbeatsSent += 1;
    return true;
  }

  /** Resolves once poll answered a ping sent after everything before: it has read all earlier frames. */
  async flushed(): Promise<void> {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    await new Promise<void>((resolve) => {
      socket.once('pong', () => resolve());
      socket.once('close', () => resolve());
      socket.ping();
    });
  }

  /** Says `bye` like the agent's stop, so poll marks the host offline at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return socket?.terminate();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.send(JSON.stringify({ type: 'bye' } satisfies PollAgentFrame), () => socket.close(1000));
    });
  }

  /**
   * Dies without a word, as when its machine freezes or its network drops without a FIN: no heartbeat, no
   * close, nothing read, the TCP connection left open. Poll can only notice by its heartbeat deadline.
   */
  dieSilently(): void {
    this.stopping = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.socket?.pause();
  }

  /** Its process killed: the kernel closes the socket (no `bye`, no close frame), nothing reconnects. */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.socket?.terminate();
  }

  private connect(index: number): void {
    if (index === 0) {
      this.counters.connectAttempts += 1;
      this.attemptAt = performance.now();
    }
    const socket = new WebSocket(this.urls[index]!, {
      maxPayload: POLL_MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    let refused = false;
    // As the agent does: a busy poll names when to come back.
    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode === POLL_BUSY_STATUS)
        this.comebackMs = pollRetryAfterMs(response.headers['retry-after']);
      response.resume();
      socket.terminate();
    });
    socket.on('message', (data, isBinary) => this.receive(socket, data, isBinary));
    socket.on('error', (error: NodeJS.ErrnoException) => (refused = error.code === 'ECONNREFUSED'));
    socket.on('close', (code) => {
      // As the agent: a socket given up by stop() may close after start() opened the next one.
      if (socket !== this.socket) return;
      if (refused && index + 1 < this.urls.length && !this.stopping) return this.connect(index + 1);
      this.closed(code);
    });
  }

  private receive(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const frame = isBinary ? undefined : parseFrame(rawText(data));
    if (!frame) return socket.close(PollCloseCode.ProtocolError);
    if (frame.type === 'challenge') {
      this.pollId = frame.pollId;
      const hello: PollAgentFrame = {
        type: 'hello',
        hostId: this.host.hostId,
        proof: pollProof(this.host, frame.ephemeralPublicKey, frame.nonce),
        agentVersion: 'bench',
        direct: [],
      };
      socket.send(JSON.stringify(hello));
    } else if (frame.type === 'welcome') {
      this.backoff.reset();
      this.onlineAt = performance.now();
      this.handshakeMs = this.onlineAt - this.attemptAt;
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        if (!this.regularPaused) this.beat();
      }, frame.heartbeatSeconds * 1000);
    }
  }

  private closed(code: number): void {
    clearInterval(this.heartbeat);
    this.onlineAt = undefined;
    this.socket = undefined;
    this.counters.closes.set(code, (this.counters.closes.get(code) ?? 0) + 1);
    if (this.stopping) return;
    if (code === PollCloseCode.Unauthenticated || code === PollCloseCode.Replaced) {
      this.counters.fatal += 1;
      return;
    }
    const delay = this.comebackMs ?? this.backoff.next();
    this.comebackMs = undefined;
    this.retry = setTimeout(() => this.connect(0), delay);
  }
}

function parseFrame(text: string): PollServerFrame | undefined {
  try {
    const parsed = PollServerFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
