import { z } from 'zod';
import { Candidate, CorrelationId, Id, IsoTime, RelayId } from '../primitives.js';

/**
 * `connection-lost`: the socket dropped without a `bye` (killed agent, network cut, protocol violation).
 * `removed`: the host was removed by its owner and poll closed its socket.
 */
export const OfflineReason = z.enum([
  'clean-stop',
  'timeout',
  'replaced',
  'poll-shutdown',
  'connection-lost',
  'removed',
]);
export type OfflineReason = z.infer<typeof OfflineReason>;

export const PresenceChanged = z.object({
  /** Names this change: a durable event delivered twice is recognised by it. */
  eventId: Id,
  hostId: Id,
  online: z.boolean(),
  pollId: z.string().min(1).max(128),
  at: IsoTime,
  reason: OfflineReason.optional(),
  direct: z.array(Candidate).max(16).optional(),
});
export type PresenceChanged = z.infer<typeof PresenceChanged>;

export const RelayLoad = z.object({
  relayId: RelayId,
  url: z.string(),
  /**
   * The same relay's raw TCP legs (same port), for peers with sockets: cheaper per byte than WebSocket
   * framing and masking. Absent where only the WebSocket is reachable (e.g. behind an HTTPS ingress).
   */
  tcpUrl: z.string().max(2048).optional(),
  activeSessions: z.number().int().nonnegative(),
  at: IsoTime,
  /** Sent once by a relay shutting down cleanly: brokers stop offering it at once. */
  stopping: z.boolean().optional(),
});
export type RelayLoad = z.infer<typeof RelayLoad>;

export const AgentCommand = z.object({
  hostId: Id,
  command: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('open-relay'),
      connectionId: z.string().min(1).max(128),
      relayUrl: z.string(),
      relayTcpUrl: z.string().optional(),
      ticket: z.string(),
    }),
    /** The host was removed: poll closes the agent's socket as unauthenticated (re-enroll, don't retry). */
    z.object({ type: z.literal('revoke') }),
  ]),
  /** The request that caused the command, so poll's log lines of it carry the same id. */
  correlationId: CorrelationId.optional(),
});
export type AgentCommand = z.infer<typeof AgentCommand>;
export const AgentCommandResult = z.object({ delivered: z.boolean() });
export type AgentCommandResult = z.infer<typeof AgentCommandResult>;
