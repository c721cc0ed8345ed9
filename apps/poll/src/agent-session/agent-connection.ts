import { randomUUID } from 'node:crypto';
import type { Candidate, PollServerFrame } from '@hostlink/protocol';
import type { WebSocket } from 'ws';
import { type Challenge, newChallenge } from './host-proof.js';

/** `gone`: presence already ended (bye, timeout, shutdown); only the socket's close is left. */
export type ConnectionState = 'challenged' | 'authenticating' | 'online' | 'gone';

/**
 * One agent socket and where it is in the protocol: challenged → authenticating → online → gone. Poll holds
 * one per agent for as long as the agent is connected, so every field is declared (and so laid out in the
 * object itself) and nothing is kept that the protocol does not need.
 */
export class AgentConnection {
  readonly connectionId = randomUUID();
  /** Needed only until the hello is verified; dropped then, its native key being most of a connection's memory. */
  challenge?: Challenge = newChallenge();
  readonly connectedAt = new Date().toISOString();
  state: ConnectionState = 'challenged';
  hostId?: string = undefined;
  /** The addresses the agent offered for direct connections (kept to rebuild lost presence). */
  direct: Candidate[] = [];
  closed = false;
  /** Set when a newer connection of the same host took over: this one then leaves without an event. */
  replaced = false;
  /** Between connecting and online (or closed): counted against the instance's admission limit. */
  handshaking = true;
  /** While online: when the next heartbeat is due at the latest, in whole `performance.now()` milliseconds. */
  deadline = 0;
  /** Until the hello: the deadline for it (online deadlines are checked by one sweep for all connections). */
  private helloTimer?: NodeJS.Timeout = undefined;

  constructor(private readonly socket: WebSocket) {}

  send(frame: PollServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Tells the agent why (as an `error` frame when there is a reason to give) and closes. */
  close(code: number, reason: string, errorCode?: string): void {
    this.stopHelloTimer();
    if (errorCode) this.send({ type: 'error', code: errorCode, message: reason });
    this.socket.close(code, reason);
  }

  armHelloTimer(ms: number, onExpiry: () => void): void {
    this.stopHelloTimer();
    this.helloTimer = setTimeout(onExpiry, ms);
  }

  stopHelloTimer(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
  }
}
