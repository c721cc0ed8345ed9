import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { dialRelay } from '@hostlink/client-sdk/node';
import { ApiPath, ConnectOffer } from '@hostlink/protocol';
import { type DistributedStack, type EnrolledHost, expectEventually } from '@hostlink/testing';
import { type AdminView, startOneHostStack, stopOneHostStack, withServiceLogs } from './support/fleet.js';

/** Which services logged a JSON line carrying `correlationId`, from the stack's per-service output. */
function servicesThatLogged(stack: DistributedStack, correlationId: string): Set<string> {
  const services = new Set<string>();
  for (const section of stack
    .logs()
    .split(/^===== /m)
    .slice(1)) {
    const name = section.slice(0, section.indexOf('\n'));
    if (section.includes(`"correlationId":"${correlationId}"`)) services.add(name.replace(/-\d+$/, ''));
  }
  return services;
}

describe('distributed platform: one correlation id across gateway, broker, poll and relay', () => {
  let stack: DistributedStack;
  let host: EnrolledHost;
  let admin: AdminView;

  before(async () => {
    ({ stack, host, admin } = await startOneHostStack('correlated'));
    await admin.expectOnline(host.name, true, 10_000);
  });

  after(() => stopOneHostStack({ stack, host }));

  test(
    "a connect request's X-Request-Id is in the logs of the gateway, a broker, a poll instance and a relay",
    withServiceLogs(
      () => stack,
      async () => {
        const correlationId = `e2e-${randomBytes(6).toString('hex')}`;
        const hostId = (await admin.host(host.name))!.id;
        const response = await fetch(new URL(ApiPath.connect(hostId), stack.urls.gateway), {
          method: 'POST',
          headers: {
            authorization: `Bearer ${admin.bearer}`,
            'content-type': 'application/json',
            'x-request-id': correlationId,
          },
          body: JSON.stringify({ clientPublicKey: randomBytes(32).toString('base64url') }),
        });
        assert.equal(response.status, 200, await response.clone().text());
        assert.equal(response.headers.get('x-request-id'), correlationId, 'the gateway answers under it');
        const offer = ConnectOffer.parse(await response.json());
        assert.ok(offer.relay, 'the broker offered a relay');
        // The client leg: the relay logs the pairing once the agent's leg (asked for through poll) arrives.
        const leg = await dialRelay(offer.relay.url, offer.relay.ticket);
        await expectEventually(
          () =>
            assert.deepEqual([...servicesThatLogged(stack, correlationId)].sort(), [
              'broker',
              'gateway',
              'poll',
              'relay',
            ]),
          { timeoutMs: 5_000 },
        );
        leg.close();
      },
    ),
  );
});
