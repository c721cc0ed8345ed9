import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { CommanderError } from 'commander';

/** One line that says what went wrong and, where we know, what to do next. */
export function errorLine(error: unknown): string {
  if (error instanceof HostlinkError) return hintFor(error);
  if (error instanceof Error && error.name === 'ChannelIntegrityError') {
    return 'integrity check failed: the encrypted channel was tampered with or corrupted in transit; only verified bytes were kept: run the same command again to resume (`--via direct` avoids the relay)';
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function hintFor(error: HostlinkError): string {
  switch (error.code) {
    case ErrorCode.InvalidCredentials:
      return `${error.message}: check the password and try again`;
    case ErrorCode.RateLimited:
      return error.message;
    case ErrorCode.PolicyDenied:
      return `${error.message} (ask your administrator)`;
    case ErrorCode.BadRequest:
    case ErrorCode.Unauthenticated:
    case ErrorCode.Forbidden:
    case ErrorCode.NotFound:
    case ErrorCode.Conflict:
    case ErrorCode.TokenInvalid:
    case ErrorCode.TokenExpired:
    case ErrorCode.TokenReused:
    case ErrorCode.HostOffline:
    case ErrorCode.Unavailable:
    case ErrorCode.Internal:
      return error.message;
  }
}

export function isCommanderExit(error: unknown): error is CommanderError {
  return error instanceof CommanderError;
}
