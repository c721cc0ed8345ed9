import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AuditEvent } from '@hostlink/persistence';
import { ConnectOffer, ErrorCode, ListHostsResponse, RemoveHostResponse, Subject } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { type BrokerTestApp, POLL_ID, startBrokerTestApp } from '../testing/broker-test.app.js';
import { enrollmentToken, newPublicKey, register, sessionFor } from '../testing/fixtures.js';

describe('removing a host', () => {
  let app: BrokerTestApp;
  let ownerSession: string;
  let otherSession: string;
  let adminSession: string;
  const enroll = async (sessionToken: string) =>
    (await register(app, await enrollmentToken(app, sessionToken))).hostId;
  const remove = (sessionToken: string, hostId: string) =>
    app.bus.request(Subject.brokerRemoveHost, { sessionToken, hostId }, RemoveHostResponse);
  const listed = async (sessionToken: string) =>
    (await app.bus.request(Subject.brokerListHosts, { sessionToken }, ListHostsResponse)).hosts.map(
      (host) => host.id,
    );
  const goOnline = (hostId: string, pollId = POLL_ID) => {
    const at = app.clock.now().toISOString();
    return app.presence.markOnline({
      hostId,
      pollId,
      connectionId: 'c1',
      connectedAt: at,
      lastSeenAt: at,
      direct: [],
    });
  };

  before(async () => {
    app = await startBrokerTestApp();
    const owner = await app.createUser('member');
    ownerSession = await sessionFor(app, owner);
    otherSession = await sessionFor(app, await app.createUser('member', owner.accountId));
    adminSession = await sessionFor(app, await app.createUser('admin', owner.accountId));
  });
  beforeEach(() => app.fake.commands.splice(0));
  after(() => app.close());

  test('the owner removes an offline host: it leaves the list, connect says not_found, it is audited', async () => {
    const hostId = await enroll(ownerSession);
    assert.deepEqual(await remove(ownerSession, hostId), { removed: true });
    assert.equal((await listed(ownerSession)).includes(hostId), false);
    await assert.rejects(
      app.bus.request(
        Subject.brokerConnect,
        { sessionToken: ownerSession, hostId, clientPublicKey: newPublicKey() },
        ConnectOffer,
      ),
      withCode(ErrorCode.NotFound),
    );
    await assert.rejects(remove(ownerSession, hostId), withCode(ErrorCode.NotFound));
    const events = await app.dataSource.getRepository(AuditEvent).findBy({ action: 'broker.host.remove' });
    assert.ok(events.some((event) => event.detail.hostId === hostId && event.outcome === 'success'));
    assert.deepEqual(app.fake.commands, []);
  });

  test('a member cannot remove another member’s host, and learns nothing about it', async () => {
    const hostId = await enroll(ownerSession);
    await assert.rejects(remove(otherSession, hostId), withCode(ErrorCode.NotFound));
    assert.equal((await listed(ownerSession)).includes(hostId), true);
  });

  test('an admin removes any host of the account; another account’s admin cannot', async () => {
    const hostId = await enroll(ownerSession);
    const stranger = await sessionFor(app, await app.createUser('admin'));
    await assert.rejects(remove(stranger, hostId), withCode(ErrorCode.NotFound));
    assert.deepEqual(await remove(adminSession, hostId), { removed: true });
    assert.equal((await listed(adminSession)).includes(hostId), false);
  });

  test('an unknown id is not_found and a malformed one a bad request', async () => {
    await assert.rejects(remove(ownerSession, randomUUID()), withCode(ErrorCode.NotFound));
    await assert.rejects(remove(ownerSession, '../etc'), withCode(ErrorCode.BadRequest));
    await assert.rejects(remove('not-a-session', randomUUID()), withCode(ErrorCode.BadRequest));
  });

  test('an online host’s agent is told to go through the poll that holds it', async () => {
    const hostId = await enroll(ownerSession);
    await goOnline(hostId);
    assert.deepEqual(await remove(ownerSession, hostId), { removed: true });
    assert.deepEqual(app.fake.commands, [{ hostId, command: { type: 'revoke' } }]);
    assert.equal((await listed(ownerSession)).includes(hostId), false);
  });

  test('removal stands when the poll holding the agent cannot be reached', async () => {
    const hostId = await enroll(ownerSession);
    await goOnline(hostId, 'poll-gone');
    assert.deepEqual(await remove(ownerSession, hostId), { removed: true });
    assert.equal((await listed(ownerSession)).includes(hostId), false);
    assert.deepEqual(app.fake.commands, []);
  });
});
