import {
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { pollProofInput } from '@hostlink/protocol';

export interface Challenge {
  nonce: string;
  ephemeralPublicKey: string;
  ephemeralPrivateKey: KeyObject;
}

/** A fresh nonce and ephemeral X25519 key pair for one connection. */
export function newChallenge(): Challenge {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('X25519 key export failed');
  return {
    nonce: randomBytes(32).toString('base64url'),
    ephemeralPublicKey: x,
    ephemeralPrivateKey: privateKey,
  };
}

/** HMAC-SHA256 keyed by X25519(ours, theirs) over the proof input; the agent computes the same from its side. */
export function proofFor(
  privateKey: KeyObject,
  peerPublicKey: string,
  nonce: string,
  hostId: string,
): Buffer {
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: peerPublicKey }, format: 'jwk' });
  const shared = diffieHellman({ privateKey, publicKey });
  return createHmac('sha256', shared).update(pollProofInput(nonce, hostId), 'utf8').digest();
}

/** Constant-time check of the agent's proof of its static key. */
export function verifyProof(
  challenge: Challenge,
  hostPublicKey: string,
  hostId: string,
  proof: string,
): boolean {
  const expected = proofFor(challenge.ephemeralPrivateKey, hostPublicKey, challenge.nonce, hostId);
  const given = Buffer.from(proof, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
