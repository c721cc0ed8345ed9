import type { FailoverRound } from './failover.phase.js';
import type { HeartbeatStep } from './heartbeat.phase.js';
import type { HeldMemory } from './memory.phase.js';
import type { StoreCeilingRound } from './store-ceiling.phase.js';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const sec = (value: number) => `${value.toFixed(2)} s`;

export const print = (label: string, value: string) => console.log(`${label.padEnd(66)} ${value}`);

/** Median per connection, then each round's figure and the JS heap part. */
const perConnection = (memory: HeldMemory) =>
  `${kib(memory.perConnectionBytes)} each (rounds ${memory.perConnectionBytesByRound.map(kib).join(', ')}; ` +
  `heap ${kib(memory.perConnectionHeapBytes)} used, ${kib(memory.perConnectionHeapCommittedBytes)} committed; ` +
  `external ${kib(memory.perConnectionExternalBytes)})`;

export function printMemory(baseline: HeldMemory, poll: HeldMemory): void {
  const n = poll.connections;
  print(`bare ws server, ${n} idle connections (RSS after full GC)`, perConnection(baseline));
  print(`poll, ${n} agents online with Redis presence (RSS after full GC)`, perConnection(poll));
  print('  ratio poll / bare ws', `${(poll.perConnectionBytes / baseline.perConnectionBytes).toFixed(2)}x`);
  print('  poll RSS idle → with agents', `${mib(poll.idleBytes)} → ${mib(poll.afterBytes)}`);
  print(
    '  agents connected and online (handshake + proof + presence)',
    `${(n / poll.connectSeconds).toFixed(0)} /s; poll CPU ${poll.cpuMillisPerConnect.toFixed(2)} ms each (bare ws ${baseline.cpuMillisPerConnect.toFixed(2)} ms)`,
  );
}

export function printHeartbeats(steps: readonly HeartbeatStep[]): void {
  const columns: [string, (step: HeartbeatStep) => string][] = [
    ['offered/s', (step) => step.offeredPerSecond.toFixed(0)],
    ['sent/s', (step) => step.sentPerSecond.toFixed(0)],
    ['handled/s', (step) => step.handledPerSecond.toFixed(0)],
    ['drain', (step) => `${step.drainSeconds.toFixed(2)}s`],
    ['redis lag', (step) => `${step.redisLagSeconds.toFixed(2)}s`],
    ['poll µs/hb', (step) => step.pollCpuMicrosPerHeartbeat.toFixed(1)],
    ['poll cores', (step) => step.pollCores.toFixed(2)],
    ['bench', (step) => step.benchCores.toFixed(2)],
    ['redis', (step) => step.redisCores.toFixed(2)],
    ['machine', (step) => step.machineBusyCores.toFixed(2)],
    ['writes/hb', (step) => step.pollWriteSyscallsPerHeartbeat.toFixed(2)],
    ['reads/hb', (step) => step.pollReadSyscallsPerHeartbeat.toFixed(2)],
    ['redis w/hb', (step) => step.redisWritesPerHeartbeat.toFixed(2)],
  ];
  const widths = columns.map(([title]) => Math.max(title.length, 8));
  console.log(columns.map(([title], i) => title.padStart(widths[i]!)).join(' '));
  for (const step of steps) {
    const cells = columns.map(([, cell], i) => cell(step).padStart(widths[i]!));
    const notes = [step.pollBehind && 'poll behind', step.generatorBehind && 'generator behind'].filter(
      Boolean,
    );
    console.log(`${cells.join(' ')}  ${notes.join(', ')}`);
  }
}

export function printFailover(round: FailoverRound): void {
  const closes = Object.entries(round.closes)
    .map(([code, count]) => `${count}x ${code}`)
    .join(', ');
  print(
    `kill -9 ${round.killed}: all ${round.agents} welcomed by ${round.survivor}`,
    `${sec(round.allOnlineSeconds)} (p50 ${sec(round.agentSeconds.p50)}, p90 ${sec(round.agentSeconds.p90)}, p99 ${sec(round.agentSeconds.p99)})`,
  );
  print('  connection attempts during the round; closes agents saw', `${round.connectAttempts}; ${closes}`);
  print(
    '  agent connect → welcome during the burst',
    `p50 ${round.handshakeMs.p50.toFixed(0)} ms, p99 ${round.handshakeMs.p99.toFixed(0)} ms, max ${round.handshakeMs.max.toFixed(0)} ms`,
  );
  print(
    '  CPU: survivor / bench (agents) / Redis / NATS / machine',
    [
      round.survivorCpuSeconds,
      round.benchCpuSeconds,
      round.redisCpuSeconds,
      round.natsCpuSeconds,
      round.machineBusySeconds,
    ]
      .map(sec)
      .join(' / '),
  );
}

export function printStoreCeiling(rounds: readonly StoreCeilingRound[]): void {
  for (const round of rounds) {
    print(
      '  presence store writes / redis-benchmark -P 16 SET EX',
      `${(round.writesPerSecond / 1000).toFixed(0)}k/s (Redis ${round.redisCpuMicrosPerWrite.toFixed(2)} µs, ` +
        `writer ${round.writerCpuMicrosPerWrite.toFixed(2)} µs each) / ${(round.setExPerSecond / 1000).toFixed(0)}k/s ` +
        `(Redis ${round.redisCpuMicrosPerSetEx.toFixed(2)} µs each)`,
    );
  }
}
