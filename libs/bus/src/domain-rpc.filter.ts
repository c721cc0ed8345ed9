import { type ArgumentsHost, Catch, Inject, Logger, Optional, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { type ErrorTranslator, toErrorBody } from './bus-error.js';

/** The service's `ErrorTranslator`s (see `startBusService`'s `translateErrors`). */
export const BUS_ERROR_TRANSLATORS = Symbol('BUS_ERROR_TRANSLATORS');

/** Every bus handler's errors leave as a domain error body, so callers never see "Internal server error". */
@Catch()
export class DomainRpcFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Bus');

  /** Handlers name this class in `@UseFilters`, so Nest builds it too: the translators come by injection. */
  constructor(
    @Optional()
    @Inject(BUS_ERROR_TRANSLATORS)
    private readonly translators: readonly ErrorTranslator[] = [],
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    // The in-process context names the pattern, Nest's NATS context the subject it arrived on.
    const context = host.getArgByIndex<{ getPattern?: () => string; getSubject?: () => string } | undefined>(
      1,
    );
    const subject = String(context?.getPattern?.() ?? context?.getSubject?.() ?? '?');
    const body = toErrorBody(
      exception,
      (errorId, error) =>
        this.logger.error({ errorId, subject, error: error instanceof Error ? error.stack : String(error) }),
      this.translators,
    );
    return throwError(() => body);
  }
}
