import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { expectEventually } from '@hostlink/testing';
import { RELAY_WS_MAX_MESSAGE_BYTES } from '../relay.options.js';
import {
  clientFrame,
  OP,
  PairingServer,
  RawClient,
  sha,
  WsClient,
  type WsPair,
} from './websocket-peers.spec-support.js';

let server: PairingServer;
before(async () => (server = await PairingServer.start()));
after(() => server.close());

/** Opens a client and an agent (each a `ws` client or a raw one) and pairs their legs. */
async function paired<C, A>(
  openClient: () => Promise<C>,
  openAgent: () => Promise<A>,
): Promise<{ client: C; agent: A; pair: WsPair }> {
  const clientLeg = server.leg();
  const client = await openClient();
  const agentLeg = server.leg();
  const agent = await openAgent();
  const pair = PairingServer.pair(await clientLeg, await agentLeg);
  return { client, agent, pair };
}

const wsClient = () => WsClient.open(server.port);
const rawClient = (behindHello?: Buffer) => () => RawClient.open(server.port, behindHello);
const openFds = () => readdirSync('/proc/self/fd').length;

describe('WebSocket legs, forwarded frame by frame in the pair thread', () => {
  test('carries random MiBs both ways at once unchanged, in messages of every size, counting each direction', async () => {
    const { client, agent, pair } = await paired(wsClient, wsClient);
    const sizes = [1, 0, 125, 126, 65_535, 65_536, 65_537, 1024 * 1024, 3 * 1024 * 1024 + 5];
    const up = sizes.map((size) => randomBytes(size));
    const down = sizes.reverse().map((size) => randomBytes(size));
    for (const message of up) client.socket.send(message);
    for (const message of down) agent.socket.send(message);
    const [upBytes, downBytes] = [Buffer.concat(up), Buffer.concat(down)];
    await expectEventually(() => assert.equal(agent.data().length, upBytes.length), { timeoutMs: 10_000 });
    await expectEventually(() => assert.equal(client.data().length, downBytes.length), { timeoutMs: 10_000 });
    assert.equal(sha(agent.data()), sha(upBytes));
    assert.equal(sha(client.data()), sha(downBytes));
    assert.ok(agent.messages.slice(1).every((message) => message.binary));
    client.socket.close();
    await pair.ended;
    assert.deepEqual(pair.crossed, { to_agent: upBytes.length, to_client: downBytes.length });
  });

  test('fragments pass through as they come (never reassembled), text as binary; a ping between them is answered', async () => {
    const { client, agent } = await paired(rawClient(), rawClient());
    const parts = [randomBytes(10), randomBytes(70_000), randomBytes(3)];
    client.send(
      clientFrame(OP.text, parts[0]!, { fin: false }),
      clientFrame(OP.ping, Buffer.from('are you there')),
      clientFrame(OP.continuation, parts[1]!, { fin: false }),
      clientFrame(OP.continuation, parts[2]!),
    );
    await expectEventually(() => assert.equal(agent.frames.length, 4));
    const forwarded = agent.frames.slice(1).map(({ fin, opcode, payload }) => ({ fin, opcode, payload }));
    assert.deepEqual(forwarded, [
      { fin: false, opcode: OP.binary, payload: parts[0] },
      { fin: false, opcode: OP.continuation, payload: parts[1] },
      { fin: true, opcode: OP.continuation, payload: parts[2] },
    ]);
    await expectEventually(() => assert.equal(client.frames.length, 2));
    assert.deepEqual(client.frames[1], { fin: true, opcode: OP.pong, payload: Buffer.from('are you there') });
  });

  test('a pong is dropped, not forwarded; an empty message is forwarded', async () => {
    const { client, agent } = await paired(rawClient(), wsClient);
    client.send(clientFrame(OP.pong, Buffer.from('unasked')), clientFrame(OP.binary, Buffer.alloc(0)));
    client.send(clientFrame(OP.binary, Buffer.from('last')));
    await expectEventually(() => assert.equal(agent.messages.length, 3));
    assert.deepEqual(
      agent.messages.slice(1).map((message) => message.data.toString()),
      ['', 'last'],
    );
  });

  test('a frame written a byte at a time arrives whole', async () => {
    const { client, agent } = await paired(rawClient(), wsClient);
    const payload = randomBytes(70_000);
    const frame = clientFrame(OP.binary, payload);
    for (let at = 0; at < 20; at += 1) {
      client.send(frame.subarray(at, at + 1));
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.send(frame.subarray(20));
    await expectEventually(() => assert.equal(agent.data().length, payload.length));
    assert.equal(sha(agent.data()), sha(payload));
  });

  test('a close is answered with its code, and the partner is closed with 1000', async () => {
    const { client, agent, pair } = await paired(wsClient, wsClient);
    client.socket.send(Buffer.from('last words'));
    client.socket.close(4001, 'done here');
    assert.deepEqual(await client.ended, { code: 4001 });
    assert.deepEqual(await agent.ended, { code: 1000 });
    assert.equal(agent.data().toString(), 'last words');
    await pair.ended;
    assert.ok(pair.legs.client.closed && pair.legs.agent.closed);
  });

  test('frames sent right behind the hello arrive first, whole or cut', async () => {
    const early = clientFrame(OP.binary, Buffer.from('right behind the hello'));
    for (const behind of [early, early.subarray(0, 10)]) {
      const { client, agent } = await paired(rawClient(behind), wsClient);
      client.send(behind.length === early.length ? Buffer.alloc(0) : early.subarray(10));
      client.send(clientFrame(OP.binary, Buffer.from(' and after')));
      await expectEventually(() => assert.equal(agent.data().toString(), 'right behind the hello and after'));
    }
  });

  test('a peer that never reads holds back the sender instead of growing the relay', async () => {
    const { client, agent, pair } = await paired(wsClient, wsClient);
    agent.socket.pause();
    const message = randomBytes(1024 * 1024);
    for (let i = 0; i < 64; i += 1) client.socket.send(message);
    // Socket buffers and one 48 KiB buffer fill; then nothing moves until the agent reads.
    let last = -1;
    await expectEventually(
      () => {
        const now = pair.crossed.to_agent;
        const stalled = now === last;
        last = now;
        assert.ok(stalled);
      },
      { timeoutMs: 10_000, intervalMs: 1500 },
    );
    assert.ok(pair.crossed.to_agent < 32 * 1024 * 1024, `relay moved ${pair.crossed.to_agent} bytes`);
    assert.ok(client.socket.bufferedAmount > 0, 'the sender is the one holding the rest');
    agent.socket.resume();
    await expectEventually(() => assert.equal(agent.data().length, 64 * message.length), {
      timeoutMs: 20_000,
    });
    client.socket.close();
    await pair.ended;
  });

  test('destroying a leg from JS (session teardown) stops the thread and closes both sides', async () => {
    const { client, agent, pair } = await paired(wsClient, wsClient);
    client.socket.send('in flight');
    await expectEventually(() => assert.equal(agent.data().toString(), 'in flight'));
    pair.legs.client.destroy();
    await Promise.all([client.ended, agent.ended, pair.ended]);
  });

  test('many pairs leave no file descriptor behind', async () => {
    const before = openFds();
    for (let round = 0; round < 5; round += 1) {
      const pairs = await Promise.all(Array.from({ length: 20 }, () => paired(wsClient, wsClient)));
      await Promise.all(
        pairs.map(async ({ client, agent, pair }, index) => {
          client.socket.send(`pair ${index}`);
          await expectEventually(() => assert.equal(agent.data().toString(), `pair ${index}`));
          if (index % 2 === 0) agent.socket.close();
          else pair.legs.agent.destroy();
          await Promise.all([pair.ended, client.ended, agent.ended]);
        }),
      );
    }
    await expectEventually(() => assert.equal(openFds(), before));
  });
});

const MAX = BigInt(RELAY_WS_MAX_MESSAGE_BYTES);
const hostile: [string, () => Buffer[], number][] = [
  ['an unmasked frame', () => [clientFrame(OP.binary, Buffer.from('x'), { masked: false })], 1002],
  [
    'RSV bits set (no extension was agreed)',
    () => [clientFrame(OP.binary, Buffer.from('x'), { rsv: 4 })],
    1002,
  ],
  ['a reserved data opcode', () => [clientFrame(3, Buffer.from('x'))], 1002],
  ['a reserved control opcode', () => [clientFrame(0xb, Buffer.alloc(0))], 1002],
  ['a continuation with no message begun', () => [clientFrame(OP.continuation, Buffer.from('x'))], 1002],
  [
    'a new message inside a fragmented one',
    () => [
      clientFrame(OP.binary, Buffer.from('a'), { fin: false }),
      clientFrame(OP.binary, Buffer.from('b')),
    ],
    1002,
  ],
  ['a fragmented control frame', () => [clientFrame(OP.ping, Buffer.from('x'), { fin: false })], 1002],
  ['a control frame over 125 bytes', () => [clientFrame(OP.ping, Buffer.alloc(126))], 1002],
  [
    'a 64-bit length with its top bit set',
    () => [clientFrame(OP.binary, Buffer.alloc(0), { declaredLength: 2n ** 63n })],
    1002,
  ],
  [
    'a message declared larger than the limit (refused before its payload)',
    () => [clientFrame(OP.binary, Buffer.alloc(0), { declaredLength: MAX + 1n })],
    1009,
  ],
  [
    'a 2^64-1 length',
    () => [clientFrame(OP.binary, Buffer.alloc(0), { declaredLength: 2n ** 64n - 1n })],
    1002,
  ],
  [
    'fragments adding up past the limit',
    () => [
      clientFrame(OP.binary, Buffer.alloc(Number(MAX) - 10), { fin: false }),
      clientFrame(OP.continuation, Buffer.alloc(0), { declaredLength: 11n }),
    ],
    1009,
  ],
  ['a close with a one-byte body', () => [clientFrame(OP.close, Buffer.from([3]))], 1002],
  [
    'a close with a code no one may send (1005)',
    () => [clientFrame(OP.close, Buffer.from([0x03, 0xed]))],
    1002,
  ],
];

describe('hostile frames on a WebSocket leg', () => {
  for (const [name, frames, code] of hostile)
    test(`${name}: that leg is closed with ${code}, what came before is delivered, the partner gets 1000`, async () => {
      const { client, agent, pair } = await paired(rawClient(), wsClient);
      client.send(clientFrame(OP.binary, Buffer.from('before')), ...frames());
      await client.ended;
      assert.equal(client.closeCode(), code);
      assert.deepEqual(await agent.ended, { code: 1000 });
      assert.equal(agent.data().toString(), 'before');
      await pair.ended;
    });

  test('a peer that closes its TCP connection without a close frame: the partner gets 1000', async () => {
    const { client, agent, pair } = await paired(rawClient(), wsClient);
    client.send(clientFrame(OP.binary, Buffer.from('bye')));
    client.socket.end();
    assert.deepEqual(await agent.ended, { code: 1000 });
    assert.equal(agent.data().toString(), 'bye');
    await Promise.all([client.ended, pair.ended]);
  });

  test('a peer that stops inside a frame: the partner is cut off without a close (it was mid-message)', async () => {
    const { client, agent, pair } = await paired(rawClient(), wsClient);
    client.send(clientFrame(OP.binary, randomBytes(100_000)).subarray(0, 50_000));
    client.socket.end();
    const { code } = await agent.ended;
    assert.equal(code, 1006);
    await Promise.all([client.ended, pair.ended]);
  });
});
