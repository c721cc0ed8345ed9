import { Candidate, OfflineReason } from '@hostlink/protocol';
import type { Redis, RedisOptions } from 'ioredis';
import {
  OFFLINE_MEMORY_MS,
  type ListedPresence,
  type OfflineNote,
  type PresenceRecord,
  type PresenceStore,
  type RestoreResult,
  type TouchResult,
} from '../presence.store.js';
import {
  hostHashKey,
  liveKey,
  type PresenceCommands,
  TOUCH_MANY_COMMAND,
} from './redis-presence.commands.js';
import { TouchBatcher } from './touch-batcher.js';
import {
  MARK_OFFLINE_LUA,
  MARK_ONLINE_LUA,
  READ_FIELDS_LUA,
  READ_LISTING_LUA,
  READ_ONLINE_LUA,
  RESTORE_LUA,
  TOUCH_GONE_LUA,
  TOUCH_MANY_LUA,
} from './redis-presence.scripts.js';

export interface RedisPresenceOptions {
  /** The owner connects and quits it; the store only defines its scripts on it. */
  redis: Redis;
  /** Prepended to every key (`<keyPrefix>presence:<hostId>`): an environment, or a test run. */
  keyPrefix?: string;
}

/** Hosts read per script call: bounds the arguments of one command and the time Redis spends in one script. */
const READ_BATCH = 1000;

/** Options for a service's connection: keep reconnecting with capped, jittered backoff after Redis restarts. */
export function reconnectingRedisOptions(): RedisOptions {
  return {
    connectTimeout: 5000,
    // What is sent in one event-loop turn (several markOnline of a reconnecting burst) shares a write...
    enableAutoPipelining: true,
    // ...but a batch of touches is one command a turn already: through the auto-pipeline its 100 KiB would
    // only be copied once more (a fifth of the store's CPU per heartbeat at its ceiling).
    autoPipeliningIgnoredCommands: [TOUCH_MANY_COMMAND],
    // A heartbeat must fail (the agent's next one retries) rather than wait for ever in the offline queue.
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000) + Math.floor(Math.random() * 100),
  };
}

/**
 * The distributed mode's presence (layout in redis-presence.scripts.ts): per host a hash with the record,
 * and a live key per connection carrying the PX TTL, shared by every poll and broker instance. Changes
 * that depend on who holds the host are Lua scripts, so racing instances cannot interleave a read and a
 * write; heartbeats of one event-loop turn go as one script call (touch-batcher.ts). Expiry is Redis's
 * own; reporting expired hosts is not done here.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly commands: PresenceCommands;
  private readonly keyPrefix: string;
  private readonly touches: TouchBatcher;

  constructor(options: RedisPresenceOptions) {
    const redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? '';
    redis.defineCommand('hostlinkPresenceMarkOnline', { numberOfKeys: 2, lua: MARK_ONLINE_LUA });
    redis.defineCommand('hostlinkPresenceRestore', { numberOfKeys: 2, lua: RESTORE_LUA });
    redis.defineCommand('hostlinkPresenceTouchGone', { numberOfKeys: 1, lua: TOUCH_GONE_LUA });
    redis.defineCommand('hostlinkPresenceMarkOffline', { numberOfKeys: 2, lua: MARK_OFFLINE_LUA });
    // The number of keys varies: ioredis takes it as the first argument.
    redis.defineCommand(TOUCH_MANY_COMMAND, { lua: TOUCH_MANY_LUA });
    redis.defineCommand('hostlinkPresenceReadOnline', { lua: READ_ONLINE_LUA });
    redis.defineCommand('hostlinkPresenceReadFields', { lua: READ_FIELDS_LUA });
    redis.defineCommand('hostlinkPresenceReadListing', { lua: READ_LISTING_LUA });
    this.commands = redis as unknown as PresenceCommands;
    this.touches = new TouchBatcher(this.commands, this.keyPrefix);
  }

  async markOnline(record: PresenceRecord, ttlMs: number): Promise<PresenceRecord | undefined> {
    const key = this.key(record.hostId);
    const replaced = await this.commands.hostlinkPresenceMarkOnline(
      key,
      liveKey(this.keyPrefix, record.hostId, record.connectionId),
      record.connectionId,
      JSON.stringify(record),
      pexpire(ttlMs),
    );
    if (!replaced) return undefined;
    const [json, lastSeen, since] = replaced;
    return parseRecord(key, json, lastSeen, since);
  }

  touch(hostId: string, connectionId: string, ttlMs: number): Promise<TouchResult> {
    // Not async: a heartbeat is the hot path, and one promise per call is enough.
    if (!validTtl(ttlMs)) return Promise.reject(ttlError(ttlMs));
    return this.touches.touch(hostId, connectionId, Math.ceil(ttlMs));
  }

  async restore(record: PresenceRecord, ttlMs: number): Promise<RestoreResult> {
    const written = await this.commands.hostlinkPresenceRestore(
      this.key(record.hostId),
      liveKey(this.keyPrefix, record.hostId, record.connectionId),
      record.connectionId,
      JSON.stringify(record),
      pexpire(ttlMs),
    );
    return written === 1 ? 'restored' : 'replaced';
  }

  async markOffline(hostId: string, connectionId: string, reason: OfflineReason): Promise<boolean> {
    const ended = await this.commands.hostlinkPresenceMarkOffline(
      this.key(hostId),
      liveKey(this.keyPrefix, hostId, connectionId),
      connectionId,
      reason,
      new Date().toISOString(),
      OFFLINE_MEMORY_MS,
    );
    return ended === 1;
  }

  async get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>> {
    const found = new Map<string, PresenceRecord>();
    const values = await this.read(hostIds, 3, (keys) =>
      this.commands.hostlinkPresenceReadOnline(keys.length, ...keys),
    );
    hostIds.forEach((hostId, index) => {
      const [json, lastSeen, since] = values.slice(index * 3, index * 3 + 3);
      if (typeof json === 'string') found.set(hostId, parseRecord(this.key(hostId), json, lastSeen, since));
    });
    return found;
  }

  async lastOffline(hostIds: readonly string[]): Promise<Map<string, OfflineNote>> {
    const found = new Map<string, OfflineNote>();
    const values = await this.read(hostIds, 2, (keys) =>
      this.commands.hostlinkPresenceReadFields(keys.length, ...keys, 'offlineReason', 'offlineAt'),
    );
    hostIds.forEach((hostId, index) => {
      const [reason, at] = values.slice(index * 2, index * 2 + 2);
      // Most hosts of a long list have no note: skip them before the schema builds an error for each.
      if (!reason || typeof at !== 'string') return;
      const known = OfflineReason.safeParse(reason);
      if (known.success) found.set(hostId, { reason: known.data, at });
    });
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
        const [position, seen, recordOrReason, offlineAt] = values.slice(at, at + 4);
        const hostId = typeof position === 'number' ? batch[position - 1] : undefined;
        if (hostId === undefined) throw new Error('presence listing returned a position it was not asked');
        const listed = listedPresence(this.key(hostId), seen, recordOrReason, offlineAt);
        if (listed) found.set(hostId, listed);
      }
    }
    return found;
  }

  /** `perHost` values for every host: one script call per thousand hosts, all sent at once. */
  private async read(
    hostIds: readonly string[],
    perHost: number,
    script: (keys: string[]) => Promise<(string | number | null)[]>,
  ): Promise<(string | number | null)[]> {
    const batches = batchesOf(hostIds).map((batch) => script(batch.map((hostId) => this.key(hostId))));
    const values = (await Promise.all(batches)).flat();
    if (values.length !== hostIds.length * perHost)
      throw new Error(`presence read returned ${values.length} values for ${hostIds.length} hosts`);
    return values;
  }

  private key(hostId: string): string {
    return hostHashKey(this.keyPrefix, hostId);
  }
}

