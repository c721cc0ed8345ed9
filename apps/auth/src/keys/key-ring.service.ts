import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JsonObject } from '@hostlink/persistence';
import type { Jwks } from '@hostlink/protocol';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { AUTH_OPTIONS, CLOCK, type Clock, type ResolvedAuthOptions } from '../auth.options.js';
import { SigningKeyRepository } from './signing-key.repository.js';

export const SIGNING_ALG = 'EdDSA';
type PrivateKey = Awaited<ReturnType<typeof importJWK>>;
const asJson = (jwk: JWK): JsonObject => JSON.parse(JSON.stringify(jwk)) as JsonObject;

export interface Signer {
  kid: string;
  key: PrivateKey;
}

/**
 * Auth's signing keys: created on first use and kept in the database so every instance signs with the
 * same key and publishes the same JWKS.
 */
@Injectable()
export class KeyRing {
  private signer?: Promise<Signer>;

  constructor(
    private readonly keys: SigningKeyRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  current(): Promise<Signer> {
    this.signer ??= this.loadOrCreate().catch((error: unknown) => {
      this.signer = undefined;
      throw error;
    });
    return this.signer;
  }

  /** Public keys of the active key and of retired keys whose access tokens may not have expired yet. */
  async jwks(): Promise<Jwks> {
    await this.current();
    const since = new Date(this.clock().getTime() - this.options.accessTokenTtlSeconds * 1000);
    const keys = await this.keys.publishable(since);
    return { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) };
  }

  private async loadOrCreate(): Promise<Signer> {
    const existing = await this.keys.newestActive();
    if (existing) return { kid: existing.kid, key: await importJWK(existing.privateJwk, existing.alg) };
    const pair = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    await this.keys.insert({
      kid,
      alg: SIGNING_ALG,
      publicJwk: asJson(await exportJWK(pair.publicKey)),
      privateJwk: asJson(await exportJWK(pair.privateKey)),
      createdAt: this.clock(),
      retiredAt: null,
    });
    // Another instance may have created one at the same moment: sign with the one everyone picks.
    return this.loadOrCreate();
  }
}
