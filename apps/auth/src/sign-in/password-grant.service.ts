import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import { ErrorCode, HostlinkError, type PasswordGrantRequest, type TokenResponse } from '@hostlink/protocol';
import { CLOCK, type Clock } from '../auth.options.js';
import { PasswordHasher } from '../passwords/password.hasher.js';
import { TokenService } from '../tokens/token.service.js';
import { UserRepository, type UserWithCredential } from '../users/user.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';

/** An email can exist in a few accounts; more than this many would make sign-in a hashing oracle. */
const MAX_ACCOUNTS_PER_EMAIL = 4;

@Injectable()
export class PasswordGrantService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly tokens: TokenService,
    private readonly audit: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async signIn(request: PasswordGrantRequest): Promise<TokenResponse> {
    const candidates = await this.users.findForSignIn(request.email, MAX_ACCOUNTS_PER_EMAIL);
    const subject = { ...request, accountIds: [...new Set(candidates.map(({ user }) => user.accountId))] };
    const accountId = candidates[0]?.user.accountId ?? null;
    await this.throttle.assertAllowed(subject).catch(async (error: unknown) => {
      await this.record(request, accountId, 'failure', {
        knownEmail: candidates.length > 0,
        rateLimited: true,
      });
      throw error;
    });
    const match = await this.firstMatch(candidates, request.password);
    await this.record(request, match?.accountId ?? accountId, match ? 'success' : 'failure', {
      knownEmail: candidates.length > 0,
    });
    if (!match) {
      await this.throttle.recordFailure(subject);
      throw new HostlinkError(ErrorCode.InvalidCredentials, 'wrong email or password');
    }
    await this.throttle.recordSuccess(subject);
    return this.tokens.issueForSignIn(match);
  }

  private record(
    request: PasswordGrantRequest,
    accountId: string | null,
    outcome: 'success' | 'failure',
    detail: Record<string, boolean>,
  ): Promise<void> {
    return this.audit.record({
      accountId,
      actor: `email:${request.email}`,
      action: 'auth.sign-in.password',
      outcome,
      detail: { clientAddress: request.clientAddress ?? null, ...detail },
      at: this.clock(),
    });
  }

  /** Checks the password against each candidate (a dummy hash when there is none) so timing shows nothing. */
  private async firstMatch(candidates: UserWithCredential[], password: string) {
    for (const { user, credential } of candidates) {
      if (credential && (await this.hasher.verify(password, credential))) return user;
    }
    if (candidates.every((candidate) => candidate.credential === null))
      await this.hasher.verifyDummy(password);
    return undefined;
  }
}
