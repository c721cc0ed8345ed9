import 'reflect-metadata';
import assert from 'node:assert/strict';
import {
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Global, type INestMicroservice, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { BusClient, BusModule, DomainRpcFilter } from '@hostlink/bus';
import { HostlinkMetrics } from '@hostlink/observability';
import { InMemoryPresenceStore, PRESENCE_STORE } from '@hostlink/presence';
import { metricValue } from '@hostlink/testing';
import {
  AgentCommandResult,
  ErrorCode,
  HostKeyRequest,
  HostlinkError,
  POLL_MAX_FRAME_BYTES,
  POLL_PATH,
  PollCloseCode,
  type PollServerFrame,
  PresenceChanged,
  pollCommandSubject,
  Subject,
} from '@hostlink/protocol';
import { WebSocket } from 'ws';
import { AgentSessionService } from './agent-session/agent-session.service.js';
import { PollModule } from './poll.module.js';
import type { PollOptions } from './poll.options.js';
import { PollSocketServer } from './socket/poll-socket.server.js';

const POLL_ID = 'poll-test';
const HEARTBEAT_SECONDS = 0.25;
const store = new InMemoryPresenceStore({ sweepIntervalMs: 50 });

@Controller()
@UseFilters(DomainRpcFilter)
class FakeBroker {
  static readonly keys = new Map<string, string>();
  static readonly events: PresenceChanged[] = [];

  @MessagePattern(Subject.brokerHostKey)
  hostKey(payload: unknown) {
    const { hostId } = HostKeyRequest.parse(payload);
    const publicKey = FakeBroker.keys.get(hostId);
    if (!publicKey) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    return { hostId, accountId: randomUUID(), publicKey };
  }

  @EventPattern(Subject.presenceChanged)
  changed(payload: unknown) {
    FakeBroker.events.push(PresenceChanged.parse(payload));
  }
}

@Global()
@Module({ providers: [{ provide: PRESENCE_STORE, useValue: store }], exports: [PRESENCE_STORE] })
class PresenceTestModule {}

/** A minimal agent: answers the challenge with a proof of its static X25519 key, heartbeats on cue. */
class TestAgent {
  readonly frames: PollServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private beat?: NodeJS.Timeout;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as PollServerFrame;
      this.frames.push(frame);
      if (frame.type === 'welcome' && this.autoHeartbeat) {
        this.beat = setInterval(() => this.send({ type: 'heartbeat' }), (frame.heartbeatSeconds * 1000) / 2);
      }
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        clearInterval(this.beat);
        resolve({ code, reason: reason.toString() });
      }),
    );
    socket.on('error', () => undefined);
  }

  autoHeartbeat = true;

  stopHeartbeats(): void {
    clearInterval(this.beat);
  }

  static async connect(path = POLL_PATH, port = pollPort): Promise<TestAgent> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const agent = new TestAgent(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return agent;
  }

  async frame<T extends PollServerFrame['type']>(type: T): Promise<Extract<PollServerFrame, { type: T }>> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const found = this.frames.find((frame) => frame.type === type);
      if (found) return found as Extract<PollServerFrame, { type: T }>;
      if (Date.now() > deadline) assert.fail(`no ${type} frame`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  send(value: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN)
      this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  async hello(hostId: string, staticKey: KeyObject): Promise<void> {
    const challenge = await this.frame('challenge');
    const ephemeral = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: challenge.ephemeralPublicKey },
      format: 'jwk',
    });
    const shared = diffieHellman({ privateKey: staticKey, publicKey: ephemeral });
    const proof = createHmac('sha256', shared)
      .update(`hostlink-poll-proof/1|${challenge.nonce}|${hostId}`)
      .digest('base64url');
    this.send({
      type: 'hello',
      hostId,
      proof,
      agentVersion: 'test',
      direct: [{ address: '192.168.1.9', port: 53000 }],
    });
  }
}

interface Host {
  hostId: string;
  key: KeyObject;
}

function enrolledHost(): Host {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const hostId = randomUUID();
  FakeBroker.keys.set(hostId, publicKey.export({ format: 'jwk' }).x!);
  return { hostId, key: privateKey };
}

async function onlineAgentOn(port: number, host: Host): Promise<TestAgent> {
  const agent = await TestAgent.connect(POLL_PATH, port);
  await agent.hello(host.hostId, host.key);
  await agent.frame('welcome');
  return agent;
}

