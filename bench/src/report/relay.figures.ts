import { summarize } from '../stats.js';
import { RELAY_ALONE_LABEL } from './channel-cost.figures.js';
import { type Figure, figure } from './figure.js';

interface RelayRow {
  name: string;
  samples: { gbps: number; relayCoreSecondsPerGB?: number }[];
}

/** The relay suite's rows (bench/results/<date>-relay.json) as figures against their baselines. */
export function relayFigures(raw: { rows: RelayRow[] }): Figure[] {
  const samplesOf = (name: string, pick: (sample: RelayRow['samples'][number]) => number | undefined) =>
    (raw.rows.find((row) => row.name === name)?.samples ?? [])
      .map(pick)
      .filter((value): value is number => value !== undefined);
  const gbps = (name: string) => samplesOf(name, (sample) => sample.gbps);
  const baseline = (name: string) => ({ label: name, value: summarize(gbps(name)).p50 });
  const throughput = (label: string, name: string, against: string, target: number) =>
    figure({
      label,
      unit: 'Gbit/s',
      samples: gbps(name),
      baseline: baseline(against),
      target: { text: `≥ ${target}x`, met: ({ ratio }) => ratio >= target },
    });
  const cpu = (legs: string) =>
    figure({
      label: `relay CPU, ${legs}`,
      unit: 'core-s/GB',
      samples: samplesOf(`Hostlink relay, ${legs}`, (sample) => sample.relayCoreSecondsPerGB),
      target: { text: '≤ 1.0', met: ({ p50 }) => p50 <= 1.0 },
    });
  const tcpBaselines = [
    'haproxy (iperf3)',
    'haproxy (splice) (iperf3)',
    'socat (iperf3)',
    'node net pipe (iperf3)',
  ];
  return [
    throughput(RELAY_ALONE_LABEL, 'Hostlink relay, TCP legs', 'raw TCP (iperf3)', 0.45),
    ...tcpBaselines.map((name) =>
      figure({
        label: `  ${name}`,
        unit: 'Gbit/s',
        samples: gbps(name),
        baseline: baseline('raw TCP (iperf3)'),
      }),
    ),
    throughput('relay, WebSocket legs, one stream', 'Hostlink relay, WebSocket legs', 'direct ws', 0.5),
    cpu('TCP legs'),
    cpu('WebSocket legs'),
  ];
}
