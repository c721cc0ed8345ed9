import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { z } from 'zod';
import { BusClient } from './bus.client.js';
import { startBusService } from './bus-service.js';
import { DomainRpcFilter } from './domain-rpc.filter.js';

class ConnectionLost extends Error {}

@Controller()
@UseFilters(DomainRpcFilter)
class FailingHandler {
  @MessagePattern('test.db-down.v1')
  databaseDown(): never {
    throw new ConnectionLost('Connection terminated unexpectedly');
  }

  @MessagePattern('test.bug.v1')
  bug(): never {
    throw new TypeError('a bug');
  }
}

@Module({ controllers: [FailingHandler] })
class FailingModule {}

test('errors a service declares as infrastructure cross the bus as domain errors, with handler filters too', async () => {
  const service = await startBusService({
    bus: { kind: 'in-process', requestTimeoutMs: 1000 },
    imports: () => [FailingModule],
    translateErrors: [
      (error) =>
        error instanceof ConnectionLost ? new HostlinkError(ErrorCode.Unavailable, 'db down', 5) : undefined,
    ],
    appOptions: { logger: false },
  });
  try {
    const bus = service.app.get(BusClient);
    await assert.rejects(bus.request('test.db-down.v1', {}, z.unknown()), {
      code: ErrorCode.Unavailable,
      message: 'db down',
      retryAfterSeconds: 5,
    });
    await assert.rejects(bus.request('test.bug.v1', {}, z.unknown()), { code: ErrorCode.Internal });
  } finally {
    await service.close();
  }
});
