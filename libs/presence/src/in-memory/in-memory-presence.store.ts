import type { OfflineReason } from '@hostlink/protocol';
import {
  type ListedPresence,
  OFFLINE_MEMORY_MS,
  type OfflineNote,
  type PresenceRecord,
  type PresenceStore,
  type RestoreResult,
  type TouchResult,
} from '../presence.store.js';

interface Entry {
  record: PresenceRecord;
  expiresAt: number;
}

export type ExpiryListener = (record: PresenceRecord) => void;

export interface InMemoryPresenceOptions {
  /** How often expired entries are removed and reported; defaults to one second. */
  sweepIntervalMs?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

/**
 * The embedded mode's presence: one map in this process. Expiry is decided by timestamps on every read,
 * so a silent host reads offline as soon as its TTL passes; a sweeper then removes it and reports it, so
 * the owner can publish offline(timeout) exactly once.
 */
export class InMemoryPresenceStore implements PresenceStore {
  private readonly entries = new Map<string, Entry>();
  private readonly offline = new Map<string, { note: OfflineNote; expiresAt: number }>();
  private readonly listeners = new Set<ExpiryListener>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: InMemoryPresenceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 1000);
    // Presence must never keep a process alive on its own.
    this.sweeper.unref();
  }

  /** Reports each expired record once, when the sweeper removes it. Returns the unsubscribe function. */
  onExpired(listener: ExpiryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  markOnline(record: PresenceRecord, ttlMs: number): Promise<PresenceRecord | undefined> {
    const previous = this.live(record.hostId);
    this.entries.set(record.hostId, { record: { ...record }, expiresAt: this.now() + ttlMs });
    const replaced =
      previous && previous.record.connectionId !== record.connectionId ? previous.record : undefined;
    return Promise.resolve(replaced);
  }

  touch(hostId: string, connectionId: string, ttlMs: number): Promise<TouchResult> {
    const entry = this.live(hostId);
    if (!entry) return Promise.resolve('lost');
    if (entry.record.connectionId !== connectionId) return Promise.resolve('replaced');
    const now = this.now();
    entry.expiresAt = now + ttlMs;
    entry.record.lastSeenAt = new Date(now).toISOString();
    return Promise.resolve('held');
  }

  restore(record: PresenceRecord, ttlMs: number): Promise<RestoreResult> {
    const entry = this.live(record.hostId);
    if (entry && entry.record.connectionId !== record.connectionId) return Promise.resolve('replaced');
    this.entries.set(record.hostId, { record: { ...record }, expiresAt: this.now() + ttlMs });
    return Promise.resolve('restored');
  }

  markOffline(hostId: string, connectionId: string, reason: OfflineReason): Promise<boolean> {
    // An expired entry that the sweeper has not reached yet still belongs to its connection: whoever
    // removes it reports the change, so the offline event is published exactly once.
    const entry = this.entries.get(hostId);
    if (!entry || entry.record.connectionId !== connectionId) return Promise.resolve(false);
    this.entries.delete(hostId);
    const note = { reason, at: new Date(this.now()).toISOString() };
    this.offline.set(hostId, { note, expiresAt: this.now() + OFFLINE_MEMORY_MS });
    return Promise.resolve(true);
  }

  lastOffline(hostIds: readonly string[]): Promise<Map<string, OfflineNote>> {
    const found = new Map<string, OfflineNote>();
    for (const hostId of hostIds) {
      const kept = this.offline.get(hostId);
      if (kept && kept.expiresAt > this.now() && !this.live(hostId)) found.set(hostId, { ...kept.note });
    }
    return Promise.resolve(found);
  }

  get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>> {
    const found = new Map<string, PresenceRecord>();
    for (const hostId of hostIds) {
      const entry = this.live(hostId);
      if (entry) found.set(hostId, { ...entry.record, direct: [...entry.record.direct] });
    }
    return Promise.resolve(found);
  }

  listing(hostIds: readonly string[]): Promise<Map<string, ListedPresence>> {
    const found = new Map<string, ListedPresence>();
    const now = this.now();
    for (const hostId of hostIds) {
      const entry = this.live(hostId);
      const kept = this.offline.get(hostId);
      if (entry) found.set(hostId, { online: true, lastSeenAt: entry.record.lastSeenAt });
      else if (kept && kept.expiresAt > now) found.set(hostId, { online: false, offline: { ...kept.note } });
    }
    return Promise.resolve(found);
  }

  /** Stops the sweeper (the app calls this on shutdown). */
  close(): void {
    clearInterval(this.sweeper);
  }

  /** Removes every expired entry and tells the listeners; exposed so tests need not wait for the timer. */
  sweep(): void {
    const now = this.now();
    for (const [hostId, kept] of this.offline) if (kept.expiresAt <= now) this.offline.delete(hostId);
    for (const [hostId, entry] of this.entries) {
      if (entry.expiresAt > now) continue;
      this.entries.delete(hostId);
      for (const listener of this.listeners) listener(entry.record);
    }
  }

  private live(hostId: string): Entry | undefined {
    const entry = this.entries.get(hostId);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }
}