/** One script call per thousand hosts, all sent at once. */
function batchesOf(hostIds: readonly string[]): (readonly string[])[] {
  const batches: (readonly string[])[] = [];
  for (let start = 0; start < hostIds.length; start += READ_BATCH)
    batches.push(hostIds.slice(start, start + READ_BATCH));
  return batches;
}

/**
 * One host of the listing script's reply. Online: the last heartbeat, or the record's own lastSeenAt when
 * none came yet (the record is sent only then). An unknown offline reason is left out, as `lastOffline` does.
 */
function listedPresence(
  key: string,
  seen: unknown,
  recordOrReason: unknown,
  at: unknown,
): ListedPresence | undefined {
  if (typeof seen === 'number') {
    const lastSeenAt =
      typeof recordOrReason === 'string'
        ? parseRecord(key, recordOrReason, seen, seen).lastSeenAt
        : new Date(seen).toISOString();
    return { online: true, lastSeenAt };
  }
  const known = OfflineReason.safeParse(recordOrReason);
  return known.success && typeof at === 'string'
    ? { online: false, offline: { reason: known.data, at } }
    : undefined;
}

/** Redis wants a positive integer; a zero or fractional TTL would fail the script or never expire. */
function pexpire(ttlMs: number): number {
  if (!validTtl(ttlMs)) throw ttlError(ttlMs);
  return Math.ceil(ttlMs);
}

const validTtl = (ttlMs: number) => Number.isFinite(ttlMs) && ttlMs > 0;
const ttlError = (ttlMs: number) => new RangeError(`presence TTL must be positive, got ${ttlMs}`);

/**
 * Only this store writes these keys, so a malformed value is corruption: fail loudly, naming the key.
 * `lastSeenAt` is the record's own until a heartbeat moved the live key's expiry past where it was written.
 */
function parseRecord(key: string, json: string, lastSeen: unknown, since: unknown): PresenceRecord {
  const value = JSON.parse(json) as Partial<Record<keyof PresenceRecord, unknown>> | null;
  const { hostId, pollId, connectionId, connectedAt, lastSeenAt } = value ?? {};
  const direct = Candidate.array().safeParse(value?.direct);
  const [seenMs, sinceMs] = [Number(lastSeen), Number(since)];
  if (
    typeof hostId !== 'string' ||
    typeof pollId !== 'string' ||
    typeof connectionId !== 'string' ||
    typeof connectedAt !== 'string' ||
    typeof lastSeenAt !== 'string' ||
    !Number.isFinite(seenMs) ||
    !Number.isFinite(sinceMs) ||
    !direct.success
  ) {
    throw new Error(`malformed presence record in Redis at ${key}`);
  }
  const seen = seenMs > sinceMs ? new Date(seenMs).toISOString() : lastSeenAt;
  return { hostId, pollId, connectionId, connectedAt, lastSeenAt: seen, direct: direct.data };
}
