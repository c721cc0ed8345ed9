import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type DistributedStack,
  type EnrolledHost,
  establishedConnections,
  expectEventually,
  startDistributedStack,
} from '@hostlink/testing';
import {
  AdminView,
  agentLogTimes,
  enrollFleet,
  expectReachable,
  type SmallShare,
  smallShare,
  withServiceLogs,
} from './support/fleet.js';

const heartbeatSeconds = 1;
/** The poll service's presence TTL is three heartbeats. */
const presenceTtlMs = 3 * heartbeatSeconds * 1000;

describe('distributed platform: a poll instance killed with SIGKILL', () => {
  let stack: DistributedStack;
  let share: SmallShare;
  let hosts: EnrolledHost[];
  let admin: AdminView;

  before(async () => {
    stack = await startDistributedStack({ heartbeatSeconds });
    share = await smallShare();
    // Through the balancer's round robin, two agents land on each poll instance.
    hosts = await enrollFleet(stack, ['failover-a', 'failover-b', 'failover-c', 'failover-d'], share.dir);
    admin = await AdminView.signIn(stack);
  });

  after(async () => {
    for (const host of hosts ?? []) {
      const pid = host.agent.running?.pid;
      if (pid) process.kill(-pid, 'SIGCONT');
      await host.agent.stop();
    }
    await stack?.stop();
  });

  test(
    'its agents reconnect to the other instance through the one address, online and reachable again',
    withServiceLogs(
      () => stack,
      async (t) => {
        const held = establishedConnections(stack.ports['poll-1']);
        assert.ok(held >= 1, 'poll-1 holds some of the agents');
        const killedAt = Date.now();
        await stack.kill('poll-1', 'SIGKILL');
        const moved = await expectEventually(
          () => {
            const lost = hosts.filter(
              (host) => lastLog(host, 'poll connection lost; reconnecting') > killedAt,
            );
            assert.equal(lost.length, held, 'every agent of poll-1 noticed');
            return lost;
          },
          { timeoutMs: 5_000 },
        );
        for (const host of moved) {
          const reconnectedAt = await expectEventually(
            () => {
              const at = lastLog(host, 'online');
              assert.ok(at > killedAt, `${host.name} is back online`);
              return at;
            },
            { timeoutMs: 10_000 },
          );
          await admin.expectOnline(host.name, true, 5_000);
          await expectReachable(host, share);
          const shownAt = Date.now();
          assert.ok(shownAt - reconnectedAt < 5_000, `${host.name} online and reachable within 5 s`);
          t.diagnostic(
            `${host.name}: reconnected ${reconnectedAt - killedAt} ms after the kill, online and reachable ` +
              `${shownAt - reconnectedAt} ms later (a whole CLI get included)`,
          );
        }
        for (const host of hosts.filter((host) => !moved.includes(host))) await expectReachable(host, share);
      },
    ),
  );

  test(
    'no host stays online beyond the presence TTL when its agent cannot come back',
    withServiceLogs(
      () => stack,
      async (t) => {
        await stack.restart('poll-1');
        // Every agent is on poll-2 now. One agent is frozen: it will not reconnect, and no one says bye for it.
        const frozen = hosts[0]!;
        const pid = frozen.agent.running!.pid!;
        process.kill(-pid, 'SIGSTOP');
        const killedAt = performance.now();
        await stack.kill('poll-2', 'SIGKILL');
        await admin.expectOnline(frozen.name, false, presenceTtlMs + heartbeatSeconds * 1000);
        t.diagnostic(
          `frozen agent's host offline ${(performance.now() - killedAt).toFixed(0)} ms after the kill`,
        );
        for (const host of hosts.slice(1)) {
          await admin.expectOnline(host.name, true, 5_000);
          await expectReachable(host, share);
        }
        process.kill(-pid, 'SIGCONT');
        await admin.expectOnline(frozen.name, true, 10_000);
        await expectReachable(frozen, share);
      },
    ),
  );
});

function lastLog(host: EnrolledHost, message: string): number {
  return Math.max(0, ...agentLogTimes(host.agent, message));
}
