import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiPath, ErrorCode, isErrorBody } from '@hostlink/protocol';
import { type DistributedStack, type EnrolledHost, expectEventually } from '@hostlink/testing';
import {
  type AdminView,
  expectReachable,
  type SmallShare,
  startOneHostStack,
  stopOneHostStack,
  withServiceLogs,
} from './support/fleet.js';

describe('distributed platform: Postgres unreachable', () => {
  let stack: DistributedStack;
  let share: SmallShare;
  let host: EnrolledHost;
  let admin: AdminView;

  before(async () => {
    ({ stack, share, host, admin } = await startOneHostStack('postgres-outage'));
  });

  after(async () => {
    stack?.database.restore();
    await stopOneHostStack({ stack, host });
  });

  test(
    'the API answers 503 with a clear error at once, and works again when Postgres is back',
    withServiceLogs(
      () => stack,
      async (t) => {
        // Not the machine's Postgres: the one TCP path from every service of this stack to it.
        stack.database.cut();
        const started = performance.now();
        const response = await admin.api.call(ApiPath.hosts, { bearer: admin.bearer });
        const answeredMs = performance.now() - started;
        const body = (await response.json()) as unknown;
        assert.equal(response.status, 503, JSON.stringify(body));
        assert.ok(isErrorBody(body), JSON.stringify(body));
        assert.equal(body.code, ErrorCode.Unavailable);
        assert.match(body.message, /database/i);
        assert.ok(answeredMs < 5_000, `answered in ${answeredMs.toFixed(0)} ms`);
        await expectEventually(async () => assert.equal(await stack.ready('broker-1'), false), {
          timeoutMs: 10_000,
        });
        t.diagnostic(`503 "${body.message}" in ${answeredMs.toFixed(0)} ms; broker readiness says not ready`);

        stack.database.restore();
        const restored = performance.now();
        await expectEventually(
          async () => {
            const again = await admin.api.call(ApiPath.hosts, { bearer: admin.bearer });
            assert.equal(again.status, 200, await again.text());
          },
          { timeoutMs: 30_000, intervalMs: 200 },
        );
        t.diagnostic(
          `answering again ${(performance.now() - restored).toFixed(0)} ms after Postgres came back`,
        );
        await expectEventually(async () => assert.equal(await stack.ready('broker-1'), true), {
          timeoutMs: 10_000,
        });
        await expectReachable(host, share);
      },
    ),
  );
});
