import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BusClient } from '@hostlink/bus';
import { exportJWK, generateKeyPair } from 'jose';
import { BrokerKeysService } from './broker-keys.service.js';

/** A bus that answers the JWKS request after a delay and counts requests. */
async function slowBroker(kid: string) {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' };
  const bus = {
    requests: 0,
    async request() {
      bus.requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { keys: [jwk] };
    },
  };
  return bus;
}

test('legs arriving together with a kid not yet known all wait for the one fetch', async () => {
  const bus = await slowBroker('new-kid');
  const keys = new BrokerKeysService(bus as unknown as BusClient);
  const results = await Promise.allSettled([1, 2, 3].map(() => keys.keyFor('new-kid', 'EdDSA')));
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'fulfilled', 'fulfilled'],
  );
  assert.equal(bus.requests, 1);
});

test('an unknown kid after a fetch is refused without asking the broker again at once', async () => {
  const bus = await slowBroker('k1');
  const keys = new BrokerKeysService(bus as unknown as BusClient);
  await keys.keyFor('k1', 'EdDSA');
  await assert.rejects(keys.keyFor('forged', 'EdDSA'), /unknown key/);
  assert.equal(bus.requests, 1);
});
