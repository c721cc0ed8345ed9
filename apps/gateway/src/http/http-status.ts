import { ErrorCode } from '@hostlink/protocol';

export function assertUnreachable(value: never): never {
  throw new Error(`unhandled value ${String(value)}`);
}

/** The one place a domain error code becomes an HTTP status. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BadRequest:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.TokenInvalid:
    case ErrorCode.TokenExpired:
    case ErrorCode.TokenReused:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.PolicyDenied:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.HostOffline:
      return 409;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Unavailable:
      return 503;
    case ErrorCode.Internal:
      return 500;
    default:
      return assertUnreachable(code);
  }
}
