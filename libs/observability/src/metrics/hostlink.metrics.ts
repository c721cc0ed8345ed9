import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every `hostlink_*` metric, registered in one app's registry. Each service updates the ones for what it
 * does (poll: agents, heartbeats, presence; relay: pairings, bytes, sessions; every service: bus requests);
 * the others stay at zero.
 */
export class HostlinkMetrics {
  readonly agentsConnected: Gauge;
  readonly heartbeats: Counter;
  readonly presenceChanges: Counter<'state'>;
  readonly relayPairings: Counter<'result'>;
  readonly relayBytes: Counter<'direction'>;
  readonly relaySessionsActive: Gauge;
  readonly busRequestDuration: Histogram<'subject'>;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.agentsConnected = new Gauge({
      name: 'hostlink_agents_connected',
      help: 'Agents connected to this poll instance and online.',
      registers,
    });
    this.heartbeats = new Counter({
      name: 'hostlink_heartbeats_total',
      help: 'Agent heartbeats received.',
      registers,
    });
    this.presenceChanges = new Counter({
      name: 'hostlink_presence_changes_total',
      help: 'Hosts this poll instance marked online or offline.',
      labelNames: ['state'],
      registers,
    });
    this.relayPairings = new Counter({
      name: 'hostlink_relay_pairings_total',
      help: 'Relay legs by pairing outcome: paired, timeout (no partner in time), conflict, rejected.',
      labelNames: ['result'],
      registers,
    });
    this.relayBytes = new Counter({
      name: 'hostlink_relay_bytes_total',
      help: 'Bytes spliced between paired legs, by direction (to_agent, to_client).',
      labelNames: ['direction'],
      registers,
    });
    this.relaySessionsActive = new Gauge({
      name: 'hostlink_relay_sessions_active',
      help: 'Paired relay sessions open now.',
      registers,
    });
    this.busRequestDuration = new Histogram({
      name: 'hostlink_bus_request_duration_seconds',
      help: 'Bus (NATS) request round trips, answered or failed, by subject.',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}

/** A service process's registry: Node's own metrics (CPU, memory, event loop, GC) plus ours. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
