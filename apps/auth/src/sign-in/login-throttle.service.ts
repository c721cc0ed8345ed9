import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { CLOCK, type Clock } from '../auth.options.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';

/** Failures allowed before each further failure blocks the key for a doubling delay. */
const FREE_FAILURES = { email: 5, address: 20, account: 30 } as const;
const MAX_DELAY_SECONDS = 15 * 60;
/** A key's failures are forgotten after this long without one. */
const WINDOW_SECONDS = 15 * 60;

export interface ThrottleSubject {
  email: string;
  clientAddress?: string | undefined;
  /** The accounts the email belongs to: password spraying over one account's users slows it down too. */
  accountIds?: readonly string[];
}

const keysOf = (subject: ThrottleSubject) => [
  { key: `email:${subject.email}`, free: FREE_FAILURES.email },
  ...(subject.clientAddress
    ? [{ key: `address:${subject.clientAddress}`, free: FREE_FAILURES.address }]
    : []),
  ...(subject.accountIds ?? []).map((id) => ({ key: `account:${id}`, free: FREE_FAILURES.account })),
];

/**
 * Per-email, per-address and per-account sign-in limits with a growing delay: after the free failures each failure
 * blocks the key for 1, 2, 4 ... seconds, up to 15 minutes. Kept in the database so every instance agrees.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly throttles: LoginThrottleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async assertAllowed(subject: ThrottleSubject): Promise<void> {
    const now = this.clock().getTime();
    const rows = await this.throttles.find(keysOf(subject).map((entry) => entry.key));
    const waits = rows
      .map((row) => (row.blockedUntil ? row.blockedUntil.getTime() - now : 0))
      .filter((wait) => wait > 0);
    if (waits.length === 0) return;
    const retryAfterSeconds = Math.ceil(Math.max(...waits) / 1000);
    throw new HostlinkError(
      ErrorCode.RateLimited,
      `too many failed sign-ins; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }

  async recordFailure(subject: ThrottleSubject): Promise<void> {
    const now = this.clock();
    const windowStart = new Date(now.getTime() - WINDOW_SECONDS * 1000);
    for (const { key, free } of keysOf(subject)) {
      const failures = await this.throttles.addFailure(key, now, windowStart);
      if (failures <= free) continue;
      const delaySeconds = Math.min(2 ** Math.min(failures - free - 1, 20), MAX_DELAY_SECONDS);
      await this.throttles.block(key, new Date(now.getTime() + delaySeconds * 1000));
    }
  }

  /** A success forgets the email's failures (not the address's: one address may try many emails). */
  async recordSuccess(subject: ThrottleSubject): Promise<void> {
    await this.throttles.clear(`email:${subject.email}`);
  }
}
