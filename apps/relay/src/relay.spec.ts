import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { BusModule } from '@hostlink/bus';
import { HostlinkMetrics } from '@hostlink/observability';
import { expectEventually, metricValue } from '@hostlink/testing';
import {
  Audience,
  ErrorCode,
  RELAY_MAX_HELLO_BYTES,
  RELAY_WS_PATH,
  type RelayReply,
  RelayLoad,
  Subject,
  TokenKind,
  encodeRelayTcpMessage,
} from '@hostlink/protocol';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { RelayListener } from './listener/relay-listener.js';
import { RelayModule } from './relay.module.js';

const RELAY_ID = 'relay-test';
const ISSUER = 'https://broker.test';
const PAIR_TIMEOUT_MS = 400;

const brokerKey = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const strangerKey = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const publicJwk: JWK = { ...(await exportJWK(brokerKey.publicKey)), kid: 'k1', alg: 'EdDSA' };

@Controller()
class FakeBroker {
  static readonly loads: RelayLoad[] = [];

  @MessagePattern(Subject.brokerJwks)
  jwks() {
    return { keys: [publicJwk] };
  }

  @EventPattern(Subject.relayLoad)
  load(payload: unknown) {
    FakeBroker.loads.push(RelayLoad.parse(payload));
  }
}

interface TicketOptions {
  cid: string;
  role: 'client' | 'agent';
  audience?: string;
  typ?: string;
  expiresIn?: number;
  key?: CryptoKey;
  kid?: string;
}

function ticket(options: TicketOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ cid: options.cid, role: options.role })
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? 'k1', typ: options.typ ?? TokenKind.RelayTicket })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? Audience.ticketFor(RELAY_ID))
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 60))
    .sign(options.key ?? brokerKey.privateKey);
}

/** A leg over raw TCP that speaks the relay's framing, then collects raw bytes. */
class TcpTestLeg {
  private buffered = Buffer.alloc(0);
  private replied?: RelayReply;
  readonly ended: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      if (!this.replied && this.buffered.length >= 4) {
        const length = this.buffered.readUInt32BE(0);
        if (this.buffered.length < 4 + length) return;
        this.replied = JSON.parse(this.buffered.subarray(4, 4 + length).toString()) as RelayReply;
        this.buffered = this.buffered.subarray(4 + length);
      }
    });
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(first?: Uint8Array): Promise<TcpTestLeg> {
    const socket = connect(relayPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const leg = new TcpTestLeg(socket);
    if (first) socket.write(first);
    return leg;
  }

  static async hello(value: string): Promise<TcpTestLeg> {
    return TcpTestLeg.open(encodeRelayTcpMessage({ type: 'hello', ticket: value }));
  }

  async reply(): Promise<RelayReply> {
    await eventually(() => this.replied !== undefined, 'a relay reply');
    return this.replied!;
  }

  async bytes(count: number): Promise<Buffer> {
    await eventually(() => this.buffered.length >= count, `${count} bytes`, 10_000);
    return this.buffered.subarray(0, count);
  }
}

class WsTestLeg {
  readonly replies: RelayReply[] = [];
  private received: Buffer[] = [];
  private receivedBytes = 0;
  readonly ended: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary && this.replies.length === 0)
        this.replies.push(JSON.parse(data.toString()) as RelayReply);
      else {
        this.received.push(data);
        this.receivedBytes += data.length;
      }
    });
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  static async open(hello: string): Promise<WsTestLeg> {
    const socket = new WebSocket(`ws://127.0.0.1:${relayPort}${RELAY_WS_PATH}`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(hello);
    return new WsTestLeg(socket);
  }

  async reply(): Promise<RelayReply> {
    await eventually(() => this.replies.length > 0, 'a relay reply');
    return this.replies[0]!;
  }

  async bytes(count: number): Promise<Buffer> {
    await eventually(() => this.receivedBytes >= count, `${count} bytes`, 10_000);
    return Buffer.concat(this.received).subarray(0, count);
  }
}

