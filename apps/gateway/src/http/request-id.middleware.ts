import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { CORRELATION_HEADER, correlationIdFrom, withCorrelation } from '@hostlink/observability';

/**
 * Every request gets a correlation id: the caller's `X-Request-Id` when it is a sane token, else a fresh
 * one. It is echoed in the response, and the rest of the request runs under it, so the gateway's log lines
 * and the bus requests it makes (to broker, and on to poll and relay) carry it.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const id = correlationIdFrom(request.headers[CORRELATION_HEADER.toLowerCase()]);
    response.setHeader(CORRELATION_HEADER, id);
    withCorrelation(id, next);
  }
}
