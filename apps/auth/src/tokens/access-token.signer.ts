import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@hostlink/persistence';
import { Audience, TokenKind } from '@hostlink/protocol';
import { TokenSigner } from '@hostlink/token-keys';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options.js';

/** OAuth access tokens (RFC 9068 `at+jwt`), for the broker's session exchange only. */
@Injectable()
export class AccessTokenSigner {
  constructor(
    private readonly tokens: TokenSigner,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  get ttlSeconds(): number {
    return this.options.accessTokenTtlSeconds;
  }

  sign(user: User): Promise<string> {
    const claims = { sub: user.id, acc: user.accountId, email: user.email, role: user.role };
    return this.tokens.sign(TokenKind.Access, Audience.Access, claims, this.options.accessTokenTtlSeconds);
  }
}
