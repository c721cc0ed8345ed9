import { type Figure, figure } from './figure.js';

interface Latency {
  ms: { p50: number; p99: number; max: number; n: number };
}

export interface PresenceResults {
  heartbeatSeconds: number;
  cleanStop: Latency;
  killed: Latency;
  silentDeath: Latency;
  realAgent: Record<'stop' | 'kill' | 'freeze', { ms: number }>;
}

/**
 * Presence latency (issue 6, figure 6): clean stop to offline seen by a subscribed client, p99 under
 * 500 ms; silent death to offline within 2 heartbeat intervals, judged on the worst case measured.
 */
export function presenceFigures(raw: PresenceResults): Figure[] {
  const twoIntervals = 2 * raw.heartbeatSeconds;
  const withinTwoIntervals = {
    text: `≤ 2 heartbeat intervals (${twoIntervals} s)`,
    met: ({ max }: { max: number }) => max <= twoIntervals,
  };
  const seconds = (ms: number) => ms / 1000;
  return [
    figure({
      label: `agent clean stop → offline seen by a subscribed client, p99 (${raw.cleanStop.ms.n} stops)`,
      unit: 'ms',
      samples: [raw.cleanStop.ms.p99],
      target: { text: '< 500 ms', met: ({ p50 }) => p50 < 500 },
    }),
    figure({ label: '  the same, p50', unit: 'ms', samples: [raw.cleanStop.ms.p50] }),
    figure({
      label: `  agent's process killed (socket closed by the kernel) → offline seen, p99 (${raw.killed.ms.n})`,
      unit: 'ms',
      samples: [raw.killed.ms.p99],
    }),
    figure({
      label: `silent death right after a heartbeat → offline seen, worst of ${raw.silentDeath.ms.n}`,
      unit: 's',
      samples: [seconds(raw.silentDeath.ms.max)],
      target: withinTwoIntervals,
    }),
    figure({
      label: '  real agent frozen (SIGSTOP) → offline seen',
      unit: 's',
      samples: [seconds(raw.realAgent.freeze.ms)],
      target: withinTwoIntervals,
    }),
    figure({
      label: '  real agent stopped (SIGTERM) → offline seen',
      unit: 'ms',
      samples: [raw.realAgent.stop.ms],
      target: { text: '< 500 ms', met: ({ p50 }) => p50 < 500 },
    }),
    figure({
      label: '  real agent killed (SIGKILL) → offline seen',
      unit: 'ms',
      samples: [raw.realAgent.kill.ms],
    }),
  ];
}
