import type { Candidate, OfflineReason } from '@hostlink/protocol';

/** Where a host is connected right now. Kept only while the host is online (it expires with the TTL). */
export interface PresenceRecord {
  hostId: string;
  /** The poll instance holding the agent's connection: broker commands for the agent go there. */
  pollId: string;
  /** Distinguishes two connections of the same host, so an old one cannot remove a newer one. */
  connectionId: string;
  connectedAt: string;
  lastSeenAt: string;
  direct: Candidate[];
}

/**
 * Presence of hosts, shared by every poll and broker instance: in memory in the embedded mode, Redis in
 * the distributed one. Both implementations pass one contract suite.
 */
export interface PresenceStore {
  /** Records a new connection; returns the record it replaced, if another connection held the host. */
  markOnline(record: PresenceRecord, ttlMs: number): Promise<PresenceRecord | undefined>;
  /** Extends the TTL on a heartbeat; false when the connection no longer holds the host (replaced or expired). */
  touch(hostId: string, connectionId: string, at: string, ttlMs: number): Promise<boolean>;
  /** Removes the host only if this connection still holds it; true when it did. */
  markOffline(hostId: string, connectionId: string, reason: OfflineReason): Promise<boolean>;
  get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>>;
}

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
