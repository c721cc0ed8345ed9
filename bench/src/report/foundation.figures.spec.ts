import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FoundationResults, foundationFigures } from './foundation.figures.js';

const latency = (p50: number, p99: number) => ({ n: 200, p50, p99, min: p50 / 2, max: p99 });

function results(cliMbps: number[], scpMbps: number[]): FoundationResults {
  return {
    bigBytes: 2 * 2 ** 30,
    'firstByte.relay': latency(12, 30),
    'firstByte.direct': latency(13, 33),
    'firstListing.relay': latency(12, 31),
    'firstListing.direct': latency(13, 32),
    sshTrue: latency(290, 320),
    cliSmallGet: latency(250, 280),
    firstByteCold: 120,
    scpMbps,
    'download.relay': { sdkMbps: [6000, 6200, 6400], cliMbps },
    'download.direct': { sdkMbps: [6000], cliMbps },
  };
}

test('a 2 GiB download is named in MiB as it is, and held to 1.5x the median scp of the run', () => {
  const figures = foundationFigures(results([3000, 9000, 9300], [2800, 5600, 6400]));
  const relay = figures.find((row) => row.label.startsWith('`hostlink get` 2048 MiB, relay'));
  assert.ok(relay, figures.map((row) => row.label).join('\n'));
  assert.ok(!figures.some((row) => row.label.includes('-2048')), 'no sign lost to a 32-bit shift');
  assert.equal(relay.target?.met, true, '9.0 over 5.6 Gbit/s');
  const slower = foundationFigures(results([8000, 8300, 8400], [2800, 5600, 6400]));
  assert.equal(slower.find((row) => row.label === relay.label)?.target?.met, false, '8.3 over 5.6');
});

test('time to first byte passes under 30 ms and 10x ssh, and fails at either', () => {
  const met = (figures: ReturnType<typeof foundationFigures>) => figures[0]?.target?.met;
  assert.equal(met(foundationFigures(results([1], [1]))), true);
  const slow = results([1], [1]);
  slow['firstByte.relay'] = latency(31, 40);
  assert.equal(met(foundationFigures(slow)), false);
  slow['firstByte.relay'] = latency(20, 40);
  slow.sshTrue = latency(150, 160);
  assert.equal(met(foundationFigures(slow)), false, '20 ms is not 10x faster than 150 ms');
});
