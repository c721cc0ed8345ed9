import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiPath } from '@hostlink/protocol';
import type { DistributedStack, EnrolledHost } from '@hostlink/testing';
import {
  type AdminView,
  expectReachable,
  type SmallShare,
  startOneHostStack,
  stopOneHostStack,
  withServiceLogs,
} from './support/fleet.js';

interface Outcome {
  status: number;
  ms: number;
  retried?: number;
}

describe('distributed platform: a broker killed with SIGKILL', () => {
  let stack: DistributedStack;
  let share: SmallShare;
  let host: EnrolledHost;
  let admin: AdminView;

  before(async () => {
    ({ stack, share, host, admin } = await startOneHostStack('broker-failover'));
  });

  after(() => stopOneHostStack({ stack, host }));

  test(
    'requests in a loop across the kill keep being answered by the other broker',
    withServiceLogs(
      () => stack,
      async (t) => {
        const outcomes: Outcome[] = [];
        const ask = async () => {
          const started = performance.now();
          const response = await admin.api.call(ApiPath.hosts, { bearer: admin.bearer });
          await response.body?.cancel();
          return { status: response.status, ms: performance.now() - started };
        };
        const loop = (async () => {
          const until = performance.now() + 6_000;
          while (performance.now() < until) {
            const outcome: Outcome = await ask();
            // A request in flight to the killed broker may be lost: a 503 says "retry", and one retry must do.
            if (outcome.status === 503) outcome.retried = (await ask()).status;
            outcomes.push(outcome);
          }
        })();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await stack.kill('broker-1', 'SIGKILL');
        await loop;
        const failed = outcomes.filter((outcome) => outcome.status !== 200);
        const slowest = Math.max(...outcomes.map((outcome) => outcome.ms));
        t.diagnostic(
          `${outcomes.length} requests across the kill: ${outcomes.length - failed.length} answered 200 at once, ` +
            `${failed.length} needed a retry; slowest ${slowest.toFixed(0)} ms`,
        );
        for (const outcome of failed) {
          assert.equal(outcome.status, 503, 'only a retryable "unavailable" is acceptable');
          assert.equal(outcome.retried, 200, 'and one retry is answered');
        }
        // Connecting (broker → poll → agent, relay tickets) works through the remaining broker too.
        await expectReachable(host, share);
      },
    ),
  );
});
