import { randomUUID } from 'node:crypto';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception.js';
import { ErrorCode, type ErrorBody, HostlinkError, isErrorBody } from '@hostlink/protocol';

/** Recognises an infrastructure error as a domain one (e.g. a database that is down as unavailable). */
export type ErrorTranslator = (error: unknown) => HostlinkError | undefined;

/** Turns anything a handler threw into the body that crosses the bus; unknown errors keep only an id. */
export function toErrorBody(
  error: unknown,
  log: (errorId: string, error: unknown) => void,
  translators: readonly ErrorTranslator[] = [],
): ErrorBody {
  if (error instanceof HostlinkError) return error.toBody();
  if (isErrorBody(error)) return error;
  for (const translate of translators) {
    const translated = translate(error);
    if (translated) return translated.toBody();
  }
  const errorId = randomUUID();
  log(errorId, error);
  return { code: ErrorCode.Internal, message: `internal error (id ${errorId})`, errorId };
}

/** Turns what a bus request failed with back into a domain error on the caller's side. */
export function fromBusFailure(failure: unknown, subject: string): HostlinkError {
  if (failure instanceof HostlinkError) return failure;
  if (isErrorBody(failure))
    return new HostlinkError(failure.code, failure.message, failure.retryAfterSeconds);
  // NATS answers a request nobody subscribes to with an empty "no responders" reply.
  if (failure instanceof EmptyResponseException) {
    return new HostlinkError(ErrorCode.Unavailable, `no service answers ${subject}; is it running?`);
  }
  if (failure instanceof Error && failure.name === 'TimeoutError') {
    return new HostlinkError(
      ErrorCode.Unavailable,
      `no answer to ${subject} in time; is the service running?`,
    );
  }
  // Nest reports a non-domain failure as { status: 'error', message: 'Internal server error' }.
  return new HostlinkError(ErrorCode.Internal, `request ${subject} failed`);
}
