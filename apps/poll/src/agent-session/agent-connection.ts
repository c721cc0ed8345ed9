import { randomUUID } from 'node:crypto';
import type { Candidate, PollServerFrame } from '@hostlink/protocol';
import type { WebSocket } from 'ws';
import { type Challenge, newChallenge } from './host-proof.js';

/** `gone`: presence already ended (bye, timeout, shutdown); only the socket's close is left. */
export type ConnectionState = 'challenged' | 'authenticating' | 'online' | 'gone';

/** One agent socket and where it is in the protocol: challenged → authenticating → online → gone. */
export class AgentConnection {
  readonly connectionId = randomUUID();
  /** Needed only until the hello is verified; dropped then, its native key being most of a connection's memory. */
  challenge?: Challenge = newChallenge();
  readonly connectedAt = new Date().toISOString();
  state: ConnectionState = 'challenged';
  hostId?: string;
  /** The addresses the agent offered for direct connections (kept to rebuild lost presence). */
  direct: Candidate[] = [];
  closed = false;
  /** Set when a newer connection of the same host took over: this one then leaves without an event. */
  replaced = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly socket: WebSocket) {}

  send(frame: PollServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Tells the agent why (as an `error` frame when there is a reason to give) and closes. */
  close(code: number, reason: string, errorCode?: string): void {
    this.stopTimer();
    if (errorCode) this.send({ type: 'error', code: errorCode, message: reason });
    this.socket.close(code, reason);
  }

  /** (Re)arms the single deadline of this connection: the hello deadline, then the heartbeat deadline. */
  armTimer(ms: number, onExpiry: () => void): void {
    this.stopTimer();
    this.timer = setTimeout(onExpiry, ms);
  }

  /** Starts the running deadline again from now, as long as before: a heartbeat needs no new timer. */
  restartTimer(): void {
    this.timer?.refresh();
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
