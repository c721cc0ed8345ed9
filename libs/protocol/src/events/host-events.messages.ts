import { z } from 'zod';
import { Id, IsoTime } from '../primitives.js';
import { OfflineReason } from '../bus/events.messages.js';

/**
 * The gateway's live host-status WebSocket (`ApiPath.events`). A browser cannot set an Authorization
 * header on a WebSocket, so the session token is the first message; nothing is pushed before it checks.
 */
export const HostEventsAuth = z.object({
  type: z.literal('auth'),
  sessionToken: z.string().min(1).max(8192),
});
export type HostEventsAuth = z.infer<typeof HostEventsAuth>;

export const HostEvent = z.discriminatedUnion('type', [
  /** The session token was accepted: presence changes of the user's hosts follow. */
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('presence'),
    hostId: Id,
    online: z.boolean(),
    at: IsoTime,
    reason: OfflineReason.optional(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type HostEvent = z.infer<typeof HostEvent>;

/** Close codes of the events socket (4000-4999 are the application's). */
export const HostEventsClose = {
  unauthenticated: 4401,
  badRequest: 4400,
} as const;
