import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NestFactory } from '@nestjs/core';
import { ErrorCode } from '@hostlink/protocol';
import { z } from 'zod';
import {
  type BusInstance,
  busContract,
  natsUrl,
  requireNats,
  startInstance,
  testNatsOptions,
} from './bus-contract.testing.js';
import { BusClient } from './bus.client.js';
import { BusModule } from './bus.module.js';
import { wireSubject } from './nats.transport.js';

const options = testNatsOptions();
busContract(
  'NATS',
  () => options,
  () => requireNats(natsUrl()),
);

describe('NATS queue groups', () => {
  let a: BusInstance;
  let b: BusInstance;
  const whoami = z.object({ instance: z.string() });

  before(async () => {
    await requireNats(natsUrl());
    const shared = testNatsOptions();
    a = await startInstance(shared, 'a');
    b = await startInstance(shared, 'b');
  });
  after(async () => {
    await a?.app.close();
    await b?.app.close();
  });

  test('instances of one service share its requests', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => a.bus.request('test.whoami.v1', {}, whoami)),
    );
    const by = (name: string) => answers.filter((answer) => answer.instance === name).length;
    // NATS picks a queue member at random: both starved of all 20 has odds of 2 in a million.
    assert.ok(by('a') > 0 && by('b') > 0, `a got ${by('a')}, b got ${by('b')} of 20`);
    assert.equal(by('a') + by('b'), 20);
  });

  test('an event goes to exactly one instance of the service', async () => {
    await a.bus.emit('test.event.v1', { n: 2 });
    // NATS keeps one publisher's order towards each subscriber: once both instances have answered a
    // request sent after the event, neither can still receive it.
    const answered = new Set<string>();
    const deadline = Date.now() + 3000;
    while (answered.size < 2 && Date.now() < deadline) {
      answered.add((await a.bus.request('test.whoami.v1', {}, whoami)).instance);
    }
    assert.equal(answered.size, 2, 'both instances should answer within the deadline');
    const received = [...a.recorder.events, ...b.recorder.events];
    assert.deepEqual(received, [{ n: 2 }]);
  });

  test('another subject prefix is another bus: nothing crosses between them', async () => {
    // A caller only, so that nobody serves test.whoami.v1 under its own prefix.
    const stranger = await NestFactory.createApplicationContext(BusModule.forRoot(testNatsOptions()), {
      logger: false,
    });
    try {
      await assert.rejects(stranger.get(BusClient).request('test.whoami.v1', {}, whoami), {
        code: ErrorCode.Unavailable,
      });
    } finally {
      await stranger.close();
    }
  });
});

describe('NATS options at the boundary', () => {
  test('a subject prefix with wildcards, spaces or empty tokens is refused', () => {
    for (const prefix of ['a.*', 'a.>', 'a b', 'a..b', '.a', 'a.', '']) {
      assert.throws(() => wireSubject(prefix, 'x.v1'), /invalid NATS subject prefix/, prefix);
      assert.throws(() => BusModule.transportFor({ ...testNatsOptions(prefix) }), /invalid/, prefix);
    }
    assert.equal(wireSubject('run-1.x', 'auth.login.v1'), 'run-1.x.auth.login.v1');
    assert.equal(wireSubject(undefined, 'auth.login.v1'), 'auth.login.v1');
  });

  test('a request while NATS is unreachable is unavailable, not internal', async () => {
    const unreachable = { ...testNatsOptions(), servers: 'nats://127.0.0.1:1' };
    const caller = await NestFactory.createApplicationContext(BusModule.forRoot(unreachable), {
      logger: false,
    });
    try {
      await assert.rejects(caller.get(BusClient).request('test.whoami.v1', {}, z.unknown()), {
        code: ErrorCode.Unavailable,
        message: 'the message bus is not reachable',
      });
    } finally {
      await caller.close();
    }
  });

  test('a NATS that is not running fails fast and says how to start one', async () => {
    const started = Date.now();
    await assert.rejects(
      requireNats('nats://127.0.0.1:1'),
      /NATS not reachable at nats:\/\/127\.0\.0\.1:1: start it with `nats-server -js`/,
    );
    assert.ok(Date.now() - started < 3000);
  });
});
