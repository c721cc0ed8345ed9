import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { parseOrThrow } from '@hostlink/protocol';
import { firstValueFrom, timeout } from 'rxjs';
import type { z } from 'zod';
import { fromBusFailure } from './bus-error.js';

export const BUS_PROXY = Symbol('BUS_PROXY');
export const BUS_REQUEST_TIMEOUT_MS = Symbol('BUS_REQUEST_TIMEOUT_MS');

/** Request/reply and events over the bus, with a timeout and the reply validated like any input. */
@Injectable()
export class BusClient {
  constructor(
    @Inject(BUS_PROXY) private readonly proxy: ClientProxy,
    @Inject(BUS_REQUEST_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async request<S extends z.ZodType>(subject: string, payload: object, reply: S): Promise<z.infer<S>> {
    let raw: unknown;
    try {
      raw = await firstValueFrom(this.proxy.send<unknown>(subject, payload).pipe(timeout(this.timeoutMs)));
    } catch (failure) {
      throw fromBusFailure(failure, subject);
    }
    return parseOrThrow(reply, raw, `reply to ${subject}`);
  }

  async emit(subject: string, payload: object): Promise<void> {
    await firstValueFrom(this.proxy.emit(subject, payload), { defaultValue: undefined });
  }
}
