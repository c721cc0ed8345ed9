import { z } from 'zod';
import { Candidate, Id, IsoTime } from '../primitives.js';

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
  hostId: Id,
  online: z.boolean(),
  pollId: z.string().min(1).max(128),
  at: IsoTime,
  reason: OfflineReason.optional(),
  direct: z.array(Candidate).max(16).optional(),
});
export type PresenceChanged = z.infer<typeof PresenceChanged>;

export const RelayLoad = z.object({
  relayId: z.string().min(1).max(128),
  url: z.string(),
  activeSessions: z.number().int().nonnegative(),
  at: IsoTime,
});
export type RelayLoad = z.infer<typeof RelayLoad>;

export const AgentCommand = z.object({
  hostId: Id,
  command: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('open-relay'),
      connectionId: z.string().min(1).max(128),
      relayUrl: z.string(),
      ticket: z.string(),
    }),
    /** The host was removed: poll closes the agent's socket as unauthenticated (re-enroll, don't retry). */
    z.object({ type: z.literal('revoke') }),
  ]),
});
export type AgentCommand = z.infer<typeof AgentCommand>;
export const AgentCommandResult = z.object({ delivered: z.boolean() });
export type AgentCommandResult = z.infer<typeof AgentCommandResult>;
