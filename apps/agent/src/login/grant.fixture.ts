import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { Audience, defaultPolicy, TokenKind, type Policy } from '@hostlink/protocol';

export interface GrantSigner {
  readonly jwks: JSONWebKeySet;
  sign(claims: {
    hostId: string;
    cpk: string;
    jti?: string;
    expSeconds?: number;
    typ?: string;
    aud?: string;
    pol?: Policy;
  }): Promise<string>;
}

/** A broker stand-in: an Ed25519 key, its JWKS, and grants signed like the broker's. */
export async function createGrantSigner(): Promise<GrantSigner> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    sign: (claims) =>
      new SignJWT({ cpk: claims.cpk, hid: claims.hostId, pol: claims.pol ?? defaultPolicy })
        .setProtectedHeader({ alg: 'EdDSA', typ: claims.typ ?? TokenKind.ConnectionGrant, kid })
        .setSubject(randomUUID())
        .setJti(claims.jti ?? randomUUID())
        .setAudience(claims.aud ?? Audience.grantFor(claims.hostId))
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expSeconds ?? 60))
        .sign(privateKey),
  };
}
