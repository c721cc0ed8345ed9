import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PresenceResults, presenceFigures } from './presence.figures.js';

const latency = (p50: number, p99: number, max: number) => ({ ms: { p50, p99, max, n: 150 } });

function results(cleanP99: number, silentMax: number, frozenMs: number): PresenceResults {
  return {
    heartbeatSeconds: 5,
    cleanStop: latency(8, cleanP99, cleanP99 + 5),
    killed: latency(6, 20, 25),
    silentDeath: latency(7_550, 7_560, silentMax),
    realAgent: { stop: { ms: 40 }, kill: { ms: 12 }, freeze: { ms: frozenMs } },
  };
}

const byLabel = (raw: PresenceResults) => new Map(presenceFigures(raw).map((f) => [f.label, f]));

test('clean stop is held to 500 ms at p99, silent death to two heartbeat intervals at its worst', () => {
  const good = byLabel(results(30, 7_600, 4_000));
  const clean = good.get('agent clean stop → offline seen by a subscribed client, p99 (150 stops)');
  assert.deepEqual([clean?.value.p50, clean?.target?.met], [30, true]);
  const silent = good.get('silent death right after a heartbeat → offline seen, worst of 150');
  assert.deepEqual([silent?.value.p50, silent?.unit], [7.6, 's']);
  assert.deepEqual(silent?.target, { text: '≤ 2 heartbeat intervals (10 s)', met: true });
  const bad = byLabel(results(650, 10_020, 10_500));
  assert.equal(
    bad.get('agent clean stop → offline seen by a subscribed client, p99 (150 stops)')?.target?.met,
    false,
  );
  assert.equal(
    bad.get('silent death right after a heartbeat → offline seen, worst of 150')?.target?.met,
    false,
  );
  assert.equal(bad.get('  real agent frozen (SIGSTOP) → offline seen')?.target?.met, false);
});

test('the p50 and the killed-process figures are shown without a target', () => {
  const figures = byLabel(results(30, 7_600, 4_000));
  assert.equal(figures.get('  the same, p50')?.value.p50, 8);
  assert.equal(figures.get('  the same, p50')?.target, undefined);
  assert.equal(
    figures.get("  agent's process killed (socket closed by the kernel) → offline seen, p99 (150)")?.value
      .p50,
    20,
  );
});
