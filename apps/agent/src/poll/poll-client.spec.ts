import assert from 'node:assert/strict';
import {
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { type Candidate, PollAgentFrame, PollCloseCode, pollProofInput } from '@hostlink/protocol';
import { generateStaticKey, type StoredKey } from '../config/static-key.js';
import { Logger } from '../log/logger.js';
import { Backoff } from './backoff.js';
import { PollClient } from './poll-client.js';

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A stand-in poll server that checks the proof the way apps/poll does. */
/** `busy`: the retry-after of each refusal before admitting, like poll past its handshake limit. */
function fakePoll(hostPublicKey: string, options: { autoPong?: boolean; busy?: string[] } = {}) {
  const { busy = [], ...serverOptions } = options;
  let refused = 0;
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    ...serverOptions,
    // 503 with retry-after, before any WebSocket work.
    verifyClient: (_info, answer) => {
      if (refused >= busy.length) return answer(true);
      answer(false, 503, 'Service Unavailable', { 'retry-after': busy[refused++]! });
    },
  });
  const frames: PollAgentFrame[] = [];
  let connections = 0;
  let proofOk = false;
  server.on('connection', (socket: WebSocket) => {
    connections++;
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const nonce = randomBytes(32).toString('base64url');
    socket.on('message', (data: Buffer) => {
      const frame = PollAgentFrame.parse(JSON.parse(data.toString('utf8')));
      frames.push(frame);
      if (frame.type !== 'hello') return;
      const shared = diffieHellman({
        privateKey,
        publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: hostPublicKey }, format: 'jwk' }),
      });
      proofOk =
        createHmac('sha256', shared)
          .update(pollProofInput(nonce, frame.hostId), 'utf8')
          .digest('base64url') === frame.proof;
      socket.send(JSON.stringify({ type: 'welcome', heartbeatSeconds: 0.02 }));
    });
    socket.send(
      JSON.stringify({
        type: 'challenge',
        nonce,
        ephemeralPublicKey: publicKey.export({ format: 'jwk' }).x,
        pollId: 'p1',
      }),
    );
  });
  return {
    server,
    frames,
    url: () => `ws://127.0.0.1:${(server.address() as AddressInfo).port}/agent`,
    connections: () => connections,
    refused: () => refused,
    proofOk: () => proofOk,
    dropAll: () => server.clients.forEach((client) => client.terminate()),
    closeAll: (code: number, reason: string) =>
      server.clients.forEach((client) => client.close(code, reason)),
  };
}

/** A client of `poll` under test, with what it reported: times online, fatal reasons, log lines. */
function clientOf(poll: ReturnType<typeof fakePoll>, key: StoredKey, candidates: Candidate[] = []) {
  const seen = { online: 0, fatal: [] as string[], logged: [] as string[] };
  const client = new PollClient({
    url: poll.url(),
    hostId: randomUUID(),
    staticKey: key,
    agentVersion: 'test',
    candidates: () => candidates,
    onOnline: () => seen.online++,
    onOpenRelay: () => undefined,
    onFatal: (reason) => seen.fatal.push(reason),
    log: new Logger({}, (line) => seen.logged.push(line)),
  });
  return { client, seen };
}

/** A poll stand-in for a new host key, listening, and a client of it (not started). */
async function listeningPollAndClient(options: { busy?: string[] } = {}) {
  const key = generateStaticKey();
  const poll = fakePoll(key.publicKey, options);
  await new Promise((resolve) => poll.server.once('listening', resolve));
  return { poll, ...clientOf(poll, key) };
}

describe('PollClient against a WebSocket poll stand-in', () => {
  it('proves its key, heartbeats, reconnects after a drop and says bye on stop', async () => {
    const key = generateStaticKey();
    const poll = fakePoll(key.publicKey);
    await new Promise((resolve) => poll.server.once('listening', resolve));
    const { client, seen } = clientOf(poll, key, [{ address: '127.0.0.1', port: 53000 }]);
    client.start();
    await until(
      () => seen.online === 1 && poll.frames.some((frame) => frame.type === 'heartbeat'),
      'welcome and a heartbeat',
    );
    assert.equal(poll.proofOk(), true);
    poll.dropAll();
    await until(() => seen.online === 2, 'reconnect');
    assert.equal(poll.connections(), 2);
    await client.stop();
    await until(() => poll.frames.at(-1)?.type === 'bye', 'bye');
    await new Promise((resolve) => poll.server.close(resolve));
  });
});

