import { type Figure, figure } from './figure.js';

interface AgentsResults {
  agents: number;
  memory: { poll: { perConnectionBytes: number }; bareWs: { perConnectionBytes: number } };
  heartbeats: {
    heartbeatsPerPollCoreSecond: number;
    redisBenchmarkSetExP16PerSecond: number;
    ceilingPerSecond: number;
  };
  failover: { rounds: { allOnlineSeconds: number }[] };
}

/** Memory per agent against a bare `ws` connection, heartbeat handling per core, failover time. */
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
      label: 'presence writes per second at the ceiling',
      unit: '/s',
      samples: [raw.heartbeats.ceilingPerSecond],
      baseline: {
        label: 'redis-benchmark -P 16 SET EX',
        value: raw.heartbeats.redisBenchmarkSetExP16PerSecond,
      },
      target: { text: '≥ 0.7x', met: ({ ratio }) => ratio >= 0.7 },
    }),
    figure({
      label: 'kill -9 of a poll instance → all agents online again',
      unit: 's',
      samples: raw.failover.rounds.map((round) => round.allOnlineSeconds),
      target: { text: '≤ 30 s', met: ({ p50 }) => p50 <= 30 },
    }),
  ];
}
