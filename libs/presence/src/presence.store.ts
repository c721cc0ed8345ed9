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
  /**
   * A heartbeat of `record`'s connection (its `lastSeenAt` is the new time): extends the TTL while the
   * connection holds the host. When the entry is gone although the connection lives (the store restarted
   * and lost it, or it expired a moment early) the record is written again: presence rebuilds itself
   * within one heartbeat. Another connection holding the host wins: `replaced`.
   */
  touch(record: PresenceRecord, ttlMs: number): Promise<TouchResult>;
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

export type TouchResult = 'held' | 'restored' | 'replaced';

export const PRESENCE_STORE = Symbol('PRESENCE_STORE');
