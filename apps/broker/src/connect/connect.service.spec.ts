import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccountPolicy, AuditEvent, Host } from '@hostlink/persistence';
import {
  Audience,
  ConnectOffer,
  defaultPolicy,
  ErrorCode,
  GrantClaims,
  Jwks,
  ListHostsResponse,
  RelayTicketClaims,
  Subject,
  TokenKind,
} from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  type BrokerTestApp,
  type Identity,
  POLL_ID,
  startBrokerTestApp,
} from '../testing/broker-test.app.js';
import { enrollmentToken, newPublicKey, register, sessionFor } from '../testing/fixtures.js';

describe('connect, host list and presence', () => {
  let app: BrokerTestApp;
  let owner: Identity;
  let ownerSession: string;
  let hostId: string;
  const clientKey = newPublicKey();
  const connect = (sessionToken: string, id = hostId, avoidRelayIds?: string[]) =>
    app.bus.request(
      Subject.brokerConnect,
      { sessionToken, hostId: id, clientPublicKey: clientKey, avoidRelayIds },
      ConnectOffer,
    );
  const goOnline = (id: string) => {
    const at = app.clock.now().toISOString();
    return app.presence.markOnline({
      hostId: id,
      pollId: POLL_ID,
      connectionId: 'c1',
      connectedAt: at,
      lastSeenAt: at,
      direct: [{ address: '192.0.2.10', port: 53000 }],
    });
  };
  const verify = async (token: string, typ: string, audience: string) => {
    const jwks = await app.bus.request(Subject.brokerJwks, {}, Jwks);
    return jwtVerify(token, createLocalJWKSet(jwks as never), {
      algorithms: ['EdDSA'],
      typ,
      audience,
      currentDate: app.clock.now(),
    });
  };

  before(async () => {
    app = await startBrokerTestApp();
    owner = await app.createUser('member');
    ownerSession = await sessionFor(app, owner);
    hostId = (await register(app, await enrollmentToken(app, ownerSession))).hostId;
  });
  beforeEach(() => app.fake.commands.splice(0));
  after(() => app.close());

  test('an offline host cannot be connected to', async () => {
    await assert.rejects(connect(ownerSession), withCode(ErrorCode.HostOffline));
  });

  test('an online host yields a grant, a relay ticket, direct candidates, and the agent gets its own ticket', async () => {
    await goOnline(hostId);
    const offer = await connect(ownerSession);
    const host = await app.dataSource.getRepository(Host).findOneByOrFail({ id: hostId });
    assert.equal(offer.hostPublicKey, host.publicKey);
    assert.deepEqual(offer.direct, [{ address: '192.0.2.10', port: 53000 }]);
    assert.deepEqual(offer.policy, defaultPolicy);
    const grant = GrantClaims.parse(
      (await verify(offer.grant, TokenKind.ConnectionGrant, Audience.grantFor(hostId))).payload,
    );
    assert.deepEqual([grant.sub, grant.cpk, grant.hid], [owner.userId, clientKey, hostId]);
    assert.equal(grant.exp - Math.floor(app.clock.now().getTime() / 1000), 60);
    assert.equal(offer.relay?.url, 'ws://relay-a.test/relay');
    const client = RelayTicketClaims.parse(
      (await verify(offer.relay.ticket, TokenKind.RelayTicket, Audience.ticketFor('relay-a'))).payload,
    );
    const [command] = app.fake.commands;
    assert.equal(command?.hostId, hostId);
    assert.ok(command.command.type === 'open-relay');
    const agent = RelayTicketClaims.parse(
      (await verify(command.command.ticket, TokenKind.RelayTicket, Audience.ticketFor('relay-a'))).payload,
    );
    assert.deepEqual([client.role, agent.role], ['client', 'agent']);
    assert.equal(client.cid, agent.cid);
    assert.equal(command.command.connectionId, client.cid);
    assert.notEqual(client.jti, agent.jti);
    assert.equal(decodeProtectedHeader(offer.grant).typ, TokenKind.ConnectionGrant);
  });

  test('a relay that reports raw TCP legs is offered with them, to the client and to the agent', async () => {
    await app.bus.emit(Subject.relayLoad, {
      relayId: 'relay-t',
      url: 'ws://relay-t.test/relay',
      tcpUrl: 'tcp://relay-t.test:8200',
      activeSessions: 0,
      at: app.clock.now().toISOString(),
    });
    const offer = await connect(ownerSession);
    assert.deepEqual(
      [offer.relay?.url, offer.relay?.tcpUrl],
      ['ws://relay-t.test/relay', 'tcp://relay-t.test:8200'],
    );
    const command = app.fake.commands.at(-1)?.command;
    assert.ok(command?.type === 'open-relay');
    assert.deepEqual(
      [command.relayUrl, command.relayTcpUrl],
      ['ws://relay-t.test/relay', 'tcp://relay-t.test:8200'],
    );
    await app.bus.emit(Subject.relayLoad, {
      relayId: 'relay-t',
      url: 'ws://relay-t.test/relay',
      activeSessions: 0,
      at: app.clock.now().toISOString(),
      stopping: true,
    });
    assert.equal(
      (await connect(ownerSession)).relay?.tcpUrl,
      undefined,
      'the configured relay has WebSocket legs only',
    );
  });

  test('the least loaded fresh relay is picked; stale reports fall back to configuration', async () => {
    const at = app.clock.now().toISOString();
    await app.bus.emit(Subject.relayLoad, {
      relayId: 'relay-b',
      url: 'ws://relay-b.test/relay',
      activeSessions: 5,
      at,
    });
    await app.bus.emit(Subject.relayLoad, {
      relayId: 'relay-c',
      url: 'ws://relay-c.test/relay',
      activeSessions: 2,
      at,
    });
    assert.equal((await connect(ownerSession)).relay?.id, 'relay-c');
    assert.equal(
      (await connect(ownerSession, hostId, ['relay-c'])).relay?.id,
      'relay-b',
      'a relay the client just failed with is avoided while another is fresh',
    );
    assert.equal((await connect(ownerSession, hostId, ['relay-b', 'relay-c'])).relay?.id, 'relay-c');
    await app.bus.emit(Subject.relayLoad, {
      relayId: 'relay-c',
      url: 'ws://relay-c.test/relay',
      activeSessions: 0,
      at,
      stopping: true,
    });
    assert.equal((await connect(ownerSession)).relay?.id, 'relay-b', 'a stopping relay is dropped at once');
    app.clock.advance(16);
    ownerSession = await sessionFor(app, owner);
    assert.equal((await connect(ownerSession)).relay?.url, 'ws://relay-a.test/relay');
  });

  test('a direct-only policy offers no relay and tells the agent nothing', async () => {
    await app.dataSource.getRepository(AccountPolicy).insert({
      accountId: owner.accountId,
      rules: { ...defaultPolicy, network: 'direct-only' },
      updatedAt: app.clock.now(),
    });
    const offer = await connect(ownerSession);
    assert.equal(offer.relay, null);
    assert.equal(offer.policy.network, 'direct-only');
    assert.equal(app.fake.commands.length, 0);
    await app.dataSource.getRepository(AccountPolicy).delete({ accountId: owner.accountId });
  });

  /** The connect audit entries of this host written by `action`, in no particular order. */
  const auditedBy = async (action: () => Promise<unknown>) => {
    const entries = async () =>
      (await app.dataSource.getRepository(AuditEvent).findBy({ action: 'broker.host.connect' })).filter(
        (entry) => entry.detail['hostId'] === hostId,
      );
    const before = new Set((await entries()).map((entry) => entry.id));
    await action();
    return (await entries()).filter((entry) => !before.has(entry.id));
  };

  test('every connect is audited before its offer is handed out, a failed one too', async () => {
    await goOnline(hostId);
    let offer: ConnectOffer | undefined;
    const [entry, ...more] = await auditedBy(async () => (offer = await connect(ownerSession)));
    assert.deepEqual(more, []);
    assert.deepEqual(
      [entry?.actor, entry?.accountId, entry?.outcome, entry?.detail],
      [`user:${owner.userId}`, owner.accountId, 'success', { hostId, relay: offer?.relay?.url, direct: 1 }],
    );
    await app.presence.markOnline({ ...(await app.presence.get([hostId])).get(hostId)!, direct: [] });
    await app.dataSource.getRepository(AccountPolicy).insert({
      accountId: owner.accountId,
      rules: { ...defaultPolicy, network: 'direct-only' },
      updatedAt: app.clock.now(),
    });
    const refused = await auditedBy(() =>
      assert.rejects(connect(ownerSession), withCode(ErrorCode.PolicyDenied)),
    );
    await app.dataSource.getRepository(AccountPolicy).delete({ accountId: owner.accountId });
    assert.deepEqual(
      refused.map((each) => [each.outcome, each.detail['reason']]),
      [['failure', 'no-direct-candidates']],
    );
  });

  test('an agent its poll cannot reach: the relay is withdrawn, and the log says so', async () => {
    await goOnline(hostId);
    const online = (await app.presence.get([hostId])).get(hostId)!;
    const stale = { ...online, pollId: 'poll-gone' };
    await app.presence.markOnline(stale);
    let offer: ConnectOffer | undefined;
    const entries = await auditedBy(async () => (offer = await connect(ownerSession)));
    assert.equal(offer?.relay, null, 'no relay ticket for a leg the agent will never open');
    assert.deepEqual(offer?.direct, online.direct);
    const outcomes = (list: typeof entries) =>
      list.map((each) => [each.outcome, each.detail['reason'] ?? null]).sort();
    assert.deepEqual(outcomes(entries), [
      ['failure', 'agent-unreachable'],
      ['success', null],
    ]);
    await app.presence.markOnline({ ...stale, direct: [] });
    const failed = await auditedBy(() =>
      assert.rejects(connect(ownerSession), withCode(ErrorCode.Unavailable)),
    );
    assert.deepEqual(outcomes(failed), [
      ['failure', 'agent-unreachable'],
      ['success', null],
    ]);
    await goOnline(hostId);
  });

  test('another member cannot see or connect to the host; an admin of the account can; other accounts cannot', async () => {
    const colleague = await sessionFor(app, await app.createUser('member', owner.accountId));
    const admin = await sessionFor(app, await app.createUser('admin', owner.accountId));
    const stranger = await sessionFor(app, await app.createUser('admin'));
    await assert.rejects(connect(colleague), withCode(ErrorCode.NotFound));
    await assert.rejects(connect(stranger), withCode(ErrorCode.NotFound));
    assert.ok((await connect(admin)).grant);
    const list = (session: string) =>
      app.bus.request(Subject.brokerListHosts, { sessionToken: session }, ListHostsResponse);
    assert.deepEqual((await list(colleague)).hosts, []);
    assert.deepEqual((await list(stranger)).hosts, []);
    assert.deepEqual(
      (await list(admin)).hosts.map((host) => host.id),
      [hostId],
    );
  });

  test('presence events keep lastSeenAt: online from the store, offline from the database; a redelivery changes nothing', async () => {
    const online = (
      await app.bus.request(Subject.brokerListHosts, { sessionToken: ownerSession }, ListHostsResponse)
    ).hosts[0];
    assert.equal(online?.online, true);
    const at = app.clock.now().toISOString();
    await app.presence.markOffline(hostId);
    const event = { eventId: randomUUID(), hostId, online: false, pollId: POLL_ID, at, reason: 'clean-stop' };
    // Durable events may arrive twice (a broker died before acknowledging): the second changes nothing.
    await app.bus.emit(Subject.presenceChanged, event);
    await app.bus.emit(Subject.presenceChanged, event);
    const offline = (
      await app.bus.request(Subject.brokerListHosts, { sessionToken: ownerSession }, ListHostsResponse)
    ).hosts[0];
    assert.deepEqual([offline?.online, offline?.lastSeenAt], [false, at]);
    const audited = await app.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'broker.host.offline', id: event.eventId });
    assert.equal(audited.length, 1);
  });

  test('the host key lookup for poll', async () => {
    const host = await app.dataSource.getRepository(Host).findOneByOrFail({ id: hostId });
    const reply = await app.bus.request(
      Subject.brokerHostKey,
      { hostId },
      ConnectOffer.pick({ hostId: true }).extend({ publicKey: ConnectOffer.shape.hostPublicKey }),
    );
    assert.deepEqual(reply, { hostId, publicKey: host.publicKey });
    await assert.rejects(
      app.bus.request(Subject.brokerHostKey, { hostId: '00000000-0000-4000-8000-000000000000' }, Jwks),
      withCode(ErrorCode.NotFound),
    );
  });
});
