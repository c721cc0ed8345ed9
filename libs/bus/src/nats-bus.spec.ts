import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
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
  until,
} from './bus-contract.testing.js';
import { BusClient } from './bus.client.js';
import { BusModule } from './bus.module.js';
import { deleteEventStream } from './durable/event-stream.testing.js';
import { type NatsBusServer, wireSubject } from './nats.transport.js';

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

describe('NATS handlers added after start', () => {
  test('are subscribed at once (a module adds them in onModuleInit, after the bus started)', async () => {
    await requireNats(natsUrl());
    const options = testNatsOptions();
    const instance = await startInstance(options, 'late');
    try {
      const [server] = instance.app.getMicroservices() as unknown as { serverInstance?: unknown }[];
      const strategy = (server as { serverInstance: NatsBusServer }).serverInstance;
      strategy.addHandler('test.late.v1', () => Promise.resolve({ late: true }));
      const reply = await instance.bus.request('test.late.v1', {}, z.object({ late: z.boolean() }));
      assert.deepEqual(reply, { late: true });
    } finally {
      await instance.app.close();
    }
  });
});

describe('durable events over JetStream', () => {
  const options = { ...testNatsOptions(), durableSubjects: ['test.durable.v1'] };
  let publisher: INestApplicationContext;
  let consumer: BusInstance | undefined;

  before(async () => {
    await requireNats(natsUrl());
    publisher = await NestFactory.createApplicationContext(BusModule.forRoot(options), { logger: false });
  });
  after(async () => {
    await consumer?.app.close();
    await deleteEventStream(options);
    await publisher?.close();
  });

  test('an event published while no instance runs is delivered once one starts', async () => {
    const eventId = randomUUID();
    await publisher.get(BusClient).emit('test.durable.v1', { eventId });
    consumer = await startInstance(options, 'durable');
    const deliveries = consumer.recorder.durableDeliveries;
    await until(() => deliveries.some((delivery) => delivery.eventId === eventId), 'the kept event');
  });

  test('a failed handling is delivered again; a re-published event id is delivered once', async () => {
    const deliveries = consumer!.recorder.durableDeliveries;
    const failing = randomUUID();
    const twice = randomUUID();
    await publisher.get(BusClient).emit('test.durable.v1', { eventId: failing, failOnce: true });
    await publisher.get(BusClient).emit('test.durable.v1', { eventId: twice });
    await publisher.get(BusClient).emit('test.durable.v1', { eventId: twice });
    const count = (eventId: string) => deliveries.filter((delivery) => delivery.eventId === eventId).length;
    await until(() => count(failing) === 2, 'the redelivery', 10_000);
    // The stream acknowledged both publishes; the second was dropped as a duplicate before any delivery.
    assert.equal(count(twice), 1);
  });
});

describe('a durable subject watched by every instance (gateways pushing presence to browsers)', () => {
  // The broadcast subject made durable: published through JetStream, watched with EveryInstance.
  const options = { ...testNatsOptions(), durableSubjects: ['test.broadcast.v1'] };
  const instances: BusInstance[] = [];

  before(() => requireNats(natsUrl()));
  after(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await deleteEventStream(options);
  });

  test('each instance gets each event once, as a plain subscription beside the stream', async () => {
    instances.push(await startInstance(options, 'w1'), await startInstance(options, 'w2'));
    const eventId = randomUUID();
    await instances[0]!.bus.emit('test.broadcast.v1', { eventId });
    const got = (instance: BusInstance) =>
      instance.recorder.broadcasts.filter((event) => (event as { eventId: string }).eventId === eventId)
        .length;
    await until(() => instances.every((instance) => got(instance) === 1), 'the event at both instances');
    // A negative check (no second copy, e.g. from the stream too) can only wait a little.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(instances.map(got), [1, 1]);
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