const onlineAgent = (host: Host) => onlineAgentOn(pollPort, host);

/** The status and headers of a raw upgrade request (the status line alone when the server upgrades). */
function upgradeAnswer(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers });
    req.once('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    req.once('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    req.once('error', reject);
    req.end();
  });
}

const upgrade = (key = 'dGhlIHNhbXBsZSBub25jZQ==') => ({
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': key,
});

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const eventsFor = (hostId: string) => FakeBroker.events.filter((event) => event.hostId === hostId);
const online = async (hostId: string) => (await store.get([hostId])).has(hostId);

let app: INestMicroservice;
let pollPort: number;

/** A poll instance on an in-process bus with the fake broker, listening on a free port. */
async function startPoll(options: Partial<PollOptions> = {}): Promise<INestMicroservice> {
  const transport = BusModule.transportFor({ kind: 'in-process' });
  @Module({
    imports: [
      BusModule.forRoot({ kind: 'in-process', requestTimeoutMs: 2000 }),
      PresenceTestModule,
      PollModule.forRoot({
        pollId: POLL_ID,
        host: '127.0.0.1',
        port: 0,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        helloTimeoutMs: 400,
        commandTransport: transport.strategy,
        ...options,
      }),
    ],
    controllers: [FakeBroker],
  })
  class TestModule {}
  const started = await NestFactory.createMicroservice(TestModule, { ...transport, logger: false });
  await started.listen();
  return started;
}

before(async () => {
  app = await startPoll();
  pollPort = app.get(PollSocketServer).port;
});

after(async () => {
  await app.close();
  store.close();
});

describe('agent sign-in and presence', () => {
  test('an agent that proves its key is welcomed and reported online with its candidates', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    const challenge = await agent.frame('challenge');
    assert.equal(challenge.pollId, POLL_ID);
    assert.deepEqual((await agent.frame('welcome')).heartbeatSeconds, HEARTBEAT_SECONDS);
    await eventually(() => eventsFor(host.hostId).length === 1, 'online event');
    const [event] = eventsFor(host.hostId);
    assert.equal(event?.online, true);
    assert.equal(event?.pollId, POLL_ID);
    assert.deepEqual(event?.direct, [{ address: '192.168.1.9', port: 53000 }]);
    const record = (await store.get([host.hostId])).get(host.hostId);
    assert.equal(record?.pollId, POLL_ID);
    agent.socket.close();
  });

  test('heartbeats keep the host online beyond its TTL', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    const first = (await store.get([host.hostId])).get(host.hostId)!.lastSeenAt;
    await eventually(
      async () => (await store.get([host.hostId])).get(host.hostId)?.lastSeenAt !== first,
      'a touch',
    );
    // Outliving the TTL is the point here: this wait is the behaviour under test, not a guess at latency.
    await delay(HEARTBEAT_SECONDS * 4000);
    assert.equal(await online(host.hostId), true);
    assert.equal(eventsFor(host.hostId).length, 1);
    agent.socket.close();
  });

  test('presence the store lost (as in a Redis restart) is rebuilt by the next heartbeat and announced', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    const held = (await store.get([host.hostId])).get(host.hostId)!;
    await store.markOffline(host.hostId, held.connectionId, 'connection-lost');
    await eventually(() => online(host.hostId), 'presence rebuilt');
    const rebuilt = (await store.get([host.hostId])).get(host.hostId)!;
    assert.deepEqual(
      [rebuilt.connectionId, rebuilt.connectedAt, rebuilt.direct],
      [held.connectionId, held.connectedAt, held.direct],
    );
    await eventually(() => eventsFor(host.hostId).length === 2, 'a second online event');
    assert.deepEqual(
      eventsFor(host.hostId).map((event) => event.online),
      [true, true],
    );
    agent.socket.close();
  });

  test('a wrong proof is refused and nothing is published', async () => {
    const host = enrolledHost();
    const agent = await TestAgent.connect();
    await agent.hello(host.hostId, generateKeyPairSync('x25519').privateKey);
    assert.equal((await agent.closed).code, PollCloseCode.Unauthenticated);
    assert.equal((await agent.frame('error')).code, ErrorCode.Unauthenticated);
    assert.equal(await online(host.hostId), false);
    assert.equal(eventsFor(host.hostId).length, 0);
  });

  test('an unknown host is refused', async () => {
    const agent = await TestAgent.connect();
    await agent.hello(randomUUID(), generateKeyPairSync('x25519').privateKey);
    assert.equal((await agent.closed).code, PollCloseCode.Unauthenticated);
  });
});

