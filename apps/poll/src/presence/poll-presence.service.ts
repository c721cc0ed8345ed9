import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { type Candidate, type OfflineReason, type PresenceChanged, Subject } from '@hostlink/protocol';
import { PRESENCE_STORE, type PresenceRecord, type PresenceStore } from '@hostlink/presence';
import { POLL_OPTIONS, type PollOptions, presenceTtlMs } from '../poll.options.js';

/** Writes presence for the connections this instance holds and publishes each change once. */
@Injectable()
export class PollPresenceService {
  private readonly logger = new Logger('PollPresence');

  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly bus: BusClient,
  ) {}

  /** Returns the record of the connection this one replaced, if any. */
  async online(
    hostId: string,
    connectionId: string,
    connectedAt: string,
    direct: Candidate[],
  ): Promise<PresenceRecord | undefined> {
    const record: PresenceRecord = {
      hostId,
      pollId: this.options.pollId,
      connectionId,
      connectedAt,
      lastSeenAt: new Date().toISOString(),
      direct,
    };
    const replaced = await this.store.markOnline(record, presenceTtlMs(this.options));
    await this.publish({ hostId, online: true, pollId: this.options.pollId, at: record.lastSeenAt, direct });
    return replaced;
  }

  touch(hostId: string, connectionId: string): Promise<boolean> {
    return this.store.touch(hostId, connectionId, new Date().toISOString(), presenceTtlMs(this.options));
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

  private async publish(change: PresenceChanged): Promise<void> {
    try {
      await this.bus.emit(Subject.presenceChanged, change);
    } catch (error) {
      // Presence in the store stays right; the broker catches up on its next read.
      this.logger.warn({ msg: 'presence event not delivered', hostId: change.hostId, error: String(error) });
    }
  }
}
