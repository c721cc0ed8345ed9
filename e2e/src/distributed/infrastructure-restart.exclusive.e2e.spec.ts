import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type DistributedStack,
  type EnrolledHost,
  enrollHost,
  expectEventually,
  serviceNames,
  startDistributedStack,
  viaRelay,
} from '@hostlink/testing';
import { restartNats, restartRedis } from './support/machine-services.js';
import { AdminView, expectReachable, type SmallShare, smallShare } from './support/fleet.js';

const heartbeatSeconds = 1;

// Restarts the machine's own Redis and NATS: this file runs alone, after every other suite
// (`.exclusive.` files are the last phase of scripts/run-tests.mjs).
describe('distributed platform: Redis and NATS restarted under running services', () => {
  let stack: DistributedStack;
  let share: SmallShare;
  let host: EnrolledHost;
  let admin: AdminView;

  /** The end-to-end flow: the host listed online, its share listed, a file downloaded intact. */
  const flow = async () => {
    assert.equal((await admin.host(host.name))?.online, true);
    const listed = await host.user.ok(['ls', '--via', 'relay', `${host.name}:/`], { env: viaRelay });
    assert.ok(listed.trim().length > 0);
    await expectReachable(host, share);
  };

  before(async () => {
    stack = await startDistributedStack({ heartbeatSeconds });
    share = await smallShare();
    host = await enrollHost(stack, 'infrastructure-restart', [share.dir]);
    admin = await AdminView.signIn(stack);
    await flow();
  });

  after(async () => {
    await host?.agent.stop();
    await stack?.stop();
  });

  test('after a Redis restart presence is rebuilt within a heartbeat and the flow passes again', async (t) => {
    const restarted = performance.now();
    await restartRedis();
    const back = performance.now();
    // Redis came back empty: the poll instances must write every connected agent again.
    await expectEventually(async () => assert.equal((await admin.host(host.name))?.online, true), {
      timeoutMs: heartbeatSeconds * 1000 + 1_000,
      intervalMs: 20,
    });
    t.diagnostic(
      `Redis down ${(back - restarted).toFixed(0)} ms; host online again ${(performance.now() - back).toFixed(0)} ms after`,
    );
    await expectEventually(flow, { timeoutMs: 30_000, intervalMs: 250 });
    t.diagnostic(
      `end-to-end flow passing ${((performance.now() - back) / 1000).toFixed(2)} s after the restart`,
    );
  });

  test('after a NATS restart the services reconnect by themselves and the flow passes again', async (t) => {
    const restarted = performance.now();
    await restartNats();
    const back = performance.now();
    await expectEventually(flow, { timeoutMs: 30_000, intervalMs: 250 });
    t.diagnostic(
      `NATS down ${(back - restarted).toFixed(0)} ms; end-to-end flow passing ` +
        `${((performance.now() - back) / 1000).toFixed(2)} s after`,
    );
    for (const name of serviceNames)
      await expectEventually(async () => assert.equal(await stack.ready(name), true, name), {
        timeoutMs: 10_000,
      });
  });
});
