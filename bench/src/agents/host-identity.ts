import {
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { pollProofInput } from '@hostlink/protocol';

/** An enrolled host as the poll sees it: its id and static X25519 key (the broker holds the public half). */
export interface HostIdentity {
  hostId: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function newHostIdentity(): HostIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('X25519 key export failed');
  return { hostId: randomUUID(), publicKey: x, privateKey };
}

/**
 * The agent's answer to poll's challenge, computed as apps/agent/src/config/static-key.ts `pollProof` does
 * (the bench may not import an app): HMAC-SHA256 keyed by X25519(static key, poll's ephemeral key) over
 * the protocol's proof input.
 */
export function pollProof(host: HostIdentity, ephemeralPublicKey: string, nonce: string): string {
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: ephemeralPublicKey },
    format: 'jwk',
  });
  const shared = diffieHellman({ privateKey: host.privateKey, publicKey });
  return createHmac('sha256', shared).update(pollProofInput(nonce, host.hostId), 'utf8').digest('base64url');
}
