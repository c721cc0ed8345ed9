import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { expectEventually } from '@hostlink/testing';
import { kernelSpliceUnavailable } from './kernel-splice.js';
import { type Direction, splice } from './splice.js';
import { TcpLeg } from './tcp-leg.js';

/** The two outside ends (what the client and the agent hold) and the relay's view of one spliced pair. */
interface SplicedPair {
  client: Socket;
  agent: Socket;
  legs: { client: TcpLeg; agent: TcpLeg };
  crossed: Record<Direction, number>;
  ended: Promise<void>;
}

let server: Server;
const accepted: ((socket: Socket) => void)[] = [];

before(async () => {
  server = createServer({ pauseOnConnect: true }, (socket) => accepted.shift()?.(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** One outside connection and the relay side of it, left paused as the hello reader leaves it. */
async function connection(allowHalfOpen = false): Promise<{ outside: Socket; inside: Socket }> {
  const inside = new Promise<Socket>((resolve) => accepted.push(resolve));
  const outside = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen });
  outside.on('error', () => undefined);
  await once(outside, 'connect');
  return { outside, inside: await inside };
}

/** Pairs two fresh connections; `beforeSplice` runs while both relay-side sockets are still paused. */
async function splicedPair(
  beforeSplice?: (pair: { client: Socket; agent: Socket }) => Promise<void>,
  allowHalfOpen = false,
) {
  const [c, a] = [await connection(allowHalfOpen), await connection(allowHalfOpen)];
  await beforeSplice?.({ client: c.outside, agent: a.outside });
  const legs = { client: new TcpLeg(c.inside), agent: new TcpLeg(a.inside) };
  const crossed: Record<Direction, number> = { to_agent: 0, to_client: 0 };
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  splice(legs.client, legs.agent, { bytes: (direction, count) => (crossed[direction] += count), end });
  return { client: c.outside, agent: a.outside, legs, crossed, ended } satisfies SplicedPair;
}

/** Everything `socket` receives until it ends. */
function receiveAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('close', () => reject(new Error(`closed without an end after ${chunks.length} chunks`)));
  });
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
const openFds = () => readdirSync('/proc/self/fd').length;

