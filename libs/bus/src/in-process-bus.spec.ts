import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { z } from 'zod';
import { BusClient } from './bus.client.js';
import { BusModule } from './bus.module.js';
import { connectBus } from './connect-bus.js';

const events: unknown[] = [];

@Controller()
class EchoHandler {
  @MessagePattern('test.echo.v1')
  echo(@Payload() payload: { text: string }) {
    return { text: payload.text, at: new Date(0) };
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
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {};
  }

  @EventPattern('test.event.v1')
  record(@Payload() payload: unknown) {
    events.push(payload);
  }
}

@Module({
  imports: [BusModule.forRoot({ kind: 'in-process', requestTimeoutMs: 200 })],
  controllers: [EchoHandler],
})
class TestModule {}

describe('in-process bus through a real Nest app', () => {
  let app: INestApplication;
  let bus: BusClient;

  before(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    connectBus(app, BusModule.transportFor({ kind: 'in-process' }));
    await app.startAllMicroservices();
    await app.init();
    bus = app.get(BusClient);
  });
  after(() => app.close());

  test('a request is answered and crosses as JSON, like the wire', async () => {
    const reply = await bus.request(
      'test.echo.v1',
      { text: 'héllo' },
      z.object({ text: z.string(), at: z.string() }),
    );
    assert.deepEqual(reply, { text: 'héllo', at: '1970-01-01T00:00:00.000Z' });
  });

  test('a domain error arrives as the same code and message', async () => {
    await assert.rejects(bus.request('test.fail.v1', {}, z.unknown()), {
      code: ErrorCode.NotFound,
      message: 'no such thing',
    });
  });

  test('an unexpected error arrives as internal with an id and without its details', async () => {
    await assert.rejects(bus.request('test.crash.v1', {}, z.unknown()), (error: unknown) => {
      assert.ok(error instanceof HostlinkError);
      assert.equal(error.code, ErrorCode.Internal);
      assert.doesNotMatch(error.message, /secret/);
      assert.match(error.message, /id [0-9a-f-]{36}/);
      return true;
    });
  });

  test('a reply that does not match the expected schema is refused', async () => {
    await assert.rejects(bus.request('test.echo.v1', { text: 'x' }, z.object({ other: z.number() })), {
      code: ErrorCode.BadRequest,
    });
  });

  test('no answer in time is unavailable; no handler at all is unavailable', async () => {
    await assert.rejects(bus.request('test.slow.v1', {}, z.unknown()), { code: ErrorCode.Unavailable });
    await assert.rejects(bus.request('test.nobody.v1', {}, z.unknown()), { code: ErrorCode.Unavailable });
  });

  test('events reach their handler', async () => {
    await bus.emit('test.event.v1', { n: 1 });
    assert.deepEqual(events, [{ n: 1 }]);
  });
});
