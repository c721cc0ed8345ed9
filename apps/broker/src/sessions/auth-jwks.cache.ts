import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { Jwks, Subject } from '@hostlink/protocol';
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import { CLOCK, type Clock } from '../broker.options.js';

/** Unknown kids refetch at most this often, so forged kids cannot make the broker hammer auth. */
const REFETCH_COOLDOWN_MS = 10_000;
const KID = /^[\w-]{1,128}$/;

interface KeySet {
  kids: Set<string>;
  resolve: ReturnType<typeof createLocalJWKSet>;
}

/** Auth's public keys, fetched over the bus and refreshed when a token names a key we have not seen. */
@Injectable()
export class AuthJwksCache {
  private keySet?: KeySet;
  private fetchedAt = 0;

  constructor(
    private readonly bus: BusClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A jose key resolver: finds the header's kid, refetching the JWKS first when the kid is new. */
  readonly resolve = async (header: JWSHeaderParameters) => {
    if (header.kid === undefined || !KID.test(header.kid)) throw new Error('token has no usable kid');
    let keySet = this.keySet ?? (await this.fetch());
    if (!keySet.kids.has(header.kid) && this.clock().getTime() - this.fetchedAt >= REFETCH_COOLDOWN_MS) {
      keySet = await this.fetch();
    }
    return keySet.resolve(header);
  };

  private async fetch(): Promise<KeySet> {
    const jwks: JSONWebKeySet = await this.bus.request(Subject.authJwks, {}, Jwks);
    this.keySet = {
      kids: new Set(jwks.keys.flatMap((key) => (key.kid ? [key.kid] : []))),
      resolve: createLocalJWKSet(jwks),
    };
    this.fetchedAt = this.clock().getTime();
    return this.keySet;
  }
}
