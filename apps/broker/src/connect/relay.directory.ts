import { Inject, Injectable } from '@nestjs/common';
import type { RelayLoad } from '@hostlink/protocol';
import {
  BROKER_OPTIONS,
  CLOCK,
  type Clock,
  type ConfiguredRelay,
  type ResolvedBrokerOptions,
} from '../broker.options.js';

/** A relay report older than this (by our clock, on receipt) no longer counts: the relay may be gone. */
export const RELAY_FRESH_MS = 30_000;

interface Report {
  relay: ConfiguredRelay;
  activeSessions: number;
  receivedAt: number;
}

/** The relays this instance has heard from, by id, with their last load; picks the least loaded fresh one. */
@Injectable()
export class RelayDirectory {
  private readonly reports = new Map<string, Report>();

  constructor(
    @Inject(BROKER_OPTIONS) private readonly options: ResolvedBrokerOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  report(load: RelayLoad): void {
    this.reports.set(load.relayId, {
      relay: { id: load.relayId, url: load.url },
      activeSessions: load.activeSessions,
      receivedAt: this.clock().getTime(),
    });
  }

  /** The least loaded fresh relay; else the first configured one; undefined when there is none. */
  pick(): ConfiguredRelay | undefined {
    const now = this.clock().getTime();
    const fresh = [...this.reports.values()].filter((report) => now - report.receivedAt < RELAY_FRESH_MS);
    fresh.sort((a, b) => a.activeSessions - b.activeSessions || a.relay.id.localeCompare(b.relay.id));
    return fresh[0]?.relay ?? this.options.relays[0];
  }
}
