import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  type Aead,
  type CryptoBackend,
  type KeyPair,
  TAG_LEN,
  concatBytes,
  encodeNonce,
  isAllZero,
  pkcs8FromRawPrivateKey,
  spkiFromRawPublicKey,
  splitParts,
  totalLength,
} from '../crypto/crypto-backend.js';

/**
 * node:crypto back end. Synchronous underneath (about 3.5x faster AES-GCM than WebCrypto here), exposed
 * through the same async interface.
 */
export function createNodeCryptoBackend(): CryptoBackend {
  return {
    name: 'node',
    generateKeyPair: () => settle(generateKeyPair),
    keyPairFromPrivateKey: (privateKey) => settle(() => keyPairFromPrivateKey(privateKey)),
    dh: (privateKey, publicKey) => settle(() => dh(privateKey, publicKey)),
    createAead: (key) => settle(() => createAead(key)),
    sha256: (data) => settle(() => plain(createHash('sha256').update(data).digest())),
    hmacSha256: (key, data) => settle(() => plain(createHmac('sha256', key).update(data).digest())),
  };
}

function generateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  return exportKeyPair(privateKey);
}

function keyPairFromPrivateKey(raw: Uint8Array): KeyPair {
  return exportKeyPair(importPrivateKey(raw));
}

function exportKeyPair(privateKey: KeyObject): KeyPair {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { publicKey: new Uint8Array(spki.subarray(-32)), privateKey: new Uint8Array(pkcs8.subarray(-32)) };
}

function importPrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8FromRawPrivateKey(raw)), format: 'der', type: 'pkcs8' });
}

function dh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const pub = createPublicKey({
    key: Buffer.from(spkiFromRawPublicKey(publicKey)),
    format: 'der',
    type: 'spki',
  });
  const shared = diffieHellman({ privateKey: importPrivateKey(privateKey), publicKey: pub });
  if (isAllZero(shared)) throw new Error('X25519 produced an all-zero shared secret');
  return plain(shared);
}

function createAead(rawKey: Uint8Array): Aead {
  const key = Buffer.from(rawKey);
  // One nonce buffer per key: createCipheriv copies the IV, so reuse avoids an allocation per message.
  const iv = Buffer.alloc(12);
  return {
    encrypt: (n, ad, plaintext) => settle(() => concatBytes(encryptParts(key, iv, n, ad, [plaintext]))),
    decrypt: (n, ad, ciphertext) => settle(() => joined(decryptParts(key, iv, n, ad, [ciphertext]))),
    encryptPartsSync: (n, ad, parts) => encryptParts(key, iv, n, ad, parts),
    decryptPartsSync: (n, ad, parts) => decryptParts(key, iv, n, ad, parts),
  };
}

/** GCM is a stream mode: update() returns as many bytes as it is given, so pieces need no joining. */
function encryptParts(
  key: Buffer,
  iv: Buffer,
  n: number,
  ad: Uint8Array,
  parts: readonly Uint8Array[],
): Uint8Array[] {
  const cipher = createCipheriv('aes-256-gcm', key, encodeNonce(n, iv));
  if (ad.length > 0) cipher.setAAD(ad);
  // Left as Buffers: ciphertext only goes to the link, and a socket would convert views back.
  const out: Uint8Array[] = [];
  for (const part of parts) if (part.length > 0) out.push(cipher.update(part));
  cipher.final();
  out.push(cipher.getAuthTag());
  return out;
}

function decryptParts(
  key: Buffer,
  iv: Buffer,
  n: number,
  ad: Uint8Array,
  parts: readonly Uint8Array[],
): Uint8Array[] {
  const bodyLength = totalLength(parts) - TAG_LEN;
  if (bodyLength < 0) throw new Error('ciphertext shorter than the tag');
  const [body, tag] = splitParts(parts, bodyLength);
  const decipher = createDecipheriv('aes-256-gcm', key, encodeNonce(n, iv));
  if (ad.length > 0) decipher.setAAD(ad);
  decipher.setAuthTag(tag.length === 1 ? tag[0]! : concatBytes(tag));
  const out: Uint8Array[] = [];
  for (const part of body) if (part.length > 0) out.push(plain(decipher.update(part)));
  // Throws on a bad tag; only then would `out` be wrong, and it is never returned.
  decipher.final();
  return out;
}

function joined(pieces: Uint8Array[]): Uint8Array {
  return pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
}

/** Same memory, seen as a plain Uint8Array so callers never meet Buffer's differing slice semantics. */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Runs synchronous work behind the async interface; a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
