import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BrokerResults, brokerFigures } from './broker.figures.js';

const calls = (p50: number, p99: number, cpuMicrosPerRequest: number) => ({
  sequential: { p50, p99 },
  concurrent: { p50: p50 * 4, p99: p99 * 4 },
  cpuMicrosPerRequest,
});
const http = (requestsPerSecond: number, p99Ms: number) => ({ requestsPerSecond, p50Ms: p99Ms / 3, p99Ms });

function results(connectP50: number, connectP99: number): BrokerResults {
  return {
    concurrency: 16,
    nats: {
      echo: calls(0.4, 1, 160),
      listHosts: calls(1.5, 4, 1000),
      connect: calls(connectP50 * 2, connectP99 * 2, 3000),
      connectQuiet: calls(connectP50, connectP99, 2500),
    },
    listing: {
      hosts: 1000,
      cpuMicrosPerListing: { gateway: 4000, broker: 9000 },
      http: { hosts: http(60, 300), live: http(3000, 9), bare: http(5000, 6) },
    },
    agentMemory: { agent: { rssBytes: 60 * 2 ** 20 }, bareWs: { rssBytes: 50 * 2 ** 20 } },
  };
}

test('connect is held to 2x the bare echo at p50 and to 3 ms at p99, both ways of connecting', () => {
  const byLabel = (raw: BrokerResults) => new Map(brokerFigures(raw).map((f) => [f.label, f]));
  const fast = byLabel(results(0.8, 2.9));
  const quietP50 = fast.get('broker connect over NATS (broker and poll; the agent opens no leg), p50');
  assert.equal(quietP50?.ratio, 2);
  assert.equal(quietP50?.target?.met, true);
  assert.equal(
    fast.get('broker connect over NATS (broker and poll; the agent opens no leg), p99')?.target?.met,
    true,
  );
  // The real agent's connect is twice as slow here: over both targets.
  assert.equal(
    fast.get('broker connect over NATS (real agent, which opens a relay leg), p50')?.target?.met,
    false,
  );
  const slow = byLabel(results(5.5, 37));
  assert.equal(
    slow.get('broker connect over NATS (broker and poll; the agent opens no leg), p99')?.target?.met,
    false,
  );
});

test('the listing is against a bare server with the same body, memory against a bare ws process', () => {
  const figures = new Map(brokerFigures(results(5, 30)).map((f) => [f.label, f]));
  assert.equal(figures.get('gateway GET /api/v1/hosts, 1000 hosts in the account')?.ratio, 60 / 5000);
  assert.equal(figures.get('CPU per host listing (1000 hosts): broker + gateway')?.value.p50, 13_000);
  assert.equal(figures.get('agent idle RSS (enrolled, online, after a full GC)')?.ratio, 1.2);
});
