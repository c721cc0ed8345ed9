import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBenchmarks } from './benchmarks-md.js';
import { channelCostFigures, RELAY_ALONE_LABEL } from './channel-cost.figures.js';
import { figure } from './figure.js';

test('a figure is the median of its samples, over the baseline, judged against its target', () => {
  const relay = figure({
    label: 'relay',
    unit: 'Gbit/s',
    samples: [4, 9, 5],
    baseline: { label: 'raw', value: 10 },
    target: { text: '≥ 0.45x', met: ({ ratio }) => ratio >= 0.45 },
  });
  assert.deepEqual(relay.value, { p50: 5, min: 4, max: 9, n: 3 });
  assert.equal(relay.ratio, 0.5);
  assert.deepEqual(relay.target, { text: '≥ 0.45x', met: true });
});

test('a figure with no samples is not measured and never meets its target', () => {
  const missing = figure({
    label: 'x',
    unit: 's',
    samples: [],
    target: { text: '≤ 30 s', met: ({ p50 }) => p50 <= 30 },
  });
  assert.ok(Number.isNaN(missing.value.p50));
  assert.equal(missing.target?.met, false);
});

test('BENCHMARKS.md shows spread, baseline, ratio and verdict, and says which suites did not run', () => {
  const markdown = renderBenchmarks({
    date: '2026-12-04',
    quick: false,
    machine: { cpus: 2, model: 'test cpu', node: 'v20' },
    suites: [
      {
        name: 'Relay',
        figures: [
          figure({
            label: 'relay, TCP legs',
            unit: 'Gbit/s',
            samples: [2, 3, 4],
            baseline: { label: 'raw TCP', value: 10 },
            target: { text: '≥ 0.45x', met: ({ ratio }) => ratio >= 0.45 },
          }),
        ],
      },
      { name: 'Agents', figures: [], error: 'agents.bench.js exited with 1' },
    ],
  });
  assert.match(
    markdown,
    /\| relay, TCP legs \| 3\.00 Gbit\/s \| 2\.00–4\.00 \(n=3\) \| raw TCP: 10\.0 \| 0\.30x \| ≥ 0\.45x ❌ \|/,
  );
  assert.match(markdown, /## Agents\n\nNot measured: agents\.bench\.js exited with 1/);
});

test("the channel's cost sets relayed downloads of one suite against the relay alone of another", () => {
  const gbit = (label: string, samples: number[]) => figure({ label, unit: 'Gbit/s', samples });
  const suites = [
    { name: 'Relay', figures: [gbit(RELAY_ALONE_LABEL, [10, 12, 11])] },
    {
      name: 'Downloads',
      figures: [
        gbit('`hostlink get` 2048 MiB, relay, to disk, SHA-256 checked', [6, 7, 5]),
        gbit('SDK download 2048 MiB, relay, to memory', [9]),
        gbit('`hostlink get` 2048 MiB, direct, to disk, SHA-256 checked', [8]),
      ],
    },
  ];
  const [cli, sdk, ...rest] = channelCostFigures(suites);
  assert.deepEqual([cli?.ratio, cli?.target?.met], [6 / 11, false]);
  assert.deepEqual([sdk?.ratio, sdk?.target], [9 / 11, undefined]);
  assert.deepEqual(rest, [], 'direct downloads do not cross the relay');
  assert.deepEqual(channelCostFigures([suites[1]!]), [], 'nothing to compare without the relay suite');
});
