import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AgentsResults, agentsFigures } from './agents.figures.js';

function results(pollBytes: number, writes: number[], failover: number[]): AgentsResults {
  return {
    agents: 19_000,
    memory: { poll: { perConnectionBytes: pollBytes }, bareWs: { perConnectionBytes: 4000 } },
    heartbeats: { heartbeatsPerPollCoreSecond: 40_000 },
    storeCeiling: {
      rounds: writes.map((writesPerSecond) => ({ writesPerSecond })),
      setExPerSecond: { p50: 800_000 },
    },
    failover: { rounds: failover.map((allOnlineSeconds) => ({ allOnlineSeconds })) },
  };
}

const byLabel = (raw: AgentsResults) => new Map(agentsFigures(raw).map((f) => [f.label, f]));

test('memory and store writes are ratios to the baselines of the same run', () => {
  const figures = byLabel(results(5000, [600_000, 640_000, 500_000], [12, 14, 13]));
  const memory = figures.get('memory per connected agent (19000 agents)');
  assert.deepEqual([memory?.ratio, memory?.target?.met], [1.25, true]);
  const writes = figures.get("presence writes per second at the store's ceiling (19000 hosts)");
  assert.deepEqual([writes?.value.p50, writes?.ratio, writes?.target?.met], [600_000, 0.75, true]);
  assert.equal(figures.get('heartbeats handled per poll core-second')?.target?.met, true);
});

test('failover is held to 30 s in every round, and a missing store ceiling is not measured', () => {
  const slow = results(6000, [], [12, 31, 13]);
  delete slow.storeCeiling;
  const figures = byLabel(slow);
  assert.equal(figures.get('memory per connected agent (19000 agents)')?.target?.met, false);
  const failover = figures.get('kill -9 of a poll instance → all 19000 agents online again');
  assert.deepEqual([failover?.value.p50, failover?.target?.met], [13, false]);
  assert.equal(
    figures.get("presence writes per second at the store's ceiling (19000 hosts)")?.target?.met,
    false,
  );
});
