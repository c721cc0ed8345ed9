import { Inject, Injectable } from '@nestjs/common';
import type { RelayLoad } from '@hostlink/protocol';
import {
  BROKER_OPTIONS,
  CLOCK,
  type Clock,
  type ConfiguredRelay,
  type ResolvedBrokerOptions,
} from '../broker.options.js';

/**
 * A relay report older than this (by our clock, on receipt) no longer counts: the relay may be gone.
 * Relays report every 5 s, so this is three missed reports.
 */
export const RELAY_FRESH_MS = 15_000;

interface Report {
  relay: ConfiguredRelay;
  activeSessions: number;
  receivedAt: number;
}

/**
 * The relays this broker instance has heard from (each report reaches every broker), by id, with their
 * last load; picks the least loaded fresh one.
 */
@Injectable()
export class RelayDirectory {
  private readonly reports = new Map<string, Report>();

  constructor(
    @Inject(BROKER_OPTIONS) private readonly options: ResolvedBrokerOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  report(load: RelayLoad): void {
    if (load.stopping) {
      this.reports.delete(load.relayId);
      return;
    }
    this.reports.set(load.relayId, {
      relay: { id: load.relayId, url: load.url, tcpUrl: load.tcpUrl },
      activeSessions: load.activeSessions,
      receivedAt: this.clock().getTime(),
    });
  }

  /**
   * The least loaded fresh relay, preferring those the client did not just fail with; else the first
   * configured one; undefined when there is none.
   */
  pick(avoid: readonly string[] = []): ConfiguredRelay | undefined {
    const now = this.clock().getTime();
    const fresh = [...this.reports.values()].filter((report) => now - report.receivedAt < RELAY_FRESH_MS);
    fresh.sort((a, b) => a.activeSessions - b.activeSessions || a.relay.id.localeCompare(b.relay.id));
    const preferred = fresh.find((report) => !avoid.includes(report.relay.id)) ?? fresh[0];
    return preferred?.relay ?? this.options.relays[0];
  }
}
