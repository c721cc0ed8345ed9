import { ErrorCode, HostlinkError } from '@hostlink/protocol';

export interface RateLimitOptions {
  /** Failures allowed before any delay applies. */
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  freeAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
};

/**
 * Host-password brute-force brake for the whole host (one agent = one host): after a few failures each
 * further failure locks logins for a doubling time, up to a cap. A success clears it.
 */
export class LoginRateLimiter {
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  assertAllowed(): void {
    const waitMs = this.lockedUntil - this.now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HostlinkError(
        ErrorCode.RateLimited,
        `too many wrong host passwords; try again in ${seconds} s`,
        seconds,
      );
    }
  }

  recordFailure(): void {
    this.failures += 1;
    const over = this.failures - this.options.freeAttempts;
    if (over <= 0) return;
    const delay = Math.min(this.options.baseDelayMs * 2 ** (over - 1), this.options.maxDelayMs);
    this.lockedUntil = this.now() + delay;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.lockedUntil = 0;
  }
}
