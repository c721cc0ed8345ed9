/** The batched heartbeat script's command name (connection options refer to it). */
export const TOUCH_MANY_COMMAND = 'hostlinkPresenceTouchMany';

/** The commands `defineCommand` adds (scripts in redis-presence.scripts.ts); ioredis cannot type them. */
export interface PresenceCommands {
  hostlinkPresenceMarkOnline(
    hashKey: string,
    liveKey: string,
    connectionId: string,
    record: string,
    ttlMs: number,
  ): Promise<[string, number, string] | null>;
  hostlinkPresenceRestore(
    hashKey: string,
    liveKey: string,
    connectionId: string,
    record: string,
    ttlMs: number,
  ): Promise<number>;
  hostlinkPresenceTouchMany(keyCount: number, ...liveKeysThenTtl: (string | number)[]): Promise<number[]>;
  hostlinkPresenceTouchGone(hashKey: string, connectionId: string): Promise<'replaced' | 'lost'>;
  hostlinkPresenceMarkOffline(
    hashKey: string,
    liveKey: string,
    connectionId: string,
    reason: string,
    at: string,
    memoryMs: number,
  ): Promise<number>;
  hostlinkPresenceReadOnline(keyCount: number, ...hashKeys: string[]): Promise<(string | number | null)[]>;
  hostlinkPresenceReadListing(keyCount: number, ...hashKeys: string[]): Promise<(string | number | null)[]>;
  hostlinkPresenceReadFields(
    keyCount: number,
    ...keysThenFields: string[]
  ): Promise<(string | number | null)[]>;
}

/** The host's hash: its record while a connection holds it, its offline note after. */
export function hostHashKey(prefix: string, hostId: string): string {
  return `${prefix}presence:${hostId}`;
}

/**
 * A connection's live key. The host id's length makes the name unambiguous whatever the ids hold (`a:b`
 * + `c` and `a` + `b:c` differ), and the `presence-live:` namespace keeps it apart from every host hash.
 */
export function liveKey(prefix: string, hostId: string, connectionId: string): string {
  return `${prefix}presence-live:${hostId.length}:${hostId}:${connectionId}`;
}
