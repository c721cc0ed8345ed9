import { Inject, Injectable } from '@nestjs/common';
import { ClientNats, type ClientProxy, NatsRecordBuilder } from '@nestjs/microservices';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { CORRELATION_HEADER, currentCorrelationId, HostlinkMetrics } from '@hostlink/observability';
import { parseOrThrow, subjectFamily } from '@hostlink/protocol';
import { firstValueFrom, timeout } from 'rxjs';
import type { z } from 'zod';
import { fromBusFailure } from './bus-error.js';

export const BUS_PROXY = Symbol('BUS_PROXY');
export const BUS_REQUEST_TIMEOUT_MS = Symbol('BUS_REQUEST_TIMEOUT_MS');

/**
 * Request/reply and events over the bus, with a timeout and the reply validated like any input. Each
 * request's round trip is measured, and the caller's correlation id goes along as a NATS header (in-process,
 * the handler runs in the caller's async context and sees it anyway).
 */
@Injectable()
export class BusClient {
  constructor(
    @Inject(BUS_PROXY) private readonly proxy: ClientProxy,
    @Inject(BUS_REQUEST_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly metrics: HostlinkMetrics,
  ) {}

  /** Which bus this is, as readiness reports name it. */
  get kind(): 'nats' | 'in-process' {
    return this.proxy instanceof ClientNats ? 'nats' : 'in-process';
  }

  async request<S extends z.ZodType>(subject: string, payload: object, reply: S): Promise<z.infer<S>> {
    const measure = this.metrics.busRequestDuration.startTimer({ subject: subjectFamily(subject) });
    let raw: unknown;
    try {
      raw = await firstValueFrom(
        this.proxy.send<unknown>(subject, this.outgoing(payload)).pipe(timeout(this.timeoutMs)),
      );
    } catch (failure) {
      throw fromBusFailure(failure, subject);
    } finally {
      measure();
    }
    return parseOrThrow(reply, raw, `reply to ${subject}`);
  }

  async emit(subject: string, payload: object): Promise<void> {
    await firstValueFrom(this.proxy.emit(subject, this.outgoing(payload)), { defaultValue: undefined });
  }

  /**
   * Resolves once NATS answers a round trip (PING/PONG); for readiness checks. The connection is the one
   * requests use, opened here if nothing was sent yet; while it reconnects the round trip waits.
   */
  async ping(): Promise<void> {
    if (!(this.proxy instanceof ClientNats)) return;
    let connection: NatsConnection;
    try {
      connection = this.proxy.unwrap<NatsConnection>();
    } catch {
      connection = (await this.proxy.connect()) as NatsConnection;
    }
    await connection.flush();
  }

  private outgoing(payload: object): object {
    const id = currentCorrelationId();
    if (id === undefined || !(this.proxy instanceof ClientNats)) return payload;
    const carried = headers();
    carried.set(CORRELATION_HEADER, id);
    return new NatsRecordBuilder(payload).setHeaders(carried).build();
  }
}
