import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Logger } from '@nestjs/common';
import { OpsPath } from '@hostlink/protocol';
import { createMetricsRegistry, HostlinkMetrics } from '../metrics/hostlink.metrics.js';
import { type OpsServer, startOpsServer } from './ops-server.js';
import { Readiness } from './readiness.js';

describe('ops server', () => {
  const readiness = new Readiness(undefined, 200);
  const registry = createMetricsRegistry();
  const metrics = new HostlinkMetrics(registry);
  let server: OpsServer;
  const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

  before(async () => {
    Logger.overrideLogger(false);
    server = await startOpsServer({ host: '127.0.0.1', port: 0, readiness, registry });
  });
  after(() => server?.close());

  test('is live at once, and not ready until the service hands its checks over', async () => {
    const live = await get(OpsPath.live);
    assert.deepEqual([live.status, await live.json()], [200, { status: 'live' }]);
    const ready = await get(OpsPath.ready);
    assert.deepEqual([ready.status, await ready.json()], [503, { status: 'starting', checks: {} }]);
  });

  test('is ready when every dependency answers', async () => {
    readiness.use({ nats: () => Promise.resolve(), postgres: () => Promise.resolve('1') });
    const ready = await get(OpsPath.ready);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { nats: 'up', postgres: 'up' } });
  });

  test('answers 503 naming the dependency that fails or does not answer in time', async () => {
    readiness.use({
      nats: () => Promise.resolve(),
      postgres: () => Promise.reject(new Error('connection refused')),
      redis: () => new Promise(() => undefined),
    });
    const started = Date.now();
    const ready = await get(OpsPath.ready);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), {
      status: 'not-ready',
      checks: { nats: 'up', postgres: 'down', redis: 'down' },
    });
    assert.ok(Date.now() - started < 1000, 'the checks run at once, each within its timeout');
  });

  test("a service's own readiness can answer instead", async () => {
    readiness.use(new Readiness({ auth: () => Promise.resolve() }));
    assert.deepEqual(await (await get(OpsPath.ready)).json(), { status: 'ready', checks: { auth: 'up' } });
  });

  test('serves Prometheus text with the hostlink metrics and the process defaults', async () => {
    metrics.heartbeats.inc(3);
    metrics.relayBytes.inc({ direction: 'to_agent' }, 10);
    const scraped = await get(OpsPath.metrics);
    assert.equal(scraped.status, 200);
    assert.match(scraped.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await scraped.text();
    assert.match(text, /^hostlink_heartbeats_total 3$/m);
    assert.match(text, /^hostlink_relay_bytes_total\{direction="to_agent"\} 10$/m);
    assert.match(text, /^# TYPE hostlink_bus_request_duration_seconds histogram$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });

  test('answers nothing else', async () => {
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/health')).status, 404);
    assert.equal((await get(OpsPath.live, { method: 'POST' })).status, 405);
  });
});
