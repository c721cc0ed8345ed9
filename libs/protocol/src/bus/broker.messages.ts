import { z } from 'zod';
import { OfflineReason } from './events.messages.js';
import { Candidate, HostName, Id, IsoTime, Jwt, Policy, PublicKey, RelayId, Secret } from '../primitives.js';

export const CreateSessionRequest = z.object({ accessToken: Jwt });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const UserView = z.object({
  id: Id,
  email: z.string(),
  accountId: Id,
  role: z.enum(['admin', 'member']),
});
export type UserView = z.infer<typeof UserView>;

export const SessionResponse = z.object({
  sessionToken: z.string(),
  expiresIn: z.number().int().positive(),
  user: UserView,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** Every user request to the broker carries the caller's session token; the broker derives the context. */
export const SessionScoped = z.object({ sessionToken: Jwt });

export const HostView = z.object({
  id: Id,
  name: z.string(),
  os: z.string(),
  online: z.boolean(),
  lastSeenAt: IsoTime.nullable(),
  /** Why an offline host went offline, where known (e.g. `clean-stop`, `timeout`, `replaced`). */
  offlineReason: OfflineReason.nullable().optional(),
  enrolledAt: IsoTime,
});
export type HostView = z.infer<typeof HostView>;

export const ListHostsRequest = SessionScoped;
export type ListHostsRequest = z.infer<typeof ListHostsRequest>;
export const ListHostsResponse = z.object({ hosts: z.array(HostView) });
export type ListHostsResponse = z.infer<typeof ListHostsResponse>;

export const CreateEnrollmentRequest = SessionScoped;
export type CreateEnrollmentRequest = z.infer<typeof CreateEnrollmentRequest>;
export const EnrollmentResponse = z.object({ token: z.string(), expiresAt: IsoTime });
export type EnrollmentResponse = z.infer<typeof EnrollmentResponse>;

export const RegisterHostRequest = z.object({
  enrollmentToken: Secret,
  name: HostName,
  os: z.string().min(1).max(64),
  publicKey: PublicKey,
});
export type RegisterHostRequest = z.infer<typeof RegisterHostRequest>;
export const RegisterHostResponse = z.object({
  hostId: Id,
  accountId: Id,
  /** Public keys the agent uses to verify connection grants (the broker's JWKS). */
  brokerKeys: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  pollUrl: z.string(),
});
export type RegisterHostResponse = z.infer<typeof RegisterHostResponse>;

export const ConnectRequest = SessionScoped.extend({
  hostId: Id,
  clientPublicKey: PublicKey,
  /** Relays the client just failed to use (e.g. one that died mid-transfer): offered only if nothing else is. */
  avoidRelayIds: z.array(RelayId).max(8).optional(),
});
export type ConnectRequest = z.infer<typeof ConnectRequest>;
export const ConnectOffer = z.object({
  hostId: Id,
  hostPublicKey: PublicKey,
  /** Signed, single use, ~60 s; names user, client key, host and policy. Presented inside the channel. */
  grant: z.string(),
  /** `tcpUrl`, when present, is the same relay's raw TCP legs: clients with sockets prefer it. */
  relay: z
    .object({ id: RelayId, url: z.string(), tcpUrl: z.string().optional(), ticket: z.string() })
    .nullable(),
  direct: z.array(Candidate),
  policy: Policy,
});
export type ConnectOffer = z.infer<typeof ConnectOffer>;

export const RemoveHostRequest = SessionScoped.extend({ hostId: Id });
export type RemoveHostRequest = z.infer<typeof RemoveHostRequest>;
export const RemoveHostResponse = z.object({ removed: z.literal(true) });
export type RemoveHostResponse = z.infer<typeof RemoveHostResponse>;

export const HostKeyRequest = z.object({ hostId: Id });
export type HostKeyRequest = z.infer<typeof HostKeyRequest>;
export const HostKeyResponse = z.object({ hostId: Id, accountId: Id, publicKey: PublicKey });
export type HostKeyResponse = z.infer<typeof HostKeyResponse>;
