import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JsonObject, SigningKey } from '@hostlink/persistence';
import type { Jwks } from '@hostlink/protocol';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { SigningKeyRepository } from './signing-key.repository.js';
import { TOKEN_KEYS_OPTIONS, type TokenKeysOptions } from './token-keys.options.js';

export const SIGNING_ALG = 'EdDSA';
type Key = Awaited<ReturnType<typeof importJWK>>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const asJson = (jwk: JWK): JsonObject => JSON.parse(JSON.stringify(jwk)) as JsonObject;

export interface Signer {
  kid: string;
  key: Key;
}

/**
 * One service's signing keys: created on first use and kept in the database so every instance signs
 * with the same key, publishes the same JWKS and accepts every instance's tokens.
 */
@Injectable()
export class KeyRing {
  private signer?: Promise<Signer>;
  private verifiers = new Map<string, Key>();

  constructor(
    private readonly keys: SigningKeyRepository,
    @Inject(TOKEN_KEYS_OPTIONS) private readonly options: TokenKeysOptions,
  ) {}

  current(): Promise<Signer> {
    this.signer ??= this.loadOrCreate().catch((error: unknown) => {
      this.signer = undefined;
      throw error;
    });
    return this.signer;
  }

  /** Public keys of the active key and of retired keys whose tokens may not have expired yet. */
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

  /**
   * Signs with a new key from now on. The retired key stays published and accepted for the grace period,
   * so the tokens it signed keep working until they expire: rotating signs nobody out.
   */
  async rotate(): Promise<void> {
    await this.keys.retireActive(this.options.owner, this.options.clock());
    this.signer = undefined;
    await this.current();
  }

  private async publishable(): Promise<SigningKey[]> {
    await this.current();
    const since = new Date(this.options.clock().getTime() - this.options.retiredKeyGraceSeconds * 1000);
    return this.keys.publishable(this.options.owner, since);
  }

  private async loadOrCreate(): Promise<Signer> {
    const existing = await this.keys.newestActive(this.options.owner);
    if (existing) return { kid: existing.kid, key: await importJWK(existing.privateJwk, existing.alg) };
    const pair = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    await this.keys.insert({
      kid: randomUUID(),
      owner: this.options.owner,
      alg: SIGNING_ALG,
      publicJwk: asJson(await exportJWK(pair.publicKey)),
      privateJwk: asJson(await exportJWK(pair.privateKey)),
      createdAt: this.options.clock(),
      retiredAt: null,
    });
    // Another instance may have created one at the same moment: sign with the one everyone picks.
    return this.loadOrCreate();
  }
}
