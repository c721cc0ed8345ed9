import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { CORRELATION_HEADER, saneCorrelationId, withCorrelation } from './correlation.js';

/** What Nest's NATS context gives a handler; other transports have no headers. */
interface HeaderContext {
  getHeaders?(): { get?(name: string): string } | undefined;
}

/**
 * Runs each bus handler under the correlation id its message carries as a NATS header, so everything the
 * handler logs or asks names the request it serves. In-process messages need no header: the caller's
 * async context reaches the handler directly.
 */
@Injectable()
export class BusCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc().getContext<HeaderContext | undefined>();
    const id = saneCorrelationId(rpc?.getHeaders?.()?.get?.(CORRELATION_HEADER));
    // Nest binds the handler's async context when `handle()` is called: call it inside the id's scope.
    return withCorrelation(id, () => next.handle());
  }
}
