import { KeyObject, randomUUID, sign as signBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { TokenKind } from '@hostlink/protocol';
import { type JWTPayload, jwtVerify } from 'jose';
import { KeyRing, type Signer, SIGNING_ALG } from './key-ring.service.js';
import { TOKEN_KEYS_OPTIONS, type TokenKeysOptions } from './token-keys.options.js';

/** Signs and verifies one service's own JWTs: one `typ` and audience per kind, algorithm pinned. */
@Injectable()
export class TokenSigner {
  /** The node:crypto form of each signing key, made once; a rotated-out key is dropped with its Signer. */
  private readonly keyObjects = new WeakMap<Signer, KeyObject>();

  constructor(
    private readonly keyRing: KeyRing,
    @Inject(TOKEN_KEYS_OPTIONS) private readonly options: TokenKeysOptions,
  ) {}

  /**
   * A compact JWS (EdDSA), signed with node:crypto at once. jose signs through WebCrypto, a round trip to
   * the thread pool per token, and a brokered connection signs three; jose still verifies every token.
   */
  async sign(kind: TokenKind, audience: string, claims: JWTPayload, ttlSeconds: number): Promise<string> {
    const signer = await this.keyRing.current();
    const now = Math.floor(this.options.clock().getTime() / 1000);
    const header = { alg: SIGNING_ALG, typ: kind, kid: signer.kid };
    const payload = {
      ...claims,
      iss: this.options.issuer,
      aud: audience,
      iat: now,
      exp: now + ttlSeconds,
      jti: randomUUID(),
    };
    const input = `${base64url(header)}.${base64url(payload)}`;
    return `${input}.${signBytes(null, Buffer.from(input), this.privateKey(signer)).toString('base64url')}`;
  }

  private privateKey(signer: Signer): KeyObject {
    let key = this.keyObjects.get(signer);
    if (!key) {
      if (!(signer.key instanceof CryptoKey)) throw new Error('expected a private CryptoKey to sign with');
      key = KeyObject.from(signer.key);
      this.keyObjects.set(signer, key);
    }
    return key;
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

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
