import { ErrorCode, HostlinkError } from '@hostlink/protocol';

// Socket errors, and Postgres's own: class 08 (connection exception) and 57P01-57P03 (shutting down,
// crash recovery, not accepting connections yet).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);
// pg reports a dropped or never-established connection only in words.
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout expired|timeout exceeded when trying to connect|Client has encountered a connection error/i;
const RETRY_AFTER_SECONDS = 5;

/**
 * A database that cannot be reached right now, as the domain error callers retry (HTTP 503 with
 * Retry-After) instead of an internal error; undefined for every other error. TypeORM wraps driver errors
 * (`driverError`), Node wraps per-address connect errors (`AggregateError`), hence the short walk.
 */
export function databaseUnavailable(error: unknown): HostlinkError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (isUnreachable(current))
      return new HostlinkError(
        ErrorCode.Unavailable,
        'the database is not reachable right now; try again shortly',
        RETRY_AFTER_SECONDS,
      );
    current = underlying(current);
  }
  return undefined;
}

function isUnreachable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || SHUTDOWN_CODES.has(code))) return true;
  if (typeof code === 'string' && /^08[0-9A-Z]{3}$/.test(code)) return true;
  return UNREACHABLE_MESSAGES.test(error.message);
}

function underlying(error: Error): unknown {
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError !== undefined) return driverError;
  if (error instanceof AggregateError) return error.errors[0];
  return error.cause;
}
