/**
 * Relay throughput (issue 6, figures 1, 3 and the relay half of 8): one large stream through a real relay
 * process, TCP legs and WebSocket legs, set against the tools a person would use instead, all in the same
 * run on loopback: raw TCP (iperf3), haproxy (default and forced splice), socat and a plain Node `net`
 * pipe, each measured both with iperf3 and with the same endpoints the relay's TCP legs are measured with
 * (sender and receiver in processes of their own, `tcp-endpoint.ts`); WebSocket legs against a direct `ws`
 * connection. Then 100 concurrent 20 MiB streams through the relay (aggregate, fairness, memory per
 * stream). Relay CPU is read from /proc (core-seconds per GB moved, all its threads).
 *
 *   npm run bench:relay [-- --quick]        (baselines: bench/setup.sh installs iperf3, haproxy, socat)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from './agents/proc-stats.js';
import { type Forwarder, haproxy, nodePipe, socat } from './baselines/forwarders.js';
import { iperf3Client, iperf3Server } from './baselines/iperf3.js';
import { type ConcurrencySample, concurrentStreams, concurrentWsStreams } from './relay/concurrency.phase.js';
import { aggregateGbps, ListeningSender, transferRelayed, transferRelayedWs } from './relay/endpoints.js';
import { directWebSocket, type PathEnds, relayed } from './relay/paths.js';
import { type RelayUnderTest, startRelay } from './relay/relay-under-test.js';
import { pump } from './relay/stream-pump.js';
import { summarize } from './stats.js';
import { writeResults } from './report/results-file.js';

const quick = process.argv.includes('--quick');
const BYTES = (quick ? 256 : 2048) * 1024 * 1024;
const ROUNDS = quick ? 1 : 3;
const GB = 1e9;
/** What a browser's session crosses: the client's WebSocket leg, the agent's raw TCP leg (agents prefer it). */
const BROWSER_TO_AGENT = 'Hostlink relay, WebSocket client leg, TCP agent leg';
const WS_ENDPOINTS = 'Hostlink relay, WebSocket legs (endpoints)';

type Sample = { gbps: number; relayCoreSecondsPerGB?: number };
const samples = new Map<string, Sample[]>();
const concurrency: ConcurrencySample[] = [];
const concurrencyWs: Omit<ConcurrencySample, 'directAggregateGbps'>[] = [];
const record = (name: string, sample: Sample) => samples.set(name, [...(samples.get(name) ?? []), sample]);

const workDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-relay-'));
const relay = await startRelay();
const relayPort = Number(new URL(relay.tcpUrl).port);
const iperf = await iperf3Server();
const sender = await ListeningSender.start();
const viaEndpoints = await forwardersTo(sender.port);
const viaIperf = await forwardersTo(iperf.port);

async function forwardersTo(port: number): Promise<Forwarder[]> {
  return [
    await haproxy(port, workDir, false),
    await haproxy(port, workDir, true),
    await socat(port),
    await nodePipe(port),
  ];
}

/** Runs `transfer` and records its Gbit/s, and the relay's CPU per GB when `relayPid` is given. */
async function measure(name: string, transfer: () => Promise<number>, relayPid?: number): Promise<void> {
  const cpuBefore = relayPid ? cpuSeconds(relayPid) : 0;
  const sample: Sample = { gbps: await transfer() };
  if (relayPid) sample.relayCoreSecondsPerGB = (cpuSeconds(relayPid) - cpuBefore) / (BYTES / GB);
  record(name, sample);
}

/** One in-process transfer over `ends` (the WebSocket paths), closing them after. */
async function pumped(ends: PathEnds): Promise<number> {
  const result = await pump(ends.sender, ends.receiver, BYTES);
  ends.sender.close();
  ends.receiver.close();
  return result.bitsPerSecond / 1e9;
}