async function eventually(check: () => boolean, what: string, deadlineMs = 3000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const helloJson = (value: string) => JSON.stringify({ type: 'hello', ticket: value });

async function errorCodeOf(leg: { reply(): Promise<RelayReply>; ended: Promise<unknown> }): Promise<string> {
  const reply = await leg.reply();
  await leg.ended;
  return reply.type === 'error' ? reply.code : `no error but ${reply.type}`;
}

async function expectError(
  leg: { reply(): Promise<RelayReply>; ended: Promise<unknown> },
  code: string,
): Promise<void> {
  const reply = await leg.reply();
  assert.equal(reply.type, 'error');
  assert.equal(reply.type === 'error' && reply.code, code);
  await leg.ended;
}

const PAGE_ORIGIN = 'https://hostlink.example.test';

let app: INestMicroservice;
let relayPort: number;

before(async () => {
  const transport = BusModule.transportFor({ kind: 'in-process' });
  @Module({
    imports: [
      BusModule.forRoot({ kind: 'in-process' }),
      RelayModule.forRoot({
        relayId: RELAY_ID,
        host: '127.0.0.1',
        port: 0,
        publicUrl: 'tcp://relay.test:8200',
        pairTimeoutMs: PAIR_TIMEOUT_MS,
        issuer: ISSUER,
        browserOrigins: [PAGE_ORIGIN],
        loadIntervalMs: 50,
      }),
    ],
    controllers: [FakeBroker],
  })
  class TestModule {}
  app = await NestFactory.createMicroservice(TestModule, { ...transport, logger: false });
  await app.listen();
  relayPort = app.get(RelayListener).port;
});

after(() => app.close());

describe('pairing and splicing', () => {
  test('TCP to TCP carries large writes both ways unchanged', async () => {
    const cid = randomUUID();
    const client = await TcpTestLeg.hello(await ticket({ cid, role: 'client' }));
    const agent = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    assert.deepEqual(await client.reply(), { type: 'paired' });
    assert.deepEqual(await agent.reply(), { type: 'paired' });
    const up = randomBytes(8 * 1024 * 1024);
    const down = randomBytes(3 * 1024 * 1024 + 7);
    client.socket.write(up);
    agent.socket.write(down);
    assert.equal(sha(await agent.bytes(up.length)), sha(up));
    assert.equal(sha(await client.bytes(down.length)), sha(down));
    client.socket.end();
    await agent.ended;
  });

  test('WebSocket to TCP carries bytes both ways, and load reports the session', async () => {
    const cid = randomUUID();
    const client = await WsTestLeg.open(helloJson(await ticket({ cid, role: 'client' })));
    const agent = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    assert.deepEqual(await client.reply(), { type: 'paired' });
    assert.deepEqual(await agent.reply(), { type: 'paired' });
    const up = [randomBytes(100_000), randomBytes(1), randomBytes(2 * 1024 * 1024)];
    for (const chunk of up) client.socket.send(chunk);
    const down = randomBytes(5 * 1024 * 1024);
    agent.socket.write(down);
    const sent = Buffer.concat(up);
    assert.equal(sha(await agent.bytes(sent.length)), sha(sent));
    assert.equal(sha(await client.bytes(down.length)), sha(down));
    await eventually(
      () => FakeBroker.loads.some((load) => load.activeSessions >= 1),
      'a load report with the session',
    );
    agent.socket.destroy();
    await client.ended;
  });

  test('bytes sent right behind the hello wait for the partner and arrive', async () => {
    const cid = randomUUID();
    const early = Buffer.from('sent before pairing');
    const client = await TcpTestLeg.open(
      Buffer.concat([
        encodeRelayTcpMessage({ type: 'hello', ticket: await ticket({ cid, role: 'client' }) }),
        early,
      ]),
    );
    const agent = await WsTestLeg.open(helloJson(await ticket({ cid, role: 'agent' })));
    assert.deepEqual(await client.reply(), { type: 'paired' });
    assert.deepEqual((await agent.bytes(early.length)).toString(), early.toString());
    agent.socket.close();
    await client.ended;
  });

  test('TCP to TCP: bytes sent right behind both hellos arrive first, then the spliced stream', async () => {
    const cid = randomUUID();
    const withEarly = async (role: 'client' | 'agent', early: Buffer) =>
      TcpTestLeg.open(
        Buffer.concat([encodeRelayTcpMessage({ type: 'hello', ticket: await ticket({ cid, role }) }), early]),
      );
    const [earlyUp, earlyDown] = [randomBytes(3000), randomBytes(20_000)];
    const client = await withEarly('client', earlyUp);
    const agent = await withEarly('agent', earlyDown);
    assert.deepEqual(await client.reply(), { type: 'paired' });
    assert.deepEqual(await agent.reply(), { type: 'paired' });
    const later = randomBytes(2 * 1024 * 1024);
    client.socket.write(later);
    assert.equal(sha(await agent.bytes(earlyUp.length + later.length)), sha(Buffer.concat([earlyUp, later])));
    assert.equal(sha(await client.bytes(earlyDown.length)), sha(earlyDown));
    client.socket.end();
    await agent.ended;
  });

  test('the relay reports itself with its public URL', async () => {
    await eventually(() => FakeBroker.loads.length > 0, 'a load report');
    assert.equal(FakeBroker.loads[0]?.relayId, RELAY_ID);
    assert.equal(FakeBroker.loads[0]?.url, 'tcp://relay.test:8200');
  });
});

describe('tickets', () => {
  test('a reused ticket is refused', async () => {
    const cid = randomUUID();
    const used = await ticket({ cid, role: 'client' });
    const first = await TcpTestLeg.hello(used);
    const agent = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    assert.deepEqual(await first.reply(), { type: 'paired' });
    await expectError(await TcpTestLeg.hello(used), ErrorCode.TokenReused);
    first.socket.destroy();
    await agent.ended;
  });

  test('a ticket for another relay is refused', async () =>
    expectError(
      await TcpTestLeg.hello(
        await ticket({ cid: randomUUID(), role: 'client', audience: Audience.ticketFor('other') }),
      ),
      ErrorCode.TokenInvalid,
    ));

  test('a token of another kind is refused', async () =>
    expectError(
      await TcpTestLeg.hello(
        await ticket({ cid: randomUUID(), role: 'client', typ: TokenKind.ConnectionGrant }),
      ),
      ErrorCode.TokenInvalid,
    ));

  test('a ticket signed by someone else is refused', async () =>
    expectError(
      await WsTestLeg.open(
        helloJson(await ticket({ cid: randomUUID(), role: 'client', key: strangerKey.privateKey })),
      ),
      ErrorCode.TokenInvalid,
    ));

  test('a ticket with an unknown key id is refused', async () =>
    expectError(
      await TcpTestLeg.hello(await ticket({ cid: randomUUID(), role: 'client', kid: 'forged' })),
      ErrorCode.TokenInvalid,
    ));

  test('an expired ticket is refused', async () =>
    expectError(
      await TcpTestLeg.hello(await ticket({ cid: randomUUID(), role: 'client', expiresIn: -120 })),
      ErrorCode.TokenExpired,
    ));

  test('an unsigned ticket is refused', async () => {
    const [header, payload] = (await ticket({ cid: randomUUID(), role: 'client' })).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: TokenKind.RelayTicket })).toString(
      'base64url',
    );
    await expectError(await TcpTestLeg.hello(`${none}.${payload}.`), ErrorCode.TokenInvalid);
    assert.ok(header);
  });
});

