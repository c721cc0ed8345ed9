import type { RedisPresenceStore } from '@hostlink/presence';
import type { AgentFleet } from './agent-fleet.js';
import type { PollInstance } from './poll-instance.js';
import { type Summary, summarize } from '../stats.js';
import { cpuSeconds, cpuSecondsByName, machineCpu } from './proc-stats.js';
import { type Redis, redisCounters } from './redis-stats.js';

/** One `kill -9` of the poll instance holding every agent, until every agent is back on the survivor. */
export interface FailoverRound {
  killed: string;
  survivor: string;
  agents: number;
  /** From kill -9 until the last agent was welcomed by the survivor (its presence written just before). */
  allOnlineSeconds: number;
  /** From kill -9 to each agent's welcome from the survivor, as agents saw it. */
  agentSeconds: { first: number; p50: number; p90: number; p99: number; last: number };
  /** From each agent's successful attempt to its welcome: the survivor's handshake under the reconnect burst. */
  handshakeMs: Summary;
  /** Agents back on the survivor, second by second after the kill. */
  onSurvivorBySecond: number[];
  /** Connection attempts agents made during the round (one each when nothing failed). */
  connectAttempts: number;
  /** Close codes agents saw during the round and how often (1006 from the kill; 4408 a hello too late). */
  closes: Record<string, number>;
  /**
   * CPU seconds over the round (kill to all online): the survivor, this process (agents and the broker's
   * stand-in), Redis, the NATS server, and the whole machine (other users included).
   */
  survivorCpuSeconds: number;
  benchCpuSeconds: number;
  redisCpuSeconds: number;
  natsCpuSeconds: number;
  machineBusySeconds: number;
}

/**
 * Kills `victim` (which holds every agent) with SIGKILL; agents reconnect with the agent's back-off to the
 * first instance that accepts, the survivor. The time is the agents' own (checked every 20 ms): poll writes
 * presence before it sends `welcome`, so once every agent is welcomed, Redis must show every host on the
 * survivor, which is then checked in one read (reading 19,000 hosts every few milliseconds would load Redis
 * in the middle of what is measured).
 */
export async function failoverRound(
  fleet: AgentFleet,
  where: { store: RedisPresenceStore; redis: Redis },
  victim: PollInstance,
  survivor: PollInstance,
  timeoutMs: number,
): Promise<FailoverRound> {
  const total = fleet.agents.length;
  const attemptsBefore = fleet.counters.connectAttempts;
  const closesBefore = new Map(fleet.counters.closes);
  const cpuBefore = {
    survivor: cpuSeconds(survivor.process.pid),
    bench: process.cpuUsage(),
    redis: (await redisCounters(where.redis)).cpuSeconds,
    nats: cpuSecondsByName('nats-server'),
    machine: machineCpu(),
  };
  const killedAt = performance.now();
  await victim.process.kill9();
  const onSurvivorBySecond: number[] = [];
  const back = () => fleet.agents.filter((agent) => agent.online && agent.pollId === survivor.id).length;
  await fleet
    .until(
      () => {
        const second = Math.floor((performance.now() - killedAt) / 1000);
        if (onSurvivorBySecond.length <= second) onSurvivorBySecond.push(back());
        return fleet.agents.every((agent) => agent.online && agent.pollId === survivor.id);
      },
      timeoutMs,
      `every agent to be welcomed by ${survivor.id}`,
    )
    .catch((error: Error) => {
      const curve = onSurvivorBySecond.join(' ');
      throw new Error(
        `${error.message}; agents now: ${describeFleet(fleet)}; back, second by second: ${curve}`,
      );
    });
  const bench = process.cpuUsage(cpuBefore.bench);
  const cpu = {
    survivorCpuSeconds: cpuSeconds(survivor.process.pid) - cpuBefore.survivor,
    benchCpuSeconds: (bench.user + bench.system) / 1e6,
    redisCpuSeconds: (await redisCounters(where.redis)).cpuSeconds - cpuBefore.redis,
    natsCpuSeconds: cpuSecondsByName('nats-server') - cpuBefore.nats,
    machineBusySeconds: machineCpu().busy - cpuBefore.machine.busy,
  };
  const records = [...(await where.store.get(fleet.agents.map((agent) => agent.host.hostId))).values()];
  const onSurvivor = records.filter((record) => record.pollId === survivor.id).length;
  if (onSurvivor !== total)
    throw new Error(`every agent was welcomed, yet Redis shows ${onSurvivor} of ${total} on ${survivor.id}`);
  const welcomes = fleet.agents
    .map((agent) => ((agent.onlineAt ?? Number.NaN) - killedAt) / 1000)
    .sort((a, b) => a - b);
  const at = (q: number) => welcomes[Math.min(total - 1, Math.floor(q * total))]!;
  return {
    killed: victim.id,
    survivor: survivor.id,
    agents: total,
    allOnlineSeconds: welcomes[total - 1]!,
    agentSeconds: {
      first: welcomes[0]!,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      last: welcomes[total - 1]!,
    },
    handshakeMs: summarize(fleet.agents.map((agent) => agent.handshakeMs ?? Number.NaN)),
    onSurvivorBySecond,
    connectAttempts: fleet.counters.connectAttempts - attemptsBefore,
    closes: closesSince(closesBefore, fleet.counters.closes),
    ...cpu,
  };
}

/** Where the agents are: online per poll instance, offline, given up; and every close code seen. */
function describeFleet(fleet: AgentFleet): string {
  const where = new Map<string, number>();
  for (const agent of fleet.agents) {
    const place = agent.online ? `online on ${agent.pollId}` : 'offline';
    where.set(place, (where.get(place) ?? 0) + 1);
  }
  const closes = [...fleet.counters.closes].map(([code, count]) => `${count}x ${code}`).join(', ');
  return `${[...where].map(([place, count]) => `${count} ${place}`).join(', ')}; ${fleet.counters.fatal} gave up; closes ${closes}`;
}

function closesSince(before: Map<number, number>, now: Map<number, number>): Record<string, number> {
  const closes: Record<string, number> = {};
  for (const [code, count] of now) {
    const added = count - (before.get(code) ?? 0);
    if (added > 0) closes[String(code)] = added;
  }
  return closes;
}
