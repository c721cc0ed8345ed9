import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@hostlink/persistence';
import { Audience, TokenKind } from '@hostlink/protocol';
import { SignJWT } from 'jose';
import { AUTH_OPTIONS, CLOCK, type Clock, type ResolvedAuthOptions } from '../auth.options.js';
import { KeyRing, SIGNING_ALG } from '../keys/key-ring.service.js';

/** OAuth access tokens (RFC 9068 `at+jwt`), for the broker's session exchange only. */
@Injectable()
export class AccessTokenSigner {
  constructor(
    private readonly keyRing: KeyRing,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get ttlSeconds(): number {
    return this.options.accessTokenTtlSeconds;
  }

  async sign(user: User): Promise<string> {
    const { kid, key } = await this.keyRing.current();
    const now = Math.floor(this.clock().getTime() / 1000);
    return new SignJWT({ acc: user.accountId, email: user.email, role: user.role })
      .setProtectedHeader({ alg: SIGNING_ALG, typ: TokenKind.Access, kid })
      .setIssuer(this.options.issuer)
      .setAudience(Audience.Access)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + this.options.accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(key);
  }
}