describe('unpaired and hostile legs', () => {
  test('a second leg with the same role is refused', async () => {
    const cid = randomUUID();
    const first = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    const second = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    // Tickets are verified concurrently, so either leg may be the one admitted first.
    const codes = await Promise.all([first, second].map(errorCodeOf));
    assert.deepEqual(codes.sort(), [ErrorCode.Conflict, ErrorCode.Unavailable].sort());
  });

  test('an unpaired leg is closed after the pairing timeout', async () => {
    const started = Date.now();
    await expectError(
      await WsTestLeg.open(helloJson(await ticket({ cid: randomUUID(), role: 'client' }))),
      ErrorCode.Unavailable,
    );
    assert.ok(Date.now() - started >= PAIR_TIMEOUT_MS - 50);
  });

  test('an oversized length prefix', async () =>
    expectError(await TcpTestLeg.open(randomBytes(64).fill(0x7f, 0, 1)), ErrorCode.BadRequest));

  test('a zero-length hello', async () =>
    expectError(await TcpTestLeg.open(Buffer.alloc(4)), ErrorCode.BadRequest));

  test('a hello that is not JSON', async () => {
    const body = Buffer.from('not json at all');
    const frame = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);
    await expectError(await TcpTestLeg.open(frame), ErrorCode.BadRequest);
  });

  test('JSON that is not a hello', async () =>
    expectError(await TcpTestLeg.open(encodeRelayTcpMessage({ type: 'paired' })), ErrorCode.BadRequest));

  test('a WebSocket hello over the size limit', async () =>
    expectError(await WsTestLeg.open(helloJson('x'.repeat(RELAY_MAX_HELLO_BYTES))), ErrorCode.BadRequest));

  test('a leg that never says hello is closed', async () => {
    const leg = await TcpTestLeg.open(Buffer.from([0, 0]));
    await leg.ended;
  });

  test('plain HTTP is answered 426 and a wrong WebSocket path is refused', async () => {
    const response = await fetch(`http://127.0.0.1:${relayPort}/relay`);
    assert.equal(response.status, 426);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${relayPort}/other`);
        socket.once('open', resolve);
        socket.once('error', reject);
      }),
    );
  });

  test('a WebSocket upgrade from a page of another origin is refused; the gateway page is let in', async () => {
    const open = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${relayPort}${RELAY_WS_PATH}`, { origin });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', reject);
      });
    assert.equal(await open('https://evil.example.test'), 403);
    assert.equal(await open(PAGE_ORIGIN), 101);
  });

  test('the relay still pairs after all of that', async () => {
    const cid = randomUUID();
    const client = await TcpTestLeg.hello(await ticket({ cid, role: 'client' }));
    const agent = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    assert.deepEqual(await client.reply(), { type: 'paired' });
    agent.socket.write('ok');
    assert.equal((await client.bytes(2)).toString(), 'ok');
    client.socket.destroy();
    await agent.ended;
  });
});

