import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { HostlinkMetrics } from '@hostlink/observability';
import { type Candidate, type OfflineReason, type PresenceChanged, Subject } from '@hostlink/protocol';
import {
  PRESENCE_STORE,
  type PresenceRecord,
  type PresenceStore,
  type RestoreResult,
  type TouchResult,
} from '@hostlink/presence';
import { POLL_OPTIONS, type PollOptions, presenceTtlMs } from '../poll.options.js';

/**
 * Writes presence for the connections this instance holds and publishes each change once; counts
 * heartbeats and presence changes.
 */
@Injectable()
export class PollPresenceService {
  private readonly logger = new Logger('PollPresence');

  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly bus: BusClient,
    private readonly metrics: HostlinkMetrics,
  ) {}

  /** Returns the record of the connection this one replaced, if any. */
  async online(
    hostId: string,
    connectionId: string,
    connectedAt: string,
    direct: Candidate[],
  ): Promise<PresenceRecord | undefined> {
    const record = this.recordOf(hostId, connectionId, connectedAt, direct);
    const replaced = await this.store.markOnline(record, presenceTtlMs(this.options));
    await this.publish({ hostId, online: true, pollId: this.options.pollId, at: record.lastSeenAt, direct });
    return replaced;
  }

  /** A heartbeat: `held`, `replaced` by another connection, or `lost` by the store (see `restore`). */
  touch(hostId: string, connectionId: string): Promise<TouchResult> {
    this.metrics.heartbeats.inc();
    return this.store.touch(hostId, connectionId, presenceTtlMs(this.options));
  }

  /**
   * Presence the store lost while the connection lives (Redis restarted, or the TTL ran out first) is
   * written again and announced, unless another connection holds the host now.
   */
  async restore(
    hostId: string,
    connectionId: string,
    connectedAt: string,
    direct: Candidate[],
  ): Promise<RestoreResult> {
    const record = this.recordOf(hostId, connectionId, connectedAt, direct);
    const result = await this.store.restore(record, presenceTtlMs(this.options));
    if (result === 'restored')
      await this.publish({
        hostId,
        online: true,
        pollId: this.options.pollId,
        at: record.lastSeenAt,
        direct,
      });
    return result;
  }

  /** Publishes offline only when this connection still held the host, so a replaced one stays silent. */
  async offline(hostId: string, connectionId: string, reason: OfflineReason): Promise<void> {
    if (!(await this.store.markOffline(hostId, connectionId, reason))) return;
    await this.publish({
      hostId,
      online: false,
      pollId: this.options.pollId,
      at: new Date().toISOString(),
      reason,
    });
  }

  private async publish(fields: Omit<PresenceChanged, 'eventId'>): Promise<void> {
    const change: PresenceChanged = { eventId: randomUUID(), ...fields };
    this.metrics.presenceChanges.inc({ state: change.online ? 'online' : 'offline' });
    try {
      await this.bus.emit(Subject.presenceChanged, change);
    } catch (error) {
      // Presence in the store stays right; the broker catches up on its next read.
      this.logger.warn({ msg: 'presence event not delivered', hostId: change.hostId, error: String(error) });
    }
  }

  /** This instance's presence record for one connection, seen now. */
  private recordOf(
    hostId: string,
    connectionId: string,
    connectedAt: string,
    direct: Candidate[],
  ): PresenceRecord {
    const lastSeenAt = new Date().toISOString();
    return { hostId, pollId: this.options.pollId, connectionId, connectedAt, lastSeenAt, direct };
  }
}