describe('TCP to TCP splice', () => {
  test('runs in the kernel on Linux (the addon is built by npm ci)', () => {
    assert.equal(process.platform, 'linux', 'these specs expect Linux');
    assert.equal(kernelSpliceUnavailable(), undefined);
  });

  test('carries random MiBs both ways at once unchanged, counting each direction', async () => {
    const pair = await splicedPair();
    const [up, down] = [randomBytes(24 * 1024 * 1024), randomBytes(9 * 1024 * 1024 + 13)];
    const [atAgent, atClient] = [receiveAll(pair.agent), receiveAll(pair.client)];
    pair.client.end(up);
    pair.agent.end(down);
    assert.equal(sha(await atAgent), sha(up));
    assert.equal(sha(await atClient), sha(down));
    await pair.ended;
    assert.deepEqual(pair.crossed, { to_agent: up.length, to_client: down.length });
  });

  test('half-close: one side ending still lets the other answer, then both close', async () => {
    // Peers that allow half-open connections, as the relay's may: ending one direction keeps the other.
    const pair = await splicedPair(undefined, true);
    const atAgent = receiveAll(pair.agent);
    pair.client.end(Buffer.from('question'));
    assert.equal((await atAgent).toString(), 'question');
    assert.equal(pair.legs.client.closed, false, 'the answering direction is still open');
    const atClient = receiveAll(pair.client);
    pair.agent.end(Buffer.from('answer after the client ended'));
    assert.equal((await atClient).toString(), 'answer after the client ended');
    await pair.ended;
    await Promise.all([closed(pair.client), closed(pair.agent)]);
  });

  test('a reset mid-stream tears both sides down', async () => {
    const pair = await splicedPair();
    pair.agent.on('data', () => undefined);
    pair.client.write(randomBytes(4 * 1024 * 1024));
    await expectEventually(() => assert.ok(pair.crossed.to_agent > 0 || pair.agent.bytesRead > 0));
    pair.client.resetAndDestroy();
    const reset = new Promise((resolve) => pair.agent.once('error', resolve));
    await closed(pair.agent);
    assert.match(String(await reset), /ECONNRESET/, 'the reset is passed on as a reset');
    await pair.ended;
  });

  test('a peer that never reads holds back the sender instead of growing the relay', async () => {
    const pair = await splicedPair();
    pair.agent.pause();
    const sent = 64 * 1024 * 1024;
    pair.client.write(randomBytes(sent));
    // Only pipes and socket buffers fill; then nothing moves until the agent reads.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stalledAt = pair.legs.client.socket.bytesRead + pair.crossed.to_agent;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(pair.crossed.to_agent < 32 * 1024 * 1024, `relay moved ${pair.crossed.to_agent} bytes`);
    assert.equal(pair.legs.client.socket.bytesRead + pair.crossed.to_agent, stalledAt);
    assert.ok(pair.client.writableLength > 0, 'the sender is the one holding the rest');
    pair.legs.agent.destroy();
    await pair.ended;
  });

  test('destroying a leg from JS (session teardown) stops the splice and closes both sides', async () => {
    const pair = await splicedPair();
    pair.client.write('in flight');
    // Once bytes have crossed, the kernel splice holds both sockets.
    assert.equal(((await once(pair.agent, 'data')) as [Buffer])[0].toString(), 'in flight');
    pair.legs.client.destroy();
    await Promise.all([closed(pair.client), closed(pair.agent), pair.ended]);
    assert.ok(pair.legs.agent.closed && pair.legs.client.closed);
  });

  test('bytes the relay read before the splice arrive first, in order', async () => {
    const early = Buffer.from('sent before the splice');
    const pair = await splicedPair(async ({ client }) => {
      client.write(early);
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    // The relay side was paused (pauseOnConnect), so they wait in the kernel for the splice.
    const later = randomBytes(100_000);
    const atAgent = receiveAll(pair.agent);
    pair.client.end(later);
    assert.equal(sha(await atAgent), sha(Buffer.concat([early, later])));
    pair.agent.end();
    await pair.ended;
    assert.equal(pair.crossed.to_agent, early.length + later.length);
  });

  test('bytes already buffered by Node before the hand-over are forwarded first', async () => {
    const [c, a] = [await connection(), await connection()];
    const early = randomBytes(5000);
    c.outside.write(early);
    // As the hello reader leaves it: read into Node's buffer, then paused with the bytes unconsumed.
    c.inside.resume();
    const [first] = (await once(c.inside, 'data')) as [Buffer];
    c.inside.pause();
    c.inside.unshift(first);
    const legs = { client: new TcpLeg(c.inside), agent: new TcpLeg(a.inside) };
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    splice(legs.client, legs.agent, { bytes: () => undefined, end });
    const atAgent = receiveAll(a.outside);
    c.outside.end(Buffer.from('after'));
    assert.equal(sha(await atAgent), sha(Buffer.concat([early, Buffer.from('after')])));
    a.outside.end();
    await ended;
  });

  test('many pairs leave no file descriptor behind', async () => {
    const before = openFds();
    for (let round = 0; round < 10; round += 1) {
      const pairs = await Promise.all(Array.from({ length: 20 }, () => splicedPair()));
      await Promise.all(
        pairs.map(async (pair, index) => {
          const atAgent = receiveAll(pair.agent);
          pair.client.end(Buffer.from(`pair ${index}`));
          assert.equal((await atAgent).toString(), `pair ${index}`);
          if (index % 2 === 0) pair.agent.end();
          else pair.legs.agent.destroy();
          await Promise.all([pair.ended, closed(pair.client), closed(pair.agent)]);
        }),
      );
    }
    await expectEventually(() => assert.equal(openFds(), before));
  });
});
