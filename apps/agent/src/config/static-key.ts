import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
} from 'node:crypto';
import { pollProofInput } from '@hostlink/protocol';

/** Raw X25519 key pair in base64url, as stored in the agent config. */
export interface StoredKey {
  readonly publicKey: string;
  readonly privateKey: string;
}

export function generateStaticKey(): StoredKey {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string' || typeof jwk.d !== 'string') throw new Error('X25519 key export failed');
  return { publicKey: jwk.x, privateKey: jwk.d };
}

export function rawKeyPair(key: StoredKey): { publicKey: Uint8Array; privateKey: Uint8Array } {
  return {
    publicKey: Buffer.from(key.publicKey, 'base64url'),
    privateKey: Buffer.from(key.privateKey, 'base64url'),
  };
}

/** Answers poll's challenge: HMAC over the proof input, keyed by X25519(our static key, poll's ephemeral key). */
export function pollProof(key: StoredKey, ephemeralPublicKey: string, nonce: string, hostId: string): string {
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: key.privateKey, x: key.publicKey },
    format: 'jwk',
  });
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: ephemeralPublicKey },
    format: 'jwk',
  });
  const shared = diffieHellman({ privateKey, publicKey });
  return createHmac('sha256', shared).update(pollProofInput(nonce, hostId), 'utf8').digest('base64url');
}
