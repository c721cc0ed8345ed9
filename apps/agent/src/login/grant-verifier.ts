import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { Audience, ErrorCode, GrantClaims, HostlinkError, TokenKind, parseOrThrow } from '@hostlink/protocol';

/** The broker signs with one of these; `none` and HMAC algorithms are never accepted. */
const GRANT_ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Checks a connection grant: broker signature (stored JWKS), kind, audience = this host, expiry, that it
 * was issued for the client key that opened this very channel, and that it is used once.
 */
export class GrantVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;
  private readonly usedJtis = new Map<string, number>();

  constructor(
    private readonly hostId: string,
    jwks: JSONWebKeySet,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = createLocalJWKSet(jwks);
  }

  async verify(grant: string, channelRemoteStatic: Uint8Array): Promise<GrantClaims> {
    const claims = await this.verifySignature(grant);
    if (claims.hid !== this.hostId) throw invalid('the grant is for another host');
    if (claims.cpk !== Buffer.from(channelRemoteStatic).toString('base64url')) {
      throw invalid('the grant was issued for another client key than the one on this channel');
    }
    this.consume(claims);
    return claims;
  }

  private async verifySignature(grant: string): Promise<GrantClaims> {
    try {
      const { payload } = await jwtVerify(grant, this.keys, {
        algorithms: GRANT_ALGORITHMS,
        typ: TokenKind.ConnectionGrant,
        audience: Audience.grantFor(this.hostId),
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(this.now()),
      });
      return parseOrThrow(GrantClaims, payload, 'connection grant');
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new HostlinkError(ErrorCode.TokenExpired, 'the connection grant has expired; connect again');
      if (error instanceof HostlinkError) throw invalid(error.message);
      throw invalid(error instanceof Error ? error.message : 'unverifiable');
    }
  }

  private consume(claims: GrantClaims): void {
    const nowSeconds = this.now() / 1000;
    for (const [jti, exp] of this.usedJtis) if (exp < nowSeconds) this.usedJtis.delete(jti);
    if (this.usedJtis.has(claims.jti))
      throw new HostlinkError(ErrorCode.TokenReused, 'this connection grant was already used; connect again');
    this.usedJtis.set(claims.jti, claims.exp);
  }
}

function invalid(reason: string): HostlinkError {
  return new HostlinkError(ErrorCode.TokenInvalid, `connection grant refused: ${reason}`);
}
