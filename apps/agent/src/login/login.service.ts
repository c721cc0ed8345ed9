import { ErrorCode, HostlinkError, type Policy } from '@hostlink/protocol';
import type { GrantVerifier } from './grant-verifier.js';
import { verifyHostPassword } from './host-password.js';
import type { LoginRateLimiter } from './login-rate-limiter.js';
import { RecentLoginCache } from './recent-login.cache.js';

export interface LoginOutcome {
  readonly userId: string;
  readonly policy: Policy;
}

export interface LoginAttempt {
  readonly grant: string;
  readonly password: string;
  readonly channelRemoteStatic: Uint8Array;
}

/** Host login: the broker's grant says who may connect; the host password (checked here only) says they know the host. */
export class LoginService {
  constructor(
    private readonly grants: GrantVerifier,
    private readonly limiter: LoginRateLimiter,
    private readonly passwordHash: string,
    private readonly recent = new RecentLoginCache(),
  ) {}

  /** Serialised, so parallel guesses cannot all slip past the rate limiter before it counts them. */
  private queue: Promise<unknown> = Promise.resolve();

  login(attempt: LoginAttempt): Promise<LoginOutcome> {
    const result = this.queue.then(() => this.check(attempt));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async check(attempt: LoginAttempt): Promise<LoginOutcome> {
    const claims = await this.grants.verify(attempt.grant, attempt.channelRemoteStatic);
    this.limiter.assertAllowed();
    const device = attempt.channelRemoteStatic;
    if (!this.recent.matches(device, attempt.password)) {
      if (!(await verifyHostPassword(attempt.password, this.passwordHash))) {
        this.limiter.recordFailure();
        throw new HostlinkError(ErrorCode.InvalidCredentials, 'wrong host password');
      }
      this.recent.remember(device, attempt.password);
    }
    this.limiter.recordSuccess();
    return { userId: claims.sub, policy: claims.pol };
  }
}