describe('going offline', () => {
  test('bye shows offline at once as a clean stop', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    agent.send({ type: 'bye' });
    assert.equal((await agent.closed).code, 1000);
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
    assert.equal(eventsFor(host.hostId)[1]?.reason, 'clean-stop');
    assert.equal(await online(host.hostId), false);
  });

  test('a clean close without bye is a clean stop too', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    agent.socket.close(1000);
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
    assert.deepEqual(
      eventsFor(host.hostId).map((event) => event.reason),
      [undefined, 'clean-stop'],
    );
  });

  test('a dropped socket shows offline right away as connection-lost', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    agent.socket.terminate();
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
    assert.equal(eventsFor(host.hostId)[1]?.reason, 'connection-lost');
    assert.equal(await online(host.hostId), false);
  });

  test('missed heartbeats close the connection and publish a timeout, within 2 intervals', async () => {
    const host = enrolledHost();
    const agent = await TestAgent.connect();
    agent.autoHeartbeat = false;
    await agent.hello(host.hostId, host.key);
    await agent.frame('welcome');
    const welcomed = performance.now();
    assert.equal((await agent.closed).code, PollCloseCode.Timeout);
    const silentMs = performance.now() - welcomed;
    // Figure 6: offline within 2 intervals of the last word. The lower bound is the deadline itself (less
    // the millisecond it is rounded to); the upper one allows 50 ms for a loaded test machine.
    assert.ok(silentMs >= HEARTBEAT_SECONDS * 1500 - 1, `timed out after ${silentMs.toFixed(0)} ms`);
    assert.ok(silentMs <= HEARTBEAT_SECONDS * 2000 + 50, `timed out after ${silentMs.toFixed(0)} ms`);
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
    assert.equal(eventsFor(host.hostId)[1]?.reason, 'timeout');
  });

  test('the sweep leaves agents that heartbeat alone, and times out one that stops', async () => {
    const [steady, stopping] = [enrolledHost(), enrolledHost()];
    const agents = [await onlineAgent(steady), await onlineAgent(stopping)];
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_SECONDS * 1000));
    agents[1]!.autoHeartbeat = false;
    agents[1]!.stopHeartbeats();
    assert.equal((await agents[1]!.closed).code, PollCloseCode.Timeout);
    // Four deadlines in all have passed for the one that kept heartbeating.
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_SECONDS * 3000));
    assert.equal(await online(steady.hostId), true);
    assert.equal(eventsFor(steady.hostId).length, 1);
    agents[0]!.send({ type: 'bye' });
    assert.equal((await agents[0]!.closed).code, 1000);
  });

  test('a newer connection replaces the old one without an offline event', async () => {
    const host = enrolledHost();
    const first = await onlineAgent(host);
    const second = await onlineAgent(host);
    await first.frame('replaced');
    assert.equal((await first.closed).code, PollCloseCode.Replaced);
    await eventually(() => eventsFor(host.hostId).length === 2, 'second online event');
    assert.deepEqual(
      eventsFor(host.hostId).map((event) => event.online),
      [true, true],
    );
    assert.equal(await online(host.hostId), true);
    second.socket.close(1000);
    await eventually(() => eventsFor(host.hostId).length === 3, 'offline of the newer connection');
    assert.equal(eventsFor(host.hostId)[2]?.reason, 'clean-stop');
  });
});

