import { type Summary, summarize } from '../stats.js';
import { redisSetExCeiling } from './redis-baseline.js';
import { type Redis, redisCounters } from './redis-stats.js';
import { ServiceProcess } from './service-process.js';

/** One round: poll's presence store writing as fast as it can, then redis-benchmark, back to back. */
export interface StoreCeilingRound {
  /** Heartbeats the store wrote per second (each a PEXPIRE of a connection's live key, batched). */
  writesPerSecond: number;
  /** Touches that did not answer `held` (0: every write hit a live connection). */
  notHeld: number;
  writerCpuMicrosPerWrite: number;
  redisCpuMicrosPerWrite: number;
  setExPerSecond: number;
  redisCpuMicrosPerSetEx: number;
}

export interface StoreCeilingOptions {
  redis: Redis;
  redisUrl: string;
  keyPrefix: string;
  hosts: number;
  seconds: number;
  /** Touches per event-loop turn: heartbeats coming faster than one write each. */
  perTurn: number;
  rounds: number;
  /** SET EX requests per redis-benchmark run: about as long as the writer's run. */
  setExRequests: number;
  logDir: string;
}

/**
 * The presence store's own write path at its ceiling, against `redis-benchmark -P 16` SET EX, rounds
 * interleaved so that the machine's drift hits both. Redis's CPU per write beside each: a steadier figure
 * than throughput on a shared machine (but server-wide: other users of this Redis count too).
 */
export async function storeCeiling(options: StoreCeilingOptions) {
  const rounds: StoreCeilingRound[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const before = await redisCounters(options.redis);
    const writer = await runWriter(options, round);
    const between = await redisCounters(options.redis);
    const setEx = await redisSetExCeiling(
      options.redisUrl,
      `${options.keyPrefix}redis-benchmark`,
      options.setExRequests,
    );
    const after = await redisCounters(options.redis);
    if (setEx === undefined) throw new Error('redis-benchmark is missing: run bench/setup.sh as root');
    rounds.push({
      writesPerSecond: writer.written / writer.seconds,
      notHeld: writer.notHeld,
      writerCpuMicrosPerWrite: (writer.cpuSeconds / writer.written) * 1e6,
      redisCpuMicrosPerWrite: ((between.cpuSeconds - before.cpuSeconds) / writer.written) * 1e6,
      setExPerSecond: setEx,
      redisCpuMicrosPerSetEx: ((after.cpuSeconds - between.cpuSeconds) / options.setExRequests) * 1e6,
    });
  }
  const of = (pick: (round: StoreCeilingRound) => number): Summary => summarize(rounds.map(pick));
  return {
    rounds,
    hosts: options.hosts,
    perTurn: options.perTurn,
    writesPerSecond: of((round) => round.writesPerSecond),
    setExPerSecond: of((round) => round.setExPerSecond),
    redisCpuMicrosPerWrite: of((round) => round.redisCpuMicrosPerWrite).p50,
    redisCpuMicrosPerSetEx: of((round) => round.redisCpuMicrosPerSetEx).p50,
  };
}

async function runWriter(options: StoreCeilingOptions, round: number) {
  const args = [
    options.redisUrl,
    `${options.keyPrefix}writer-${round}:`,
    options.hosts,
    options.seconds,
    options.perTurn,
  ];
  const writer = await ServiceProcess.start(
    `presence-writer-${round}`,
    'bench/dist/agents/presence-writer.js',
    {},
    {
      logDir: options.logDir,
      ready: /presence writer result/,
      timeoutMs: options.seconds * 1000 + 60_000,
      args: args.map(String),
    },
  );
  const [, json] = await writer.waitForLog(/presence writer result (.*)/, 1000);
  await writer.exited();
  return JSON.parse(json!) as { written: number; notHeld: number; seconds: number; cpuSeconds: number };
}
