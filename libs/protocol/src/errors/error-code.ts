/**
 * Domain error codes shared by every edge. A code crosses NATS and the HTTP API unchanged, so a client
 * can act on it; the gateway maps each code to an HTTP status in one exhaustive switch.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  Unauthenticated: 'unauthenticated',
  InvalidCredentials: 'invalid_credentials',
  RateLimited: 'rate_limited',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  TokenInvalid: 'token_invalid',
  TokenExpired: 'token_expired',
  TokenReused: 'token_reused',
  HostOffline: 'host_offline',
  PolicyDenied: 'policy_denied',
  Unavailable: 'unavailable',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The serialised form of a domain error on every wire (NATS replies, HTTP bodies, channel replies). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Set on `internal` errors only: the id under which the service logged the details. */
  errorId?: string;
  retryAfterSeconds?: number;
}

export class HostlinkError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HostlinkError';
  }

  toBody(): ErrorBody {
    return this.retryAfterSeconds === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterSeconds: this.retryAfterSeconds };
  }
}

const codes = new Set<string>(Object.values(ErrorCode));
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === 'string' && codes.has(body.code) && typeof body.message === 'string';
}