describe('agent commands', () => {
  const command = (hostId: string) => ({
    hostId,
    command: {
      type: 'open-relay' as const,
      connectionId: 'c-1',
      relayUrl: 'ws://relay.test/relay',
      ticket: 'a.b.c',
    },
  });

  test('a command for a held agent is delivered as an open-relay frame', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    const bus = app.get(BusClient);
    const result = await bus.request(pollCommandSubject(POLL_ID), command(host.hostId), AgentCommandResult);
    assert.deepEqual(result, { delivered: true });
    assert.deepEqual(await agent.frame('open-relay'), {
      type: 'open-relay',
      connectionId: 'c-1',
      relayUrl: 'ws://relay.test/relay',
      ticket: 'a.b.c',
    });
    agent.socket.close();
  });

  test('a command for a host not held here is not delivered', async () => {
    const result = await app
      .get(BusClient)
      .request(pollCommandSubject(POLL_ID), command(randomUUID()), AgentCommandResult);
    assert.deepEqual(result, { delivered: false });
  });

  test('revoke closes the agent as unauthenticated and shows it offline as removed', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    const result = await app
      .get(BusClient)
      .request(
        pollCommandSubject(POLL_ID),
        { hostId: host.hostId, command: { type: 'revoke' } },
        AgentCommandResult,
      );
    assert.deepEqual(result, { delivered: true });
    assert.deepEqual(await agent.closed, { code: PollCloseCode.Unauthenticated, reason: 'host removed' });
    assert.equal((await agent.frame('error')).code, ErrorCode.Unauthenticated);
    assert.equal(await online(host.hostId), false);
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
    assert.equal(eventsFor(host.hostId)[1]?.reason, 'removed');
  });

  test('revoke for a host not held here is not delivered', async () => {
    const result = await app
      .get(BusClient)
      .request(
        pollCommandSubject(POLL_ID),
        { hostId: randomUUID(), command: { type: 'revoke' } },
        AgentCommandResult,
      );
    assert.deepEqual(result, { delivered: false });
  });

  test('a malformed command is a bad request', async () => {
    await assert.rejects(
      app.get(BusClient).request(pollCommandSubject(POLL_ID), { hostId: 'nope' }, AgentCommandResult),
      (error: unknown) => error instanceof HostlinkError && error.code === ErrorCode.BadRequest,
    );
    await assert.rejects(
      app
        .get(BusClient)
        .request(
          pollCommandSubject(POLL_ID),
          { hostId: randomUUID(), command: { type: 'shutdown' } },
          AgentCommandResult,
        ),
      (error: unknown) => error instanceof HostlinkError && error.code === ErrorCode.BadRequest,
    );
  });
});

describe('hostile agents', () => {
  const closesWith = async (code: number, send: (agent: TestAgent) => void) => {
    const agent = await TestAgent.connect();
    await agent.frame('challenge');
    send(agent);
    assert.equal((await agent.closed).code, code);
  };

  test('malformed JSON', () => closesWith(PollCloseCode.ProtocolError, (agent) => agent.send('{"type":')));
  test('an unknown frame type', () =>
    closesWith(PollCloseCode.ProtocolError, (agent) => agent.send({ type: 'root-me' })));
  test('a hello with a bad field', () =>
    closesWith(PollCloseCode.ProtocolError, (agent) =>
      agent.send({ type: 'hello', hostId: '../../etc', proof: 'x', agentVersion: '1', direct: [] }),
    ));
  test('a heartbeat before hello', () =>
    closesWith(PollCloseCode.ProtocolError, (agent) => agent.send({ type: 'heartbeat' })));
  test('a binary frame', () =>
    closesWith(PollCloseCode.UnsupportedData, (agent) => agent.socket.send(Buffer.from([1, 2, 3]))));
  test('an oversized frame', () =>
    closesWith(PollCloseCode.TooBig, (agent) =>
      agent.send({ type: 'heartbeat', pad: 'x'.repeat(POLL_MAX_FRAME_BYTES) }),
    ));
  test('silence after the challenge', () => closesWith(PollCloseCode.Timeout, () => undefined));

  test('a second hello after sign-in', async () => {
    const host = enrolledHost();
    const agent = await onlineAgent(host);
    await agent.hello(host.hostId, host.key);
    assert.equal((await agent.closed).code, PollCloseCode.ProtocolError);
    await eventually(() => eventsFor(host.hostId).length === 2, 'offline event');
  });

  test('another path is refused at the upgrade', async () => {
    await assert.rejects(TestAgent.connect('/admin'), /Unexpected server response: 400/);
  });

  test('a plain HTTP request is told to upgrade', async () => {
    assert.equal((await upgradeAnswer(pollPort, POLL_PATH, {})).status, 426);
  });

  test('an upgrade with a malformed key is refused and holds no handshake place', async () => {
    const sessions = app.get(AgentSessionService);
    const before = sessions.handshaking;
    assert.equal((await upgradeAnswer(pollPort, POLL_PATH, upgrade('not a key'))).status, 400);
    assert.equal((await upgradeAnswer(pollPort, '/admin', upgrade())).status, 400);
    assert.equal(sessions.handshaking, before);
  });

  test('the server still serves agents after all of that', async () => {
    const agent = await onlineAgent(enrolledHost());
    agent.send({ type: 'bye' });
    assert.equal((await agent.closed).code, 1000);
  });
});

