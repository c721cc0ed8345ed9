import { Candidate, OfflineReason } from '@hostlink/protocol';
import type { Redis, RedisOptions } from 'ioredis';
import {
  type ListedPresence,
  OFFLINE_MEMORY_MS,
  type OfflineNote,
  type PresenceRecord,
  type PresenceStore,
  type TouchResult,
} from '../presence.store.js';
import {
  MARK_OFFLINE_LUA,
  MARK_ONLINE_LUA,
  READ_FIELDS_LUA,
  READ_LISTING_LUA,
  TOUCH_LUA,
} from './redis-presence.scripts.js';

export interface RedisPresenceOptions {
  /** The owner connects and quits it; the store only defines its scripts on it. */
  redis: Redis;
  /** Prepended to every key (`<keyPrefix>presence:<hostId>`): an environment, or a test run. */
  keyPrefix?: string;
}

/** The commands `defineCommand` adds; ioredis cannot type them, so they are declared here once. */
interface PresenceCommands {
  hostlinkPresenceMarkOnline(
    key: string,
    connectionId: string,
    record: string,
    lastSeenAt: string,
    ttlMs: number,
  ): Promise<(string | null)[]>;
  hostlinkPresenceTouch(
    key: string,
    connectionId: string,
    record: string,
    lastSeenAt: string,
    ttlMs: number,
  ): Promise<TouchResult>;
  hostlinkPresenceMarkOffline(
    key: string,
    connectionId: string,
    reason: OfflineReason,
    at: string,
    memoryMs: number,
  ): Promise<number>;
  hostlinkPresenceReadFields(keyCount: number, ...keysThenFields: string[]): Promise<(string | null)[]>;
  hostlinkPresenceReadListing(keyCount: number, ...keys: string[]): Promise<(number | string | null)[]>;
}

/** Hosts read per script call: bounds the arguments of one command and the time Redis spends in one script. */
const READ_BATCH = 1000;

/** Options for a service's connection: keep reconnecting with capped, jittered backoff after Redis restarts. */
export function reconnectingRedisOptions(): RedisOptions {
  return {
    connectTimeout: 5000,
    // Heartbeats of many agents arrive together: one write per event-loop tick instead of one per touch.
    enableAutoPipelining: true,
    // A heartbeat must fail (the agent's next one retries) rather than wait for ever in the offline queue.
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000) + Math.floor(Math.random() * 100),
  };
}

