import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { ErrorCode, HostlinkError, Jwks, Subject } from '@hostlink/protocol';
import { importJWK, type JWK } from 'jose';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/** Algorithms the broker may sign with; each key is used only with the algorithm it declares. */
const ALLOWED_ALGORITHMS = new Set(['EdDSA', 'Ed25519', 'ES256']);
/** Unknown kids refetch at most this often, so forged kids cannot flood the broker. */
const REFETCH_INTERVAL_MS = 5000;

/** The broker's public signing keys, fetched over the bus and cached; refetched when a new kid shows up. */
@Injectable()
export class BrokerKeysService {
  private keys = new Map<string, JWK>();
  private imported = new Map<string, VerifyKey>();
  private lastFetch = 0;
  private fetching?: Promise<void>;

  constructor(private readonly bus: BusClient) {}

  async keyFor(kid: string | undefined, alg: string): Promise<VerifyKey> {
    if (!kid) throw new HostlinkError(ErrorCode.TokenInvalid, 'ticket has no key id');
    if (!this.keys.has(kid)) await this.refreshUnlessRecent();
    const jwk = this.keys.get(kid);
    if (!jwk) throw new HostlinkError(ErrorCode.TokenInvalid, 'ticket signed by an unknown key');
    if (!ALLOWED_ALGORITHMS.has(alg) || (jwk.alg !== undefined && jwk.alg !== alg)) {
      throw new HostlinkError(ErrorCode.TokenInvalid, 'ticket algorithm not allowed for its key');
    }
    const cacheKey = `${kid}/${alg}`;
    let key = this.imported.get(cacheKey);
    if (!key) {
      key = await importJWK(jwk, alg);
      this.imported.set(cacheKey, key);
    }
    return key;
  }

  /** Joins a fetch in flight (legs of one connection arrive together with a new kid), else rate-limits. */
  private async refreshUnlessRecent(): Promise<void> {
    if (this.fetching) return this.fetching;
    if (Date.now() - this.lastFetch >= REFETCH_INTERVAL_MS) await this.refresh();
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    this.lastFetch = Date.now();
    const { keys } = await this.bus.request(Subject.brokerJwks, {}, Jwks);
    const byKid = new Map<string, JWK>();
    for (const key of keys as JWK[]) if (typeof key.kid === 'string') byKid.set(key.kid, key);
    this.keys = byKid;
    this.imported = new Map();
  }
}
