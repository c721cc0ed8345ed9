import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { TokenKind } from '@hostlink/protocol';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { KeyRing, SIGNING_ALG } from './key-ring.service.js';
import { TOKEN_KEYS_OPTIONS, type TokenKeysOptions } from './token-keys.options.js';

/** Signs and verifies one service's own JWTs: one `typ` and audience per kind, algorithm pinned. */
@Injectable()
export class TokenSigner {
  constructor(
    private readonly keyRing: KeyRing,
    @Inject(TOKEN_KEYS_OPTIONS) private readonly options: TokenKeysOptions,
  ) {}

  async sign(kind: TokenKind, audience: string, claims: JWTPayload, ttlSeconds: number): Promise<string> {
    const { kid, key } = await this.keyRing.current();
    const now = Math.floor(this.options.clock().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, typ: kind, kid })
      .setIssuer(this.options.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(key);
  }

  /** Verifies a token of exactly this kind; throws jose's errors for the caller to map. */
  async verify(token: string, kind: TokenKind, audience: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(
      token,
      async (header) =>
        (await this.keyRing.verificationKey(header.kid)) ?? Promise.reject(new Error('unknown signing key')),
      {
        algorithms: [SIGNING_ALG],
        typ: kind,
        audience,
        issuer: this.options.issuer,
        currentDate: this.options.clock(),
      },
    );
    return payload;
  }
}
