import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { CORRELATION_HEADER, correlationIdFrom, withCorrelation } from '@hostlink/observability';

/**
 * Every request gets a correlation id: the caller's `X-Request-Id` when it is a sane token, else a fresh
 * one. It is echoed in the response, and the rest of the request runs under it, so the gateway's log lines
 * and the bus requests it makes (to broker, and on to poll and relay) carry it. Each request ends with an
 * access log line under the same id: method, path (never the query, which may carry SAML messages),
 * status and duration.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  private readonly logger = new Logger('GatewayAccess');

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const id = correlationIdFrom(request.headers[CORRELATION_HEADER.toLowerCase()]);
    response.setHeader(CORRELATION_HEADER, id);
    const started = performance.now();
    response.once('finish', () =>
      withCorrelation(id, () =>
        this.logger.log({
          msg: 'http request',
          method: request.method,
          path: pathOf(request.url),
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
        }),
      ),
    );
    withCorrelation(id, next);
  }
}

function pathOf(url: string | undefined): string {
  const end = (url ?? '').search(/[?#]/);
  return end === -1 ? (url ?? '') : url!.slice(0, end);
}
