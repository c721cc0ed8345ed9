import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@hostlink/persistence';
import {
  type CodeGrantRequest,
  ErrorCode,
  HostlinkError,
  Lifetime,
  OpaquePrefix,
  type TokenResponse,
} from '@hostlink/protocol';
import { hashOpaqueToken, newOpaqueToken } from '@hostlink/token-keys';
import { CLOCK, type Clock } from '../auth.options.js';
import { TokenService } from '../tokens/token.service.js';
import { UserRepository } from '../users/user.repository.js';
import { SignInCodeRepository } from './sign-in-code.repository.js';

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/**
 * The browser flow never carries tokens: the ACS hands out a one-time code, bound to the PKCE challenge
 * of whoever started the sign-in, which only that client can redeem (by POST) for tokens.
 */
@Injectable()
export class SignInCodeService {
  constructor(
    private readonly codes: SignInCodeRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(user: User, codeChallenge: string): Promise<string> {
    const code = newOpaqueToken(OpaquePrefix.SignInCode);
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + Lifetime.signInCodeSeconds * 1000);
    await this.codes.insert(
      { tokenHash: hashOpaqueToken(code), userId: user.id, codeChallenge, expiresAt, usedAt: null },
      now,
    );
    return code;
  }

  async redeem(request: CodeGrantRequest): Promise<TokenResponse> {
    if (!request.code.startsWith(OpaquePrefix.SignInCode))
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not a sign-in code');
    const spent = await this.codes.spend(
      hashOpaqueToken(request.code),
      s256(request.codeVerifier),
      this.clock(),
    );
    const user = spent && (await this.users.findById(spent.userId));
    if (!user)
      throw new HostlinkError(ErrorCode.TokenInvalid, 'sign-in code is unknown, used, expired or not yours');
    return this.tokens.issueForSignIn(user);
  }
}