describe('a reconnect burst larger than the instance takes', () => {
  test('agents past the handshake limit are answered 503 at once and admitted once others are through', async () => {
    const busy = await startPoll({ maxHandshakes: 2, helloTimeoutMs: 5000 });
    const port = busy.get(PollSocketServer).port;
    try {
      const [first, second] = [
        await TestAgent.connect(POLL_PATH, port),
        await TestAgent.connect(POLL_PATH, port),
      ];
      await assert.rejects(TestAgent.connect(POLL_PATH, port), /Unexpected server response: 503/);
      const refused = await upgradeAnswer(port, POLL_PATH, upgrade());
      assert.equal(refused.status, 503);
      // Two places: eight slots a second until a rate is measured, each refused agent its own.
      const later = [refused];
      for (let i = 0; i < 16; i += 1) later.push(await upgradeAnswer(port, POLL_PATH, upgrade()));
      const waits = later.map((answer) => Number(answer.headers['retry-after']));
      assert.ok(
        waits[0] === 1 && waits.every((wait, at) => at === 0 || wait >= waits[at - 1]!) && waits.at(-1)! >= 2,
        `retry-after ${waits.join(', ')}`,
      );
      const sessions = busy.get(AgentSessionService);
      assert.equal(sessions.handshaking, 2);
      // One gets through its handshake, the other gives up: both places are free again.
      const host = enrolledHost();
      await first.hello(host.hostId, host.key);
      await first.frame('welcome');
      second.socket.terminate();
      await eventually(() => sessions.handshaking === 0, 'both handshakes to end');
      const third = await TestAgent.connect(POLL_PATH, port);
      const fourth = await onlineAgentOn(port, enrolledHost());
      for (const agent of [first, fourth]) agent.send({ type: 'bye' });
      third.socket.terminate();
      assert.equal((await fourth.closed).code, 1000);
    } finally {
      await busy.close();
    }
  });

  test('an agent that never says hello gives its place back at the hello deadline', async () => {
    const busy = await startPoll({ maxHandshakes: 1, helloTimeoutMs: 200 });
    const port = busy.get(PollSocketServer).port;
    try {
      const silent = await TestAgent.connect(POLL_PATH, port);
      assert.equal((await upgradeAnswer(port, POLL_PATH, upgrade())).status, 503);
      assert.equal((await silent.closed).code, PollCloseCode.Timeout);
      const sessions = busy.get(AgentSessionService);
      await eventually(() => sessions.handshaking === 0, 'the place to be free');
      const agent = await onlineAgentOn(port, enrolledHost());
      agent.send({ type: 'bye' });
      assert.equal((await agent.closed).code, 1000);
    } finally {
      await busy.close();
    }
  });
});

describe('metrics', () => {
  const value = metricValue;

  test('connected agents, heartbeats and presence changes are counted', async () => {
    const metrics = app.get(HostlinkMetrics);
    const before = {
      connected: await value(metrics.agentsConnected),
      heartbeats: await value(metrics.heartbeats),
      online: await value(metrics.presenceChanges, { state: 'online' }),
      offline: await value(metrics.presenceChanges, { state: 'offline' }),
    };
    const agent = await onlineAgent(enrolledHost());
    assert.equal(await value(metrics.agentsConnected), before.connected + 1);
    assert.equal(await value(metrics.presenceChanges, { state: 'online' }), before.online + 1);
    agent.send({ type: 'heartbeat' });
    agent.send({ type: 'heartbeat' });
    await eventually(
      async () => (await value(metrics.heartbeats)) >= before.heartbeats + 2,
      'heartbeats counted',
    );
    agent.send({ type: 'bye' });
    await agent.closed;
    assert.equal(await value(metrics.agentsConnected), before.connected);
    assert.equal(await value(metrics.presenceChanges, { state: 'offline' }), before.offline + 1);
  });
});
