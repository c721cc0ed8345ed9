import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuditEvent } from '@hostlink/persistence';
import { EnrollmentResponse, ErrorCode, ListHostsResponse, Subject } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { type BrokerTestApp, type Identity, startBrokerTestApp } from '../testing/broker-test.app.js';
import { enrollmentToken, newPublicKey, register, sessionFor } from '../testing/fixtures.js';

describe('enrollment and host registration', () => {
  let app: BrokerTestApp;
  let alice: Identity;
  let session: string;

  before(async () => {
    app = await startBrokerTestApp();
    alice = await app.createUser('member');
    session = await sessionFor(app, alice);
  });
  after(() => app.close());

  test('a token is opaque, expires in one hour, registers one host and is audited', async () => {
    const created = await app.bus.request(
      Subject.brokerCreateEnrollment,
      { sessionToken: session },
      EnrollmentResponse,
    );
    assert.match(created.token, /^hle_[A-Za-z0-9_-]{43}$/);
    assert.equal(Date.parse(created.expiresAt) - app.clock.now().getTime(), 3600_000);
    const registered = await register(app, created.token);
    assert.equal(registered.accountId, alice.accountId);
    assert.equal(registered.pollUrl, 'ws://poll.test/agent');
    assert.equal(registered.brokerKeys.keys.length, 1);
    const { hosts } = await app.bus.request(
      Subject.brokerListHosts,
      { sessionToken: session },
      ListHostsResponse,
    );
    assert.deepEqual(
      hosts.map((host) => [host.id, host.online, host.lastSeenAt]),
      [[registered.hostId, false, null]],
    );
    const actions = (await app.dataSource.getRepository(AuditEvent).find()).map(
      (event) => `${event.action}:${event.outcome}`,
    );
    assert.ok(
      actions.includes('broker.enrollment.create:success') &&
        actions.includes('broker.host.register:success'),
    );
  });

  test('a used token is refused as reused', async () => {
    const token = await enrollmentToken(app, session);
    await register(app, token);
    await assert.rejects(register(app, token), withCode(ErrorCode.TokenReused));
  });

  test('a token is refused as expired after one hour', async () => {
    const token = await enrollmentToken(app, session);
    app.clock.advance(3600);
    await assert.rejects(register(app, token), withCode(ErrorCode.TokenExpired));
    session = await sessionFor(app, alice);
  });

  test('unknown tokens and tokens of another kind are invalid', async () => {
    await assert.rejects(register(app, 'hle_' + 'x'.repeat(43)), withCode(ErrorCode.TokenInvalid));
    await assert.rejects(register(app, 'hlr_' + 'x'.repeat(43)), withCode(ErrorCode.TokenInvalid));
  });

  test('a duplicate public key is a conflict and leaves the token usable', async () => {
    const key = newPublicKey();
    await register(app, await enrollmentToken(app, session), key, 'first name');
    const token = await enrollmentToken(app, session);
    await assert.rejects(register(app, token, key, 'second name'), {
      code: ErrorCode.Conflict,
      message: /public key/,
    });
    assert.ok((await register(app, token)).hostId);
  });

  test('a second host with the same name in the account is a conflict and leaves the token usable', async () => {
    await register(app, await enrollmentToken(app, session), newPublicKey(), 'Home PC');
    const token = await enrollmentToken(app, session);
    await assert.rejects(register(app, token, newPublicKey(), 'Home PC'), {
      code: ErrorCode.Conflict,
      message: /named "Home PC" already exists/,
    });
    assert.ok((await register(app, token, newPublicKey(), 'Office PC')).hostId);
  });

  test('two concurrent registrations with one token: exactly one host', async () => {
    const token = await enrollmentToken(app, session);
    const outcomes = await Promise.allSettled([
      register(app, token),
      register(app, token),
      register(app, token),
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') assert.ok(withCode(ErrorCode.TokenReused)(outcome.reason));
  });
});
