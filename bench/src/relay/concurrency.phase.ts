import { cpuSeconds, rssBytes, settledRss } from '../agents/proc-stats.js';
import { aggregateGbps, type ListeningSender, transferRelayed, transferRelayedWs } from './endpoints.js';
import type { StreamTiming } from './tcp-endpoint.js';
import type { RelayUnderTest } from './relay-under-test.js';

export const CONCURRENT_STREAMS = 100;
export const CONCURRENT_BYTES = 20 * 1024 * 1024;
const RSS_SAMPLE_MS = 25;

export interface ConcurrencySample {
  /** All streams together, first byte of any to last byte of all. */
  aggregateGbps: number;
  /** The same streams straight from sender to receiver: what the endpoints and the machine allow. */
  directAggregateGbps: number;
  /** Each stream's time from the common start to its last byte, milliseconds, sorted. */
  finishMs: number[];
  /** Slowest stream's finish over the median stream's. */
  slowestOverMedian: number;
  relayCoreSecondsPerGB: number;
  /** Relay RSS at its peak while the streams ran, minus its settled RSS before, per stream. */
  relayBytesPerStream: number;
  idleRss: number;
  peakRss: number;
}

/** Figure 3 and the relay half of figure 8: 100 concurrent 20 MiB streams through one relay, TCP legs. */
export async function concurrentStreams(
  relay: RelayUnderTest,
  relayPort: number,
  sender: ListeningSender,
): Promise<ConcurrencySample> {
  const direct = await sender.through(sender.port, CONCURRENT_BYTES, CONCURRENT_STREAMS);
  const tickets = await Promise.all(Array.from({ length: CONCURRENT_STREAMS }, () => relay.tickets()));
  const load = await underLoad(relay.process.pid, () =>
    transferRelayed(relayPort, tickets, CONCURRENT_BYTES),
  );
  return { ...load, directAggregateGbps: aggregateGbps(direct, CONCURRENT_BYTES) };
}

/**
 * The same over WebSocket legs, both ends in processes of their own (`ws-endpoint.ts`), as for TCP legs:
 * in the bench's own process the 200 ends would be the bottleneck, not the relay.
 */
export async function concurrentWsStreams(
  relay: RelayUnderTest,
): Promise<Omit<ConcurrencySample, 'directAggregateGbps'>> {
  const tickets = await Promise.all(Array.from({ length: CONCURRENT_STREAMS }, () => relay.tickets()));
  return underLoad(relay.process.pid, () => transferRelayedWs(relay.wsUrl, tickets, CONCURRENT_BYTES));
}

/** Runs `streams` while sampling the relay's RSS and CPU; the figures of one concurrency run. */
async function underLoad(
  pid: number,
  streams: () => Promise<StreamTiming[]>,
): Promise<Omit<ConcurrencySample, 'directAggregateGbps'>> {
  const idleRss = await settledRss(pid, 3, 100);
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), RSS_SAMPLE_MS);
  const cpuBefore = cpuSeconds(pid);
  const timings = await streams().finally(() => clearInterval(sampler));
  const cpu = cpuSeconds(pid) - cpuBefore;
  const start = Math.min(...timings.map((t) => t.first));
  const finishMs = timings.map((t) => t.last - start).sort((a, b) => a - b);
  const median = finishMs[Math.floor(finishMs.length / 2)]!;
  return {
    aggregateGbps: aggregateGbps(timings, CONCURRENT_BYTES),
    finishMs,
    slowestOverMedian: finishMs[finishMs.length - 1]! / median,
    relayCoreSecondsPerGB: cpu / ((CONCURRENT_STREAMS * CONCURRENT_BYTES) / 1e9),
    relayBytesPerStream: (peakRss - idleRss) / CONCURRENT_STREAMS,
    idleRss,
    peakRss,
  };
}