async function round(target: RelayUnderTest): Promise<void> {
  record('raw TCP (iperf3)', { gbps: (await iperf3Client(iperf.port, BYTES)) / 1e9 });
  for (const forwarder of viaIperf)
    record(`${forwarder.name} (iperf3)`, { gbps: (await iperf3Client(forwarder.port, BYTES)) / 1e9 });
  const through = async (port: number) => aggregateGbps(await sender.through(port, BYTES), BYTES);
  await measure('direct TCP (endpoints)', () => through(sender.port));
  for (const forwarder of viaEndpoints)
    await measure(`${forwarder.name} (endpoints)`, () => through(forwarder.port));
  const pid = target.process.pid;
  const relayedTcp = async () =>
    aggregateGbps(await transferRelayed(relayPort, [await target.tickets()], BYTES), BYTES);
  await measure('Hostlink relay, TCP legs', relayedTcp, pid);
  const direct = await directWebSocket();
  await measure('direct ws', () => pumped(direct.ends));
  await direct.close();
  const relayedWs = async () => pumped(await relayed(target.wsUrl, await target.tickets()));
  await measure('Hostlink relay, WebSocket legs', relayedWs, pid);
  const browserToAgent = async () =>
    pumped(await relayed(target.wsUrl, await target.tickets(), target.tcpUrl));
  await measure(BROWSER_TO_AGENT, browserToAgent, pid);
  // The same legs with their ends in processes of their own: the one-stream figure the 100 are read against.
  const relayedWsEndpoints = async () =>
    aggregateGbps(await transferRelayedWs(target.wsUrl, [await target.tickets()], BYTES), BYTES);
  await measure(WS_ENDPOINTS, relayedWsEndpoints, pid);
  concurrency.push(await concurrentStreams(target, relayPort, sender));
  concurrencyWs.push(await concurrentWsStreams(target));
}

try {
  for (let i = 0; i < ROUNDS; i += 1) {
    await round(relay);
    console.log(`round ${i + 1}/${ROUNDS} done`);
  }
  await report();
} finally {
  await Promise.allSettled([...viaEndpoints, ...viaIperf].map((forwarder) => forwarder.close()));
  await Promise.allSettled([iperf.close(), relay.close(), sender.close()]);
  await rm(workDir, { recursive: true, force: true });
}

function median(name: string, pick: (sample: Sample) => number | undefined): number {
  const values = (samples.get(name) ?? []).map(pick).filter((value): value is number => value !== undefined);
  return values.length > 0 ? summarize(values).p50 : NaN;
}

async function report(): Promise<void> {
  const raw = median('raw TCP (iperf3)', (s) => s.gbps);
  const directWs = median('direct ws', (s) => s.gbps);
  const rows = [...samples.entries()].map(([name, list]) => {
    const gbps = summarize(list.map((s) => s.gbps));
    const baseline = name.includes('WebSocket') ? directWs : raw;
    return {
      name,
      gbps,
      ratio: gbps.p50 / baseline,
      relayCoreSecondsPerGB: median(name, (s) => s.relayCoreSecondsPerGB),
      samples: list,
    };
  });
  const single = median('Hostlink relay, TCP legs', (s) => s.gbps);
  const singleWs = median(WS_ENDPOINTS, (s) => s.gbps);
  for (const c of concurrencyWs)
    console.log(
      `${'100 x 20 MiB, WebSocket legs'.padEnd(34)} ${c.aggregateGbps.toFixed(2).padStart(6)} Gbit/s  ${(c.aggregateGbps / singleWs).toFixed(2)}x single` +
        `  slowest/median ${c.slowestOverMedian.toFixed(2)}  relay ${c.relayCoreSecondsPerGB.toFixed(2)} core-s/GB` +
        `  ${(c.relayBytesPerStream / 1024).toFixed(1)} KiB/stream`,
    );
  for (const c of concurrency)
    console.log(
      `${'100 x 20 MiB, TCP legs'.padEnd(34)} ${c.aggregateGbps.toFixed(2).padStart(6)} Gbit/s  ${(c.aggregateGbps / single).toFixed(2)}x single` +
        `  direct ${c.directAggregateGbps.toFixed(2)}  slowest/median ${c.slowestOverMedian.toFixed(2)}  relay ${c.relayCoreSecondsPerGB.toFixed(2)} core-s/GB` +
        `  ${(c.relayBytesPerStream / 1024).toFixed(1)} KiB/stream`,
    );
  for (const row of rows)
    console.log(
      `${row.name.padEnd(34)} ${row.gbps.p50.toFixed(2).padStart(6)} Gbit/s (${row.gbps.min.toFixed(2)}-${row.gbps.max.toFixed(2)})  ${row.ratio.toFixed(2)}x` +
        (Number.isNaN(row.relayCoreSecondsPerGB)
          ? ''
          : `  relay ${row.relayCoreSecondsPerGB.toFixed(2)} core-s/GB`),
    );
  const results = {
    date: new Date().toISOString(),
    bytes: BYTES,
    rounds: ROUNDS,
    rows,
    concurrency,
    concurrencyWs,
  };
  await writeResults('relay', quick, results);
}
