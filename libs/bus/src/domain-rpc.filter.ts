import { type ArgumentsHost, Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { toErrorBody } from './bus-error.js';

/** Every bus handler's errors leave as a domain error body, so callers never see "Internal server error". */
@Catch()
export class DomainRpcFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Bus');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    // The in-process context names the pattern, Nest's NATS context the subject it arrived on.
    const context = host.getArgByIndex<{ getPattern?: () => string; getSubject?: () => string } | undefined>(
      1,
    );
    const subject = String(context?.getPattern?.() ?? context?.getSubject?.() ?? '?');
    const body = toErrorBody(exception, (errorId, error) =>
      this.logger.error({ errorId, subject, error: error instanceof Error ? error.stack : String(error) }),
    );
    return throwError(() => body);
  }
}
