import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { currentCorrelationId, HostlinkMetrics, withCorrelation } from '@hostlink/observability';
import { pollCommandSubject } from '@hostlink/protocol';
import { z } from 'zod';
import { natsUrl, requireNats, testNatsOptions, until } from './bus-contract.testing.js';
import { BusClient } from './bus.client.js';
import { type BusOptions, BusModule } from './bus.module.js';
import { connectBus } from './connect-bus.js';

const seenByEvents: (string | null)[] = [];

@Controller()
class CorrelationHandler {
  @MessagePattern('test.correlation.v1')
  whoAsks() {
    return { correlationId: currentCorrelationId() ?? null };
  }

  @MessagePattern(pollCommandSubject('poll-7'))
  command() {
    return {};
  }

  @EventPattern('test.correlation-event.v1')
  record(_payload: unknown) {
    seenByEvents.push(currentCorrelationId() ?? null);
  }
}

const Answer = z.object({ correlationId: z.string().nullable() });

async function start(options: BusOptions): Promise<INestApplication> {
  @Module({ imports: [BusModule.forRoot(options)], controllers: [CorrelationHandler] })
  class TestApp {}
  const app = await NestFactory.create(TestApp, { logger: false });
  connectBus(app, BusModule.transportFor(options));
  await app.startAllMicroservices();
  await app.init();
  return app;
}

for (const [name, options, prepare] of [
  ['in-process', (): BusOptions => ({ kind: 'in-process' }), () => Promise.resolve()],
  ['NATS', () => testNatsOptions(), () => requireNats(natsUrl())],
] as const) {
  describe(`observability on the ${name} bus`, () => {
    let app: INestApplication;
    let bus: BusClient;

    before(async () => {
      await prepare();
      app = await start(options());
      bus = app.get(BusClient);
    });
    after(() => app?.close());

    test('a handler works under the correlation id of the request or event that reached it', async () => {
      const asked = await withCorrelation('req-abc', () => bus.request('test.correlation.v1', {}, Answer));
      assert.deepEqual(asked, { correlationId: 'req-abc' });
      assert.deepEqual(await bus.request('test.correlation.v1', {}, Answer), { correlationId: null });
      seenByEvents.length = 0;
      await withCorrelation('evt-1', () => bus.emit('test.correlation-event.v1', {}));
      await until(() => seenByEvents.length === 1, 'the event');
      assert.deepEqual(seenByEvents, ['evt-1']);
    });

    test('request round trips are measured by subject, poll instances as one family', async () => {
      await bus.request(pollCommandSubject('poll-7'), {}, z.object({}));
      const text = await app.get(HostlinkMetrics).registry.metrics();
      assert.match(
        text,
        /^hostlink_bus_request_duration_seconds_count\{subject="test\.correlation\.v1"\} 2$/m,
      );
      assert.match(
        text,
        /^hostlink_bus_request_duration_seconds_count\{subject="poll\.\*\.agent\.command\.v1"\} 1$/m,
      );
      assert.doesNotMatch(text, /poll-7/);
    });

    test('ping answers while the bus is up', async () => {
      await bus.ping();
      assert.equal(bus.kind, name === 'NATS' ? 'nats' : 'in-process');
    });
  });
}
