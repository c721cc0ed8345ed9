import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Controller, type DynamicModule, Inject, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { z } from 'zod';
import { BusClient } from './bus.client.js';
import { type BusOptions, BusModule } from './bus.module.js';
import { connectBus } from './connect-bus.js';
import { EveryInstance } from './delivery.js';
import type { NatsBusOptions } from './nats.transport.js';

/** What one test instance saw, so tests can tell instances apart and wait for asynchronous effects. */
export class Recorder {
  readonly events: unknown[] = [];
  readonly broadcasts: unknown[] = [];
  /** Every delivery of a durable test event, failed ones included. */
  readonly durableDeliveries: { eventId: string; failOnce?: boolean }[] = [];
  slowFinished = 0;
  constructor(readonly instance: string) {}
}

@Controller()
class EchoHandler {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @MessagePattern('test.echo.v1')
  echo(@Payload() payload: { text: string }) {
    return { text: payload.text, at: new Date(0) };
  }

  @MessagePattern('test.whoami.v1')
  whoami() {
    return { instance: this.recorder.instance };
  }

  @MessagePattern('test.fail.v1')
  fail() {
    throw new HostlinkError(ErrorCode.NotFound, 'no such thing');
  }

  @MessagePattern('test.crash.v1')
  crash() {
    throw new TypeError('secret internals');
  }

  @MessagePattern('test.slow.v1')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    this.recorder.slowFinished += 1;
    return {};
  }

  @EventPattern('test.event.v1')
  record(@Payload() payload: unknown) {
    this.recorder.events.push(payload);
  }

  @EventPattern('test.durable.v1')
  recordDurable(@Payload() payload: { eventId: string; failOnce?: boolean }) {
    const seen = this.recorder.durableDeliveries.some((delivery) => delivery.eventId === payload.eventId);
    this.recorder.durableDeliveries.push(payload);
    if (payload.failOnce && !seen) throw new Error('failing the first delivery');
  }

  @EventPattern('test.broadcast.v1', EveryInstance)
  recordBroadcast(@Payload() payload: unknown) {
    this.recorder.broadcasts.push(payload);
  }
}

@Module({})
class TestModule {
  static forRoot(options: BusOptions, recorder: Recorder): DynamicModule {
    return {
      module: TestModule,
      imports: [BusModule.forRoot(options)],
      controllers: [EchoHandler],
      providers: [{ provide: Recorder, useValue: recorder }],
    };
  }
}

export interface BusInstance {
  app: INestApplication;
  bus: BusClient;
  recorder: Recorder;
}

/** One service instance through a real Nest app: the test handlers served on the bus, and its BusClient. */
export async function startInstance(options: BusOptions, name: string): Promise<BusInstance> {
  const recorder = new Recorder(name);
  const app = await NestFactory.create(TestModule.forRoot(options, recorder), { logger: false });
  try {
    connectBus(app, BusModule.transportFor(options));
    await app.startAllMicroservices();
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, bus: app.get(BusClient), recorder };
}

/** Polls until the condition holds, failing with `what` after the deadline (never a fixed sleep). */
export async function until(condition: () => boolean, what: string, deadlineMs = 3000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const natsUrl = (): string => process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Options on the test NATS, under a prefix of their own so that concurrent runs never see each other. */
export const testNatsOptions = (subjectPrefix = `test-${randomUUID()}`): NatsBusOptions => ({
  kind: 'nats',
  servers: natsUrl(),
  queue: 'test-echo',
  subjectPrefix,
  requestTimeoutMs: 200,
});

/** Fails fast, and says how to fix it, when there is no NATS to test against. */
export async function requireNats(url: string): Promise<void> {
  try {
    const probe = await connect({ servers: url, timeout: 1000, reconnect: false });
    await probe.close();
  } catch (error) {
    throw new Error(`NATS not reachable at ${url}: start it with \`nats-server -js\` (${String(error)})`);
  }
}

/** What every bus transport must do, run against each of them through a real Nest app. */
export function busContract(
  transport: string,
  options: () => BusOptions,
  prepare?: () => Promise<void>,
): void {
  describe(`${transport} bus through a real Nest app`, () => {
    let instance: BusInstance;

    before(async () => {
      await prepare?.();
      instance = await startInstance(options(), 'only');
    });
    after(() => instance?.app.close());

    test('a request is answered and crosses as JSON, like the wire', async () => {
      const reply = await instance.bus.request(
        'test.echo.v1',
        { text: 'héllo' },
        z.object({ text: z.string(), at: z.string() }),
      );
      assert.deepEqual(reply, { text: 'héllo', at: '1970-01-01T00:00:00.000Z' });
    });

    test('a domain error arrives as the same code and message', async () => {
      await assert.rejects(instance.bus.request('test.fail.v1', {}, z.unknown()), {
        code: ErrorCode.NotFound,
        message: 'no such thing',
      });
    });

    test('an unexpected error arrives as internal with an id and without its details', async () => {
      await assert.rejects(instance.bus.request('test.crash.v1', {}, z.unknown()), (error: unknown) => {
        assert.ok(error instanceof HostlinkError);
        assert.equal(error.code, ErrorCode.Internal);
        assert.doesNotMatch(error.message, /secret/);
        assert.match(error.message, /id [0-9a-f-]{36}/);
        return true;
      });
    });

    test('a reply that does not match the expected schema is refused', async () => {
      const request = instance.bus.request('test.echo.v1', { text: 'x' }, z.object({ other: z.number() }));
      await assert.rejects(request, { code: ErrorCode.BadRequest });
    });

    test('no answer in time is unavailable; no handler at all is unavailable', async () => {
      await assert.rejects(instance.bus.request('test.slow.v1', {}, z.unknown()), {
        code: ErrorCode.Unavailable,
      });
      await assert.rejects(instance.bus.request('test.nobody.v1', {}, z.unknown()), {
        code: ErrorCode.Unavailable,
      });
      // Let the late handler finish before the app closes under it.
      await until(() => instance.recorder.slowFinished === 1, 'the slow handler to finish');
    });

    test('events reach their handler, once', async () => {
      await instance.bus.emit('test.event.v1', { n: 1 });
      await until(() => instance.recorder.events.length > 0, 'the event');
      await instance.bus.request('test.echo.v1', { text: 'after the event' }, z.unknown());
      assert.deepEqual(instance.recorder.events, [{ n: 1 }]);
    });

    test('an EveryInstance event reaches each instance of the service, once', async () => {
      const second = await startInstance(options(), 'second');
      try {
        await instance.bus.emit('test.broadcast.v1', { n: 3 });
        const both = [instance.recorder, second.recorder];
        await until(() => both.every((recorder) => recorder.broadcasts.length > 0), 'both instances');
        // A duplicate sent with the event would be delivered before a later request's round trip.
        await instance.bus.request('test.echo.v1', { text: 'after' }, z.unknown());
        for (const recorder of both) assert.deepEqual(recorder.broadcasts, [{ n: 3 }], recorder.instance);
      } finally {
        await second.app.close();
      }
    });
  });
}
