import { setTimeout as delay } from 'node:timers/promises';
import type { RedisPresenceStore } from '@hostlink/presence';
import type { AgentFleet } from './agent-fleet.js';
import type { PollInstance } from './poll-instance.js';
import { type Summary, summarize } from '../stats.js';
import { cpuSeconds, machineCpu } from './proc-stats.js';

/** One `kill -9` of the poll instance holding every agent, until Redis shows them all on the survivor. */
export interface FailoverRound {
  killed: string;
  survivor: string;
  agents: number;
  /** From kill -9 until Redis presence showed every agent online on the survivor. */
  allOnlineSeconds: number;
  /** From kill -9 until Redis showed the given share of agents on the survivor. */
  redisSeconds: { p50: number; p90: number; p99: number };
  /** From kill -9 to each agent's welcome from the survivor, as agents saw it. */
  agentSeconds: { first: number; p50: number; p99: number; last: number };
  /** From each agent's successful attempt to its welcome: the survivor's handshake under the reconnect burst. */
  handshakeMs: Summary;
  /** Connection attempts agents made during the round (one each when nothing failed). */
  connectAttempts: number;
  /** Hosts whose record still named the dead instance when all were back (0: none falsely online). */
  staleRecords: number;
  /** CPU seconds over the round (kill to all online): the survivor, this process (agents + balancer), all. */
  survivorCpuSeconds: number;
  benchCpuSeconds: number;
  machineBusySeconds: number;
}

/**
 * Kills `victim` (which holds every agent) with SIGKILL; agents reconnect through the balancer with the
 * agent's back-off and land on `survivor`. Redis is read every 50 ms, which bounds the resolution.
 */
export async function failoverRound(
  fleet: AgentFleet,
  store: RedisPresenceStore,
  victim: PollInstance,
  survivor: PollInstance,
  timeoutMs: number,
): Promise<FailoverRound> {
  const hostIds = fleet.agents.map((agent) => agent.host.hostId);
  const total = hostIds.length;
  const reached = new Map<number, number>();
  const attemptsBefore = fleet.counters.connectAttempts;
  const cpuBefore = {
    survivor: cpuSeconds(survivor.process.pid),
    bench: process.cpuUsage(),
    machine: machineCpu(),
  };
  const killedAt = performance.now();
  await victim.process.kill9();
  let stale = total;
  for (;;) {
    const records = await store.get(hostIds);
    const elapsed = (performance.now() - killedAt) / 1000;
    const moved = [...records.values()].filter((record) => record.pollId === survivor.id).length;
    stale = [...records.values()].filter((record) => record.pollId === victim.id).length;
    for (const share of [0.5, 0.9, 0.99, 1])
      if (moved >= share * total && !reached.has(share)) reached.set(share, elapsed);
    if (moved === total) break;
    if (elapsed * 1000 > timeoutMs)
      throw new Error(`after ${timeoutMs} ms only ${moved} of ${total} agents were online on ${survivor.id}`);
    await delay(50);
  }
  // Poll writes presence before it sends welcome: the last agents may still be reading theirs.
  await fleet.until(
    () => fleet.agents.every((agent) => agent.online && agent.pollId === survivor.id),
    timeoutMs,
    `every agent to be welcomed by ${survivor.id}`,
  );
  const bench = process.cpuUsage(cpuBefore.bench);
  const cpu = {
    survivorCpuSeconds: cpuSeconds(survivor.process.pid) - cpuBefore.survivor,
    benchCpuSeconds: (bench.user + bench.system) / 1e6,
    machineBusySeconds: machineCpu().busy - cpuBefore.machine.busy,
  };
  const welcomes = fleet.agents
    .map((agent) => ((agent.onlineAt ?? Number.NaN) - killedAt) / 1000)
    .sort((a, b) => a - b);
  const at = (q: number) => welcomes[Math.min(total - 1, Math.floor(q * total))]!;
  return {
    killed: victim.id,
    survivor: survivor.id,
    agents: total,
    allOnlineSeconds: reached.get(1)!,
    redisSeconds: { p50: reached.get(0.5)!, p90: reached.get(0.9)!, p99: reached.get(0.99)! },
    agentSeconds: { first: welcomes[0]!, p50: at(0.5), p99: at(0.99), last: welcomes[total - 1]! },
    handshakeMs: summarize(fleet.agents.map((agent) => agent.handshakeMs ?? Number.NaN)),
    connectAttempts: fleet.counters.connectAttempts - attemptsBefore,
    staleRecords: stale,
    ...cpu,
  };
}
