import { type Figure, figure } from './figure.js';

export interface AgentsResults {
  agents: number;
  memory: { poll: { perConnectionBytes: number }; bareWs: { perConnectionBytes: number } };
  heartbeats: { heartbeatsPerPollCoreSecond: number };
  storeCeiling?: { rounds: { writesPerSecond: number }[]; setExPerSecond: { p50: number } };
  failover: { rounds: { allOnlineSeconds: number }[] };
}

/**
 * Memory per agent against a bare `ws` connection, heartbeat handling per core, the presence store's
 * writes at its ceiling against redis-benchmark, failover time (issue 6, figure 5).
 */
export function agentsFigures(raw: AgentsResults): Figure[] {
  return [
    figure({
      label: `memory per connected agent (${raw.agents} agents)`,
      unit: 'bytes',
      samples: [raw.memory.poll.perConnectionBytes],
      baseline: { label: 'bare ws connection', value: raw.memory.bareWs.perConnectionBytes },
      target: { text: '≤ 1.3x', met: ({ ratio }) => ratio <= 1.3 },
    }),
    figure({
      label: 'heartbeats handled per poll core-second',
      unit: '/s',
      samples: [raw.heartbeats.heartbeatsPerPollCoreSecond],
      target: { text: '≥ 15,000', met: ({ p50 }) => p50 >= 15_000 },
    }),
    figure({
      label: `presence writes per second at the store's ceiling (${raw.agents} hosts)`,
      unit: '/s',
      samples: raw.storeCeiling?.rounds.map((round) => round.writesPerSecond) ?? [],
      baseline: {
        label: 'redis-benchmark -P 16 SET EX',
        value: raw.storeCeiling?.setExPerSecond.p50 ?? Number.NaN,
      },
      target: { text: '≥ 0.7x', met: ({ ratio }) => ratio >= 0.7 },
    }),
    figure({
      label: `kill -9 of a poll instance → all ${raw.agents} agents online again`,
      unit: 's',
      samples: raw.failover.rounds.map((round) => round.allOnlineSeconds),
      target: { text: '≤ 30 s', met: ({ max }) => max <= 30 },
    }),
  ];
}
