/**
 * Relay throughput (issue 6, figure 1): one large stream through a real relay process, TCP legs and
 * WebSocket legs, set against the tools a person would use instead, all in the same run on loopback:
 * raw TCP (iperf3), haproxy (default and forced splice), socat and a plain Node `net` pipe, each measured
 * both with iperf3 and with the same Node endpoints the relay is measured with; WebSocket legs against a
 * direct `ws` connection. Relay CPU is read from /proc (core-seconds per GB moved).
 *
 *   npm run bench:relay [-- --quick]        (baselines: bench/setup.sh installs iperf3, haproxy, socat)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@hostlink/testing';
import { cpuSeconds } from './agents/proc-stats.js';
import { type Forwarder, haproxy, nodePipe, socat } from './baselines/forwarders.js';
import { iperf3Client, iperf3Server } from './baselines/iperf3.js';
import { directWebSocket, type PathEnds, relayed, Sink } from './relay/paths.js';
import { type RelayUnderTest, startRelay } from './relay/relay-under-test.js';
import { pump } from './relay/stream-pump.js';
import { summarize } from './stats.js';

const quick = process.argv.includes('--quick');
const BYTES = (quick ? 256 : 2048) * 1024 * 1024;
const ROUNDS = quick ? 1 : 3;
const GB = 1e9;

type Sample = { gbps: number; relayCoreSecondsPerGB?: number };
const samples = new Map<string, Sample[]>();
const record = (name: string, sample: Sample) => samples.set(name, [...(samples.get(name) ?? []), sample]);

const workDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-relay-'));
const relay = await startRelay();
const sink = await Sink.listen();
const iperf = await iperf3Server();
const viaNode = await forwardersTo(sink.port);
const viaIperf = await forwardersTo(iperf.port);

async function forwardersTo(port: number): Promise<Forwarder[]> {
  return [
    await haproxy(port, workDir, false),
    await haproxy(port, workDir, true),
    await socat(port),
    await nodePipe(port),
  ];
}

/** One Node-endpoint transfer over `ends`, closing them after; relay CPU when `relayPid` is given. */
async function measure(name: string, ends: PathEnds, relayPid?: number): Promise<void> {
  const cpuBefore = relayPid ? cpuSeconds(relayPid) : 0;
  const result = await pump(ends.sender, ends.receiver, BYTES);
  const sample: Sample = { gbps: result.bitsPerSecond / 1e9 };
  if (relayPid) sample.relayCoreSecondsPerGB = (cpuSeconds(relayPid) - cpuBefore) / (BYTES / GB);
  record(name, sample);
  ends.sender.close();
  ends.receiver.close();
}

async function round(target: RelayUnderTest): Promise<void> {
  record('raw TCP (iperf3)', { gbps: (await iperf3Client(iperf.port, BYTES)) / 1e9 });
  for (const forwarder of viaIperf)
    record(`${forwarder.name} (iperf3)`, { gbps: (await iperf3Client(forwarder.port, BYTES)) / 1e9 });
  await measure('direct TCP (node)', await sink.through(sink.port));
  for (const forwarder of viaNode)
    await measure(`${forwarder.name} (node)`, await sink.through(forwarder.port));
  const pid = target.process.pid;
  await measure('Hostlink relay, TCP legs', await relayed(target.tcpUrl, await target.tickets()), pid);
  const direct = await directWebSocket();
  await measure('direct ws', direct.ends);
  await direct.close();
  await measure('Hostlink relay, WebSocket legs', await relayed(target.wsUrl, await target.tickets()), pid);
}

try {
  for (let i = 0; i < ROUNDS; i += 1) {
    await round(relay);
    console.log(`round ${i + 1}/${ROUNDS} done`);
  }
  await report();
} finally {
  await Promise.allSettled([...viaNode, ...viaIperf].map((forwarder) => forwarder.close()));
  await Promise.allSettled([iperf.close(), sink.close(), relay.close()]);
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
  for (const row of rows)
    console.log(
      `${row.name.padEnd(34)} ${row.gbps.p50.toFixed(2).padStart(6)} Gbit/s (${row.gbps.min.toFixed(2)}-${row.gbps.max.toFixed(2)})  ${row.ratio.toFixed(2)}x` +
        (Number.isNaN(row.relayCoreSecondsPerGB)
          ? ''
          : `  relay ${row.relayCoreSecondsPerGB.toFixed(2)} core-s/GB`),
    );
  const dir = join(repoRoot(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-relay${quick ? '-quick' : ''}.json`);
  await writeFile(
    file,
    JSON.stringify({ date: new Date().toISOString(), bytes: BYTES, rounds: ROUNDS, rows }, null, 2),
  );
  console.log(`results: ${file}`);
}
