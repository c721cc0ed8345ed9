import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import type { User } from '@hostlink/persistence';
import { ErrorCode, HostlinkError, Lifetime, OpaquePrefix, type TokenResponse } from '@hostlink/protocol';
import { hashOpaqueToken, newOpaqueToken } from '@hostlink/token-keys';
import { CLOCK, type Clock } from '../auth.options.js';
import { UserRepository } from '../users/user.repository.js';
import { AccessTokenSigner } from './access-token.signer.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';

/**
 * Access and refresh tokens. Refresh tokens rotate on every use; presenting a used one is treated as
 * theft and revokes its whole family. Two concurrent refreshes with one token therefore end with one
 * success and one `token_reused`, and the family (including the winner's new token) revoked: the two are
 * indistinguishable from a stolen token racing its owner.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly accessTokens: AccessTokenSigner,
    private readonly audit: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issueForSignIn(user: User): Promise<TokenResponse> {
    const familyId = await this.refreshTokens.createFamily(user.id, this.clock());
    return this.issue(user, familyId);
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    const tokenHash = this.hashOf(refreshToken);
    const now = this.clock();
    if (await this.refreshTokens.consume(tokenHash, now)) {
      const stored = await this.refreshTokens.findByHash(tokenHash);
      const user = stored && (await this.users.findById(stored.userId));
      if (!stored || !user) throw new HostlinkError(ErrorCode.TokenInvalid, 'refresh token is not valid');
      return this.issue(user, stored.familyId);
    }
    throw await this.refusal(tokenHash, now);
  }

  async signOut(refreshToken: string): Promise<void> {
    if (!refreshToken.startsWith(OpaquePrefix.Refresh)) return;
    const stored = await this.refreshTokens.findByHash(hashOpaqueToken(refreshToken));
    if (stored) await this.refreshTokens.revokeFamily(stored.familyId, 'sign-out', this.clock());
  }

  private async issue(user: User, familyId: string): Promise<TokenResponse> {
    const refreshToken = newOpaqueToken(OpaquePrefix.Refresh);
    const issuedAt = this.clock();
    await this.refreshTokens.insert({
      tokenHash: hashOpaqueToken(refreshToken),
      familyId,
      userId: user.id,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + Lifetime.refreshSeconds * 1000),
    });
    const accessToken = await this.accessTokens.sign(user);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.accessTokens.ttlSeconds, refreshToken };
  }

  private hashOf(refreshToken: string): string {
    if (!refreshToken.startsWith(OpaquePrefix.Refresh))
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not a refresh token');
    return hashOpaqueToken(refreshToken);
  }

  /** Why a token could not be consumed; reuse of a used token revokes its family first. */
  private async refusal(tokenHash: string, now: Date): Promise<HostlinkError> {
    const stored = await this.refreshTokens.findByHash(tokenHash);
    if (!stored || stored.family?.revokedAt)
      return new HostlinkError(ErrorCode.TokenInvalid, 'refresh token is not valid');
    if (stored.usedAt) {
      await this.refreshTokens.revokeFamily(stored.familyId, 'reuse', now);
      await this.audit.record({
        accountId: null,
        actor: `user:${stored.userId}`,
        action: 'auth.refresh-token.reuse',
        outcome: 'failure',
        detail: { familyId: stored.familyId },
        at: now,
      });
      return new HostlinkError(
        ErrorCode.TokenReused,
        'refresh token was already used; its sign-in is revoked',
      );
    }
    return new HostlinkError(ErrorCode.TokenExpired, 'refresh token expired; sign in again');
  }
}
