import type { Server } from '@nestjs/microservices';

export interface PollOptions {
  /** This instance's id: broker commands for the agents it holds arrive on `pollCommandSubject(pollId)`. */
  pollId: string;
  port: number;
  host: string;
  heartbeatSeconds: number;
  /** The bus server strategy this app serves with: the per-instance command subject is added to it at runtime. */
  commandTransport: Pick<Server, 'addHandler'>;
  /** How long a new connection may take to send `hello`; defaults to 5 s. */
  helloTimeoutMs?: number;
  /**
   * Agents admitted between connecting and online at once; more are answered 503 with a time to come
   * back, as many slots a second. Defaults to 1,024.
   */
  maxHandshakes?: number;
}

export const POLL_OPTIONS = Symbol('POLL_OPTIONS');

/**
 * No heartbeat for an interval and a half closes the connection (offline `timeout`): a heartbeat may come
 * half an interval late, and an agent that died silently just after one shows offline within two
 * intervals of its death, delivery included (issue 6). The stored TTL outlives the deadline.
 */
export const heartbeatDeadlineMs = (options: PollOptions): number => options.heartbeatSeconds * 1500;
export const presenceTtlMs = (options: PollOptions): number => options.heartbeatSeconds * 3000;
