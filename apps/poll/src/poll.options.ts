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
}

export const POLL_OPTIONS = Symbol('POLL_OPTIONS');

/** Heartbeats missed for about two intervals close the connection; the stored TTL outlives that a little. */
export const heartbeatDeadlineMs = (options: PollOptions): number => options.heartbeatSeconds * 2000;
export const presenceTtlMs = (options: PollOptions): number => options.heartbeatSeconds * 3000;
