/**
 * The few primitives Noise_*_25519_AESGCM_SHA256 needs, behind one small interface so the same handshake
 * and channel code runs on node:crypto (fast, Node only) and WebCrypto (browsers). Every call is async
 * because WebCrypto is; the Node back end resolves immediately.
 */
export interface KeyPair {
  /** Raw 32-byte X25519 public key. */
  readonly publicKey: Uint8Array;
  /** Raw 32-byte X25519 private key (the scalar, as in RFC 7748). */
  readonly privateKey: Uint8Array;
}

/** AES-256-GCM bound to one key; nonces use Noise's encoding (4 zero bytes + 64-bit big-endian counter). */
export interface Aead {
  /** Returns ciphertext followed by the 16-byte tag. */
  encrypt(nonce: number, ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Returns the plaintext; rejects when authentication fails. */
  decrypt(nonce: number, ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
  /**
   * Optional fast path for back ends that are synchronous underneath (node:crypto): encrypts the
   * concatenation of `parts` without joining them; returns ciphertext pieces, the 16-byte tag last.
   */
  encryptPartsSync?(nonce: number, ad: Uint8Array, parts: readonly Uint8Array[]): Uint8Array[];
  /**
   * Optional fast path: decrypts the concatenation of `parts` (ciphertext then tag) without joining
   * them; returns plaintext pieces only after the tag checked out, throws when it does not.
   */
  decryptPartsSync?(nonce: number, ad: Uint8Array, parts: readonly Uint8Array[]): Uint8Array[];
}

export interface CryptoBackend {
  readonly name: string;
  generateKeyPair(): Promise<KeyPair>;
  /** Completes a raw private key with its public key (for stored keys and injected test keys). */
  keyPairFromPrivateKey(privateKey: Uint8Array): Promise<KeyPair>;
  /** X25519; rejects on an all-zero shared secret (low-order peer key). */
  dh(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  createAead(key: Uint8Array): Promise<Aead>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

export const DH_LEN = 32;
export const HASH_LEN = 32;
export const TAG_LEN = 16;

/** Noise reserves 2^64-1; we stop at 2^53-1 so counters stay exact JavaScript numbers. */
export const MAX_NONCE = Number.MAX_SAFE_INTEGER;

/** Writes Noise's 12-byte AES-GCM nonce for counter `n` into `out`. */
export function encodeNonce(n: number, out: Uint8Array): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, 0);
  view.setUint32(4, Math.floor(n / 0x1_0000_0000));
  view.setUint32(8, n >>> 0);
  return out;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

/** DER wrappers that turn raw X25519 keys into the PKCS#8 / SPKI forms both back ends import. */
const PKCS8_X25519_PREFIX = bytesFromHex('302e020100300506032b656e04220420');
const SPKI_X25519_PREFIX = bytesFromHex('302a300506032b656e032100');

function bytesFromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function pkcs8FromRawPrivateKey(privateKey: Uint8Array): Uint8Array {
  assertKeyLength(privateKey, 'private');
  return concatBytes([PKCS8_X25519_PREFIX, privateKey]);
}

export function spkiFromRawPublicKey(publicKey: Uint8Array): Uint8Array {
  assertKeyLength(publicKey, 'public');
  return concatBytes([SPKI_X25519_PREFIX, publicKey]);
}

export function assertKeyLength(key: Uint8Array, kind: 'public' | 'private'): void {
  if (key.length !== DH_LEN)
    throw new RangeError(`X25519 ${kind} key must be ${DH_LEN} bytes, got ${key.length}`);
}

/** Splits `parts` (total length `total`) at `at` into views; no bytes are copied. */
export function splitParts(
  parts: readonly Uint8Array[],
  at: number,
): [head: Uint8Array[], tail: Uint8Array[]] {
  const head: Uint8Array[] = [];
  const tail: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    const end = offset + part.length;
    if (end <= at) head.push(part);
    else if (offset >= at) tail.push(part);
    else {
      head.push(part.subarray(0, at - offset));
      tail.push(part.subarray(at - offset));
    }
    offset = end;
  }
  return [head, tail];
}

export function totalLength(parts: readonly Uint8Array[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(totalLength(parts));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
