import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type BusService, startBusService } from '@hostlink/bus';
import {
  ErrorCode,
  HostKeyRequest,
  type HostKeyResponse,
  HostlinkError,
  QueueGroup,
  Subject,
} from '@hostlink/protocol';
import type { HostIdentity } from './host-identity.js';

const HOST_KEYS = Symbol('HOST_KEYS');

/** Enrolled hosts as the broker would answer for them, and how many times poll asked. */
export class HostKeys {
  readonly accountId = randomUUID();
  requests = 0;
  private readonly keys = new Map<string, string>();

  constructor(hosts: readonly HostIdentity[]) {
    for (const host of hosts) this.keys.set(host.hostId, host.publicKey);
  }

  answer(hostId: string): HostKeyResponse {
    this.requests += 1;
    const publicKey = this.keys.get(hostId);
    if (!publicKey) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    return { hostId, accountId: this.accountId, publicKey };
  }
}

@Controller()
class HostKeyController {
  constructor(@Inject(HOST_KEYS) private readonly keys: HostKeys) {}

  @MessagePattern(Subject.brokerHostKey)
  hostKey(payload: unknown): HostKeyResponse {
    return this.keys.answer(HostKeyRequest.parse(payload).hostId);
  }
}

@Module({})
class HostKeyModule {
  static forRoot(keys: HostKeys): DynamicModule {
    return {
      module: HostKeyModule,
      controllers: [HostKeyController],
      providers: [{ provide: HOST_KEYS, useValue: keys }],
    };
  }
}

/**
 * Answers `Subject.brokerHostKey` over the real NATS bus, in the broker's queue group, from this process:
 * the broker is not what the bench measures, so no broker process or database is started.
 */
export function startHostKeyResponder(
  keys: HostKeys,
  nats: { url: string; subjectPrefix: string },
): Promise<BusService> {
  return startBusService({
    bus: { kind: 'nats', servers: nats.url, queue: QueueGroup.broker, subjectPrefix: nats.subjectPrefix },
    imports: () => [HostKeyModule.forRoot(keys)],
    appOptions: { logger: ['error'] },
  });
}
