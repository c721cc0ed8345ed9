import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JsonObject, SigningKey } from '@hostlink/persistence';
import { type Jwks, Lifetime } from '@hostlink/protocol';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { CLOCK, type Clock } from '../broker.options.js';
import { SigningKeyRepository } from './signing-key.repository.js';

export const SIGNING_ALG = 'EdDSA';
type Key = Awaited<ReturnType<typeof importJWK>>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const asJson = (jwk: JWK): JsonObject => JSON.parse(JSON.stringify(jwk)) as JsonObject;
/** Retired keys stay published (and accepted) as long as the longest-lived token they signed. */
const RETIRED_GRACE_SECONDS = Lifetime.sessionSeconds;

export interface Signer {
  kid: string;
  key: Key;
}

/**
 * The broker's signing keys: created on first use and kept in the database so every instance signs
 * with the same key and accepts every instance's tokens.
 */
@Injectable()
export class KeyRing {
  private signer?: Promise<Signer>;
  private verifiers = new Map<string, Key>();

  constructor(
    private readonly keys: SigningKeyRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  current(): Promise<Signer> {
    this.signer ??= this.loadOrCreate().catch((error: unknown) => {
      this.signer = undefined;
      throw error;
    });
    return this.signer;
  }

  async jwks(): Promise<Jwks> {
    return {
      keys: (await this.publishable()).map((key) => ({
        ...key.publicJwk,
        kid: key.kid,
        alg: key.alg,
        use: 'sig',
      })),
    };
  }

  /** The public key for `kid`, reloading once from the database for a key another instance created. */
  async verificationKey(kid: string | undefined): Promise<Key | undefined> {
    // Our kids are UUIDs: anything else cannot be ours and is not worth a database read.
    if (!kid || !UUID.test(kid)) return undefined;
    if (!this.verifiers.has(kid)) {
      const fresh = new Map<string, Key>();
      for (const key of await this.publishable()) fresh.set(key.kid, await importJWK(key.publicJwk, key.alg));
      this.verifiers = fresh;
    }
    return this.verifiers.get(kid);
  }

  private async publishable(): Promise<SigningKey[]> {
    await this.current();
    return this.keys.publishable(new Date(this.clock().getTime() - RETIRED_GRACE_SECONDS * 1000));
  }

  private async loadOrCreate(): Promise<Signer> {
    const existing = await this.keys.newestActive();
    if (existing) return { kid: existing.kid, key: await importJWK(existing.privateJwk, existing.alg) };
    const pair = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    await this.keys.insert({
      kid: randomUUID(),
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
