import { summarize } from '../stats.js';
import { RELAY_ALONE_LABEL } from './channel-cost.figures.js';
import { type Figure, figure } from './figure.js';

interface RelayRow {
  name: string;
  samples: { gbps: number; relayCoreSecondsPerGB?: number }[];
}

/** One run of 100 concurrent 20 MiB streams (bench/src/relay/concurrency.phase.ts). */
interface ConcurrencyRun {
  aggregateGbps: number;
  /** TCP legs only: the same streams sent directly. */
  directAggregateGbps?: number;
  slowestOverMedian: number;
  relayCoreSecondsPerGB: number;
  relayBytesPerStream: number;
}

/** The relay suite's rows (bench/results/<date>-relay.json) as figures against their baselines. */
export function relayFigures(raw: {
  rows: RelayRow[];
  concurrency?: ConcurrencyRun[];
  concurrencyWs?: ConcurrencyRun[];
}): Figure[] {
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
  const endpointBaselines = [
    'direct TCP (endpoints)',
    'haproxy (endpoints)',
    'haproxy (splice) (endpoints)',
    'socat (endpoints)',
    'node net pipe (endpoints)',
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
    // The relay and the forwarders again, each read against a direct connection of the same endpoints.
    figure({
      label: '  relay, TCP legs (endpoints)',
      unit: 'Gbit/s',
      samples: gbps('Hostlink relay, TCP legs'),
      baseline: baseline('direct TCP (endpoints)'),
    }),
    ...endpointBaselines.slice(1).map((name) =>
      figure({
        label: `  ${name}`,
        unit: 'Gbit/s',
        samples: gbps(name),
        baseline: baseline(endpointBaselines[0]!),
      }),
    ),
    throughput('relay, WebSocket legs, one stream', 'Hostlink relay, WebSocket legs', 'direct ws', 0.5),
    // A browser's session: its WebSocket leg to the agent's TCP leg, against the same direct `ws`.
    figure({
      label: '  relay, WebSocket client leg, TCP agent leg (a browser to an agent)',
      unit: 'Gbit/s',
      samples: gbps('Hostlink relay, WebSocket client leg, TCP agent leg'),
      baseline: baseline('direct ws'),
    }),
    // Ends in processes of their own (as for TCP legs): what the 100 concurrent streams are read against.
    figure({
      label: '  relay, WebSocket legs, ends in processes of their own',
      unit: 'Gbit/s',
      samples: gbps('Hostlink relay, WebSocket legs (endpoints)'),
      baseline: baseline('direct ws'),
    }),
    cpu('TCP legs'),
    cpu('WebSocket legs'),
    cpu('WebSocket client leg, TCP agent leg'),
    ...concurrencyFigures(
      'TCP legs',
      raw.concurrency ?? [],
      baseline('Hostlink relay, TCP legs'),
      baseline('direct TCP (endpoints)'),
    ),
    ...concurrencyFigures(
      'WebSocket legs',
      raw.concurrencyWs ?? [],
      // Older results have no endpoint figure: the in-process one was the baseline then.
      gbps('Hostlink relay, WebSocket legs (endpoints)').length > 0
        ? baseline('Hostlink relay, WebSocket legs (endpoints)')
        : baseline('Hostlink relay, WebSocket legs'),
    ),
  ];
}

/** Figure 3 and the relay half of figure 8: 100 concurrent 20 MiB streams over one kind of leg. */
function concurrencyFigures(
  legs: string,
  runs: ConcurrencyRun[],
  single: { label: string; value: number },
  directSingle?: { label: string; value: number },
): Figure[] {
  if (runs.length === 0) return [];
  const of = (pick: (run: ConcurrencyRun) => number | undefined) =>
    runs.map(pick).filter((value): value is number => value !== undefined);
  return [
    figure({
      label: `relay, ${legs}, 100 concurrent 20 MiB streams, aggregate`,
      unit: 'Gbit/s',
      samples: of((run) => run.aggregateGbps),
      baseline: { label: 'one stream', value: single.value },
      target: { text: '≥ 0.8x', met: ({ ratio }) => ratio >= 0.8 },
    }),
    // The same 100 streams without the relay: how much of the aggregate's drop is the endpoints' own.
    ...(directSingle
      ? [
          figure({
            label: '  same 100 streams direct (endpoints), against one direct stream',
            unit: 'Gbit/s',
            samples: of((run) => run.directAggregateGbps),
            baseline: directSingle,
          }),
        ]
      : []),
    figure({
      label: '  slowest stream over the median stream',
      unit: 'x',
      samples: of((run) => run.slowestOverMedian),
      target: { text: '≤ 3', met: ({ p50 }) => p50 <= 3 },
    }),
    figure({
      label: `  relay CPU, ${legs}, 100 streams`,
      unit: 'core-s/GB',
      samples: of((run) => run.relayCoreSecondsPerGB),
      target: { text: '≤ 1.0', met: ({ p50 }) => p50 <= 1.0 },
    }),
    figure({
      label: `relay memory per active stream, ${legs} (RSS under load minus idle, / 100)`,
      unit: 'KiB',
      samples: of((run) => run.relayBytesPerStream / 1024),
      target: { text: '< 128', met: ({ p50 }) => p50 < 128 },
    }),
  ];
}