/**
 * The distributed mode's presence: one Redis hash per host with a PX TTL, shared by every poll and broker
 * instance. Changes that depend on who holds the host are Lua scripts, so racing instances cannot
 * interleave a read and a write. Expiry is Redis's own; reporting expired hosts is not done here.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Redis;
  private readonly commands: PresenceCommands;
  private readonly keyPrefix: string;

  constructor(options: RedisPresenceOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? '';
    this.redis.defineCommand('hostlinkPresenceMarkOnline', { numberOfKeys: 1, lua: MARK_ONLINE_LUA });
    this.redis.defineCommand('hostlinkPresenceTouch', { numberOfKeys: 1, lua: TOUCH_LUA });
    this.redis.defineCommand('hostlinkPresenceMarkOffline', { numberOfKeys: 1, lua: MARK_OFFLINE_LUA });
    // The number of keys varies: ioredis takes it as the first argument.
    this.redis.defineCommand('hostlinkPresenceReadFields', { lua: READ_FIELDS_LUA });
    this.redis.defineCommand('hostlinkPresenceReadListing', { lua: READ_LISTING_LUA });
    this.commands = this.redis as unknown as PresenceCommands;
  }

  async markOnline(record: PresenceRecord, ttlMs: number): Promise<PresenceRecord | undefined> {
    const key = this.key(record.hostId);
    const [connectionId, json, lastSeenAt] = await this.commands.hostlinkPresenceMarkOnline(
      key,
      record.connectionId,
      JSON.stringify(record),
      record.lastSeenAt,
      pexpire(ttlMs),
    );
    if (!json || !lastSeenAt || connectionId === record.connectionId) return undefined;
    return parseRecord(key, json, lastSeenAt);
  }

  touch(record: PresenceRecord, ttlMs: number): Promise<TouchResult> {
    return this.commands.hostlinkPresenceTouch(
      this.key(record.hostId),
      record.connectionId,
      JSON.stringify(record),
      record.lastSeenAt,
      pexpire(ttlMs),
    );
  }

  async markOffline(hostId: string, connectionId: string, reason: OfflineReason): Promise<boolean> {
    const ended = await this.commands.hostlinkPresenceMarkOffline(
      this.key(hostId),
      connectionId,
      reason,
      new Date().toISOString(),
      OFFLINE_MEMORY_MS,
    );
    return ended === 1;
  }

  async get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>> {
    const found = new Map<string, PresenceRecord>();
    for (const [hostId, [json, lastSeenAt]] of await this.fields(hostIds, 'record', 'lastSeenAt'))
      if (json && lastSeenAt) found.set(hostId, parseRecord(this.key(hostId), json, lastSeenAt));
    return found;
  }

  async lastOffline(hostIds: readonly string[]): Promise<Map<string, OfflineNote>> {
    const found = new Map<string, OfflineNote>();
    for (const [hostId, [reason, at]] of await this.fields(hostIds, 'offlineReason', 'offlineAt')) {
      // Most hosts of a long list have no note: skip them before the schema builds an error for each.
      if (!reason || !at) continue;
      const known = OfflineReason.safeParse(reason);
      if (known.success && at) found.set(hostId, { reason: known.data, at });
    }
    return found;
  }

  async listing(hostIds: readonly string[]): Promise<Map<string, ListedPresence>> {
    const found = new Map<string, ListedPresence>();
    const replies = await Promise.all(
      batchesOf(hostIds).map(async (batch) => ({
        batch,
        values: await this.commands.hostlinkPresenceReadListing(
          batch.length,
          ...batch.map((hostId) => this.key(hostId)),
        ),
      })),
    );
    for (const { batch, values } of replies) {
      for (let at = 0; at + 3 < values.length; at += 4) {
        const [position, lastSeenAt, reason, offlineAt] = values.slice(at, at + 4);
        const hostId = typeof position === 'number' ? batch[position - 1] : undefined;
        if (hostId === undefined) throw new Error('presence listing returned a position it was not asked');
        const listed = listedPresence(lastSeenAt, reason, offlineAt);
        if (listed) found.set(hostId, listed);
      }
    }
    return found;
  }

  /** The named fields of every host's hash: one script call per thousand hosts, all sent at once. */
  private async fields(hostIds: readonly string[], ...names: string[]) {
    const replies = await Promise.all(
      batchesOf(hostIds).map((batch) =>
        this.commands.hostlinkPresenceReadFields(
          batch.length,
          ...batch.map((hostId) => this.key(hostId)),
          ...names,
        ),
      ),
    );
    const values = replies.flat();
    if (values.length !== hostIds.length * names.length)
      throw new Error(`presence read returned ${values.length} values for ${hostIds.length} hosts`);
    return new Map(
      hostIds.map((hostId, index) => [
        hostId,
        values.slice(index * names.length, (index + 1) * names.length),
      ]),
    );
  }

  private key(hostId: string): string {
    return `${this.keyPrefix}presence:${hostId}`;
  }
}

/** One script call per thousand hosts, all sent at once. */
function batchesOf(hostIds: readonly string[]): (readonly string[])[] {
  const batches: (readonly string[])[] = [];
  for (let start = 0; start < hostIds.length; start += READ_BATCH)
    batches.push(hostIds.slice(start, start + READ_BATCH));
  return batches;
}

/** One host of the listing script's reply; an unknown offline reason is left out, as `lastOffline` does. */
function listedPresence(
  lastSeenAt: number | string | null | undefined,
  reason: number | string | null | undefined,
  at: number | string | null | undefined,
): ListedPresence | undefined {
  if (typeof lastSeenAt === 'string') return { online: true, lastSeenAt };
  const known = OfflineReason.safeParse(reason);
  return known.success && typeof at === 'string'
    ? { online: false, offline: { reason: known.data, at } }
    : undefined;
}

/** Redis wants a positive integer; a zero or fractional TTL would fail the script or never expire. */
function pexpire(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`presence TTL must be positive, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

/** Only this store writes these keys, so a malformed value is corruption: fail loudly, naming the key. */
function parseRecord(key: string, json: string, lastSeenAt: string): PresenceRecord {
  const value = JSON.parse(json) as Partial<Record<keyof PresenceRecord, unknown>> | null;
  const { hostId, pollId, connectionId, connectedAt } = value ?? {};
  const direct = Candidate.array().safeParse(value?.direct);
  if (
    typeof hostId !== 'string' ||
    typeof pollId !== 'string' ||
    typeof connectionId !== 'string' ||
    typeof connectedAt !== 'string' ||
    !direct.success
  ) {
    throw new Error(`malformed presence record in Redis at ${key}`);
  }
  return { hostId, pollId, connectionId, connectedAt, lastSeenAt, direct: direct.data };
}
