import type { Candidate, OfflineReason } from '@hostlink/protocol';

/** Where a host is connected right now. Kept only while the host is online (it expires with the TTL). */
export interface PresenceRecord {
  hostId: string;
  /** The poll instance holding the agent's connection: broker commands for the agent go there. */
  pollId: string;
  /** Distinguishes two connections of the same host, so an old one cannot remove a newer one. */
  connectionId: string;
  connectedAt: string;
  /** As given to `markOnline` or `restore`, then the time of the last `touch` (by the store's clock). */
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
  /**
   * A heartbeat of `connectionId`: while it holds the host, extends its TTL and moves `lastSeenAt` to now
   * (`held`). Another connection holding the host wins: `replaced`, nothing changes. `lost`: no connection
   * holds it any more (its TTL ran out, or the store lost it in a restart); the caller, who knows whether
   * the connection still lives, puts it back with `restore`. Only ids travel: at scale, heartbeats are
   * nearly all the writes there are.
   */
  touch(hostId: string, connectionId: string, ttlMs: number): Promise<TouchResult>;
  /**
   * Writes a live connection's record again after `touch` said `lost`, so presence rebuilds itself within
   * one heartbeat; a connection that took the host meanwhile wins (`replaced`).
   */
  restore(record: PresenceRecord, ttlMs: number): Promise<RestoreResult>;
  /** Ends the host's presence only if this connection still holds it, keeping why; true when it did. */
  markOffline(hostId: string, connectionId: string, reason: OfflineReason): Promise<boolean>;
  /** The online records of these hosts. */
  get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>>;
  /** Why and when these hosts last went offline, where known (kept for `OFFLINE_MEMORY_MS`). */
  lastOffline(hostIds: readonly string[]): Promise<Map<string, OfflineNote>>;
  /**
   * What a host list shows, for a long list at once: the hosts online (as `get` finds them) with their
   * last heartbeat, the others with what `lastOffline` knows; hosts with neither are absent. Cheaper than
   * both reads for a thousand hosts: no records travel or get parsed.
   */
  listing(hostIds: readonly string[]): Promise<Map<string, ListedPresence>>;
}

export type ListedPresence = { online: true; lastSeenAt: string } | { online: false; offline: OfflineNote };

export interface OfflineNote {
  reason: OfflineReason;
  at: string;
}

/** How long a host's last offline reason is remembered. */
export const OFFLINE_MEMORY_MS = 7 * 24 * 3600 * 1000;

export type TouchResult = 'held' | 'replaced' | 'lost';
export type RestoreResult = 'restored' | 'replaced';

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
