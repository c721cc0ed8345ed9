import type { AgentFleet } from './agent-fleet.js';
import { cpuSeconds, machineCpu, syscalls } from './proc-stats.js';
import { type Redis, redisCounters, writesSettled } from './redis-stats.js';

/** One offered rate held for a while, and what the poll instance did with it. */
export interface HeartbeatStep {
  offeredPerSecond: number;
  /** What this process actually sent (lower than offered when the load generator cannot keep up). */
  sentPerSecond: number;
  sent: number;
  /** Heartbeats sent over the time from the first one until poll had read the last one and Redis had run its write. */
  handledPerSecond: number;
  /** Seconds after sending stopped until poll had read its backlog and Redis had run every write. */
  drainSeconds: number;
  /** Of those, seconds Redis writes still ran after poll had read the last heartbeat. */
  redisLagSeconds: number;
  pollCpuMicrosPerHeartbeat: number;
  /** Poll's CPU over the step, in cores (1.0 = one core busy all the time). */
  pollCores: number;
  pollWriteSyscallsPerHeartbeat: number;
  pollReadSyscallsPerHeartbeat: number;
  benchCores: number;
  redisCores: number;
  machineBusyCores: number;
  /** Presence writes (PEXPIREs) Redis served during the step per heartbeat sent (server-wide). */
  redisWritesPerHeartbeat: number;
  /** Poll read the heartbeats more slowly than they were sent (its backlog grew). */
  pollBehind: boolean;
  /** This process could not send at the offered rate. */
  generatorBehind: boolean;
  saturated: boolean;
}

/**
 * Drives heartbeats at each offered rate in turn for `seconds`, faster than production, and stops after the
 * first step poll cannot keep up with. A step ends when every agent's ping, sent after its last heartbeat,
 * has been answered (poll has read every heartbeat) and Redis has stopped taking presence writes (every
 * heartbeat's write is done).
 */
export async function heartbeatCeiling(
  fleet: AgentFleet,
  pollPid: number,
  redis: Redis,
  rates: readonly number[],
  seconds: number,
): Promise<HeartbeatStep[]> {
  const steps: HeartbeatStep[] = [];
  // Agents that connected within a second heartbeat in a burst every interval: keep those out of the steps.
  fleet.pauseRegularHeartbeats(true);
  for (const offeredPerSecond of rates) {
    const before = { cpu: cpuSeconds(pollPid), io: syscalls(pollPid), machine: machineCpu() };
    const bench = process.cpuUsage();
    const redisBefore = await redisCounters(redis);
    const started = performance.now();
    const { sent, seconds: sending } = await fleet.drive(offeredPerSecond, seconds);
    await fleet.flushed(60_000);
    const readAt = performance.now();
    const writtenAt = await writesSettled(redis, 60_000);
    const wall = (Math.max(readAt, writtenAt) - started) / 1000;
    // CPU figures cover the whole measurement, including the short quiet spell that ended it.
    const measured = (performance.now() - started) / 1000;
    const io = syscalls(pollPid);
    const machine = machineCpu();
    const benchCpu = process.cpuUsage(bench);
    const pollCpu = cpuSeconds(pollPid) - before.cpu;
    const redisAfter = await redisCounters(redis);
    const handledPerSecond = sent / wall;
    const sentPerSecond = sent / sending;
    const step: HeartbeatStep = {
      offeredPerSecond,
      sentPerSecond,
      sent,
      handledPerSecond,
      drainSeconds: wall - sending,
      redisLagSeconds: Math.max(0, writtenAt - readAt) / 1000,
      pollCpuMicrosPerHeartbeat: (pollCpu / sent) * 1e6,
      pollCores: pollCpu / measured,
      pollWriteSyscallsPerHeartbeat: (io.writes - before.io.writes) / sent,
      pollReadSyscallsPerHeartbeat: (io.reads - before.io.reads) / sent,
      benchCores: (benchCpu.user + benchCpu.system) / 1e6 / measured,
      redisCores: (redisAfter.cpuSeconds - redisBefore.cpuSeconds) / measured,
      machineBusyCores: (machine.busy - before.machine.busy) / measured,
      redisWritesPerHeartbeat: (redisAfter.presenceWrites - redisBefore.presenceWrites) / sent,
      pollBehind: handledPerSecond < 0.9 * sentPerSecond,
      generatorBehind: sentPerSecond < 0.9 * offeredPerSecond,
      saturated: handledPerSecond < 0.9 * sentPerSecond || sentPerSecond < 0.9 * offeredPerSecond,
    };
    steps.push(step);
    if (step.saturated) break;
  }
  fleet.pauseRegularHeartbeats(false);
  return steps;
}

/**
 * Poll's CPU cost of one more heartbeat: the slope of its CPU (cores) against the heartbeat rate over the
 * steps, by least squares, so the fixed cost of being idle (timers, production heartbeats) drops out.
 */
export function marginalCost(steps: readonly HeartbeatStep[]): {
  microsPerHeartbeat: number;
  idleCores: number;
} {
  const xs = steps.map((step) => step.handledPerSecond);
  const ys = steps.map((step) => step.pollCores);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const covariance = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
  const variance = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  const slope = covariance / variance;
  return { microsPerHeartbeat: slope * 1e6, idleCores: my - slope * mx };
}