describe('PollClient when poll goes silent without closing', () => {
  it('gives up on the connection after a few unanswered heartbeats and reconnects', async () => {
    const key = generateStaticKey();
    // A poll that never answers pings: as if its machine vanished with the TCP connection still open.
    const poll = fakePoll(key.publicKey, { autoPong: false });
    await new Promise((resolve) => poll.server.once('listening', resolve));
    const { client, seen } = clientOf(poll, key);
    client.start();
    await until(() => seen.online === 2, 'a reconnection after the silence');
    assert.equal(poll.connections(), 2);
    await client.stop();
    await new Promise((resolve) => poll.server.close(resolve));
  });
});

describe('PollClient when its host is removed', () => {
  it('stops for good on 4401, saying the host must be enrolled again', async () => {
    const { poll, client, seen } = await listeningPollAndClient();
    client.start();
    await until(() => seen.online === 1, 'welcome');
    poll.closeAll(PollCloseCode.Unauthenticated, 'host removed');
    await until(() => seen.fatal.length === 1, 'the fatal stop');
    assert.match(seen.fatal[0] ?? '', /removed or is unknown.*enroll it again/);
    // The fatal path replaces the retry in the same call: no reconnect was scheduled.
    assert.equal(seen.logged.filter((line) => line.includes('reconnecting')).length, 0);
    await client.stop();
    await new Promise((resolve) => poll.server.close(resolve));
  });
});

describe('PollClient stopped and started again at once', () => {
  it('keeps one connection: the given-up socket closing late does not reconnect', async () => {
    const { poll, client, seen } = await listeningPollAndClient();
    try {
      client.start();
      await client.stop(); // still connecting: given up at once, its close comes later
      client.start();
      await until(() => seen.online === 1, 'online');
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the back-off's first interval
      assert.equal(seen.online, 1);
      assert.equal(seen.logged.filter((line) => line.includes('reconnecting')).length, 0);
    } finally {
      await client.stop();
      poll.dropAll(); // a connection the client lost track of would keep the server open
      await new Promise((resolve) => poll.server.close(resolve));
    }
  });
});

describe('PollClient when poll is busy', () => {
  const retries = (logged: string[]) =>
    logged
      .map((line) => JSON.parse(line) as { message: string; delayMs?: number; error?: string })
      .filter((record) => record.delayMs !== undefined);

  /** A client started against a poll that refuses it once per retry-after given, then admits it. */
  async function admittedAfter(busy: string[]) {
    const { poll, client, seen } = await listeningPollAndClient({ busy });
    client.start();
    await until(() => seen.online === 1, 'admission after the refusals', 8_000);
    return { poll, client, seen };
  }

  it('comes back when a 503 says, within a second after it, and is then admitted', async () => {
    const { poll, client, seen } = await admittedAfter(['1', '2']);
    assert.deepEqual([poll.refused(), poll.connections(), seen.fatal.length], [2, 1, 0]);
    const [first, second, ...more] = retries(seen.logged);
    assert.equal(more.length, 0);
    assert.equal(first!.message, 'poll is busy; coming back when it said');
    assert.ok(first!.delayMs! >= 1_000 && first!.delayMs! < 2_000, `first comeback ${first!.delayMs}`);
    assert.ok(second!.delayMs! >= 2_000 && second!.delayMs! < 3_000, `second comeback ${second!.delayMs}`);
    assert.ok(seen.logged.some((line) => line.includes('poll answered HTTP 503 instead of a WebSocket')));
    await client.stop();
    await new Promise((resolve) => poll.server.close(resolve));
  });

  it('takes a retry-after it cannot honour as a lost connection and backs off, growing', async () => {
    const { poll, client, seen } = await admittedAfter(['soon', '99999']);
    const [first, second] = retries(seen.logged);
    assert.deepEqual(
      [first!.message, second!.message],
      ['poll connection lost; reconnecting', 'poll connection lost; reconnecting'],
    );
    // The back-off's first two intervals (1 s then 2 s, each jittered down to a tenth at least).
    assert.ok(first!.delayMs! >= 100 && first!.delayMs! <= 1_000);
    assert.ok(second!.delayMs! >= 200 && second!.delayMs! <= 2_000);
    await client.stop();
    await new Promise((resolve) => poll.server.close(resolve));
  });
});

describe('Backoff', () => {
  it('grows exponentially with jitter, is capped and resets', () => {
    const backoff = new Backoff(100, 1_000, () => 1);
    assert.deepEqual(
      [backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()],
      [100, 200, 400, 800, 1000],
    );
    backoff.reset();
    assert.equal(new Backoff(100, 1_000, () => 0).next(), 10);
    assert.equal(backoff.next(), 100);
  });
});
