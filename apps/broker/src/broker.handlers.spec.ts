import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, Jwks, ListHostsResponse, Subject } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { z } from 'zod';
import { type BrokerTestApp, startBrokerTestApp } from './testing/broker-test.app.js';
import { sessionFor } from './testing/fixtures.js';

let app: BrokerTestApp;
before(async () => {
  app = await startBrokerTestApp();
});
after(() => app.close());

// (A null payload never leaves a Nest client: ClientProxy refuses it before sending.)
const hostile: unknown[] = [
  [],
  'hello',
  42,
  {},
  { accessToken: 'not.a.jwt!' },
  { accessToken: 'a'.repeat(9000) },
  { sessionToken: 7 },
  { sessionToken: 'not-a-jwt', hostId: '../../etc', clientPublicKey: 'short' },
  {
    sessionToken: 'not-a-jwt',
    hostId: '00000000-0000-4000-8000-00000000000z',
    clientPublicKey: 'A'.repeat(44),
  },
  { enrollmentToken: '', name: 'pc', os: 'linux', publicKey: 'A'.repeat(43) },
  { enrollmentToken: 'hle_x', name: 'evil\u202ename', os: 'linux', publicKey: 'A'.repeat(43) },
  { enrollmentToken: 'hle_x', name: 'x'.repeat(65), os: 'linux', publicKey: 'A'.repeat(43) },
  { enrollmentToken: 'hle_x', name: 'pc', os: '', publicKey: 'A'.repeat(43) },
  { hostId: 'not-a-uuid' },
  JSON.parse('{"__proto__": {"isAdmin": true}, "sessionToken": {}}'),
];
const subjects = [
  Subject.brokerCreateSession,
  Subject.brokerListHosts,
  Subject.brokerCreateEnrollment,
  Subject.brokerRegisterHost,
  Subject.brokerConnect,
  Subject.brokerHostKey,
];

test('hostile payloads to every broker handler get bad_request', async () => {
  for (const subject of subjects) {
    for (const payload of hostile) {
      await assert.rejects(
        app.bus.request(subject, payload as object, z.unknown()),
        withCode(ErrorCode.BadRequest),
        `${subject} ${JSON.stringify(payload)}`,
      );
    }
  }
});

test('malformed events are dropped and the broker keeps serving', async () => {
  for (const payload of hostile) {
    await app.bus.emit(Subject.presenceChanged, payload as object);
    await app.bus.emit(Subject.relayLoad, payload as object);
  }
  await app.bus.emit(Subject.presenceChanged, {
    eventId: '00000000-0000-4000-8000-000000000001',
    hostId: '00000000-0000-4000-8000-000000000000',
    online: true,
    pollId: 'p',
    at: new Date().toISOString(),
  });
  const session = await sessionFor(app, await app.createUser('admin'));
  assert.deepEqual(
    (await app.bus.request(Subject.brokerListHosts, { sessionToken: session }, ListHostsResponse)).hosts,
    [],
  );
  assert.equal((await app.bus.request(Subject.brokerJwks, {}, Jwks)).keys.length, 1);
});