describe('metrics', () => {
  const value = metricValue;
  const counts = async (metrics: HostlinkMetrics) => [
    await value(metrics.relayPairings, { result: 'paired' }),
    await value(metrics.relayPairings, { result: 'rejected' }),
    await value(metrics.relayBytes, { direction: 'to_agent' }),
    await value(metrics.relayBytes, { direction: 'to_client' }),
  ];

  test('pairings by outcome, bytes by direction and open sessions are counted', async () => {
    const metrics = app.get(HostlinkMetrics);
    // Kernel-spliced sessions of earlier tests fold their byte counts in when they end: let them.
    await expectEventually(async () => assert.equal(await value(metrics.relaySessionsActive), 0));
    const before = await counts(metrics);
    await expectError(await TcpTestLeg.hello('not a ticket'), ErrorCode.TokenInvalid);
    const cid = randomUUID();
    const agent = await TcpTestLeg.hello(await ticket({ cid, role: 'agent' }));
    const client = await WsTestLeg.open(helloJson(await ticket({ cid, role: 'client' })));
    assert.deepEqual(await client.reply(), { type: 'paired' });
    assert.equal(await value(metrics.relaySessionsActive), 1);
    client.socket.send(randomBytes(1000));
    agent.socket.write(randomBytes(500));
    await agent.bytes(1000);
    await client.bytes(500);
    agent.socket.destroy();
    await client.ended;
    const after = await counts(metrics);
    assert.deepEqual(
      after.map((count, index) => count - (before[index] ?? 0)),
      [1, 1, 1000, 500],
      'paired, rejected, bytes to the agent, bytes to the client',
    );
    await expectEventually(async () => assert.equal(await value(metrics.relaySessionsActive), 0));
  });
});
