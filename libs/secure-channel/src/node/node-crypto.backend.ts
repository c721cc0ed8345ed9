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
  encodeNonce,
  isAllZero,
  pkcs8FromRawPrivateKey,
  spkiFromRawPublicKey,
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
    encrypt: (n, ad, plaintext) => settle(() => encrypt(key, iv, n, ad, plaintext)),
    decrypt: (n, ad, ciphertext) => settle(() => decrypt(key, iv, n, ad, ciphertext)),
  };
}

function encrypt(key: Buffer, iv: Buffer, n: number, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, encodeNonce(n, iv));
  cipher.setAAD(ad);
  const head = cipher.update(plaintext);
  cipher.final();
  const out = Buffer.allocUnsafe(head.length + TAG_LEN);
  head.copy(out, 0);
  cipher.getAuthTag().copy(out, head.length);
  return plain(out);
}

function decrypt(key: Buffer, iv: Buffer, n: number, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < TAG_LEN) throw new Error('ciphertext shorter than the tag');
  const body = ciphertext.subarray(0, ciphertext.length - TAG_LEN);
  const decipher = createDecipheriv('aes-256-gcm', key, encodeNonce(n, iv));
  decipher.setAAD(ad);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LEN));
  const plaintext = decipher.update(body);
  decipher.final();
  return plain(plaintext);
}

/** Same memory, seen as a plain Uint8Array so callers never meet Buffer's differing slice semantics. */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Runs synchronous work behind the async interface; a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
