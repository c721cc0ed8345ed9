import {
  type Aead,
  type CryptoBackend,
  type KeyPair,
  encodeNonce,
  isAllZero,
  pkcs8FromRawPrivateKey,
  assertKeyLength,
} from './crypto-backend.js';

/** WebCrypto back end: browsers and Node 20 (globalThis.crypto.subtle supports X25519 in both). */
export function createWebCryptoBackend(subtle: SubtleCrypto = globalThis.crypto.subtle): CryptoBackend {
  return {
    name: 'webcrypto',
    generateKeyPair: () => generateKeyPair(subtle),
    keyPairFromPrivateKey: (privateKey) => keyPairFromPrivateKey(subtle, privateKey),
    dh: (privateKey, publicKey) => dh(subtle, privateKey, publicKey),
    createAead: (key) => createAead(subtle, key),
    sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', buf(data))),
    hmacSha256: (key, data) => hmacSha256(subtle, key, data),
  };
}

const X25519 = { name: 'X25519' } as const;

async function generateKeyPair(subtle: SubtleCrypto): Promise<KeyPair> {
  const pair = (await subtle.generateKey(X25519, true, ['deriveBits'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const jwk = await subtle.exportKey('jwk', pair.privateKey);
  return { publicKey, privateKey: base64UrlDecode(jwk.d ?? '') };
}

async function keyPairFromPrivateKey(subtle: SubtleCrypto, privateKey: Uint8Array): Promise<KeyPair> {
  const key = await subtle.importKey('pkcs8', buf(pkcs8FromRawPrivateKey(privateKey)), X25519, true, [
    'deriveBits',
  ]);
  const jwk = await subtle.exportKey('jwk', key);
  return { publicKey: base64UrlDecode(jwk.x ?? ''), privateKey: Uint8Array.from(privateKey) };
}

async function dh(subtle: SubtleCrypto, privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  assertKeyLength(publicKey, 'public');
  const priv = await subtle.importKey('pkcs8', buf(pkcs8FromRawPrivateKey(privateKey)), X25519, false, [
    'deriveBits',
  ]);
  const pub = await subtle.importKey('raw', buf(publicKey), X25519, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, priv, 256));
  if (isAllZero(shared)) throw new Error('X25519 produced an all-zero shared secret');
  return shared;
}

async function createAead(subtle: SubtleCrypto, rawKey: Uint8Array): Promise<Aead> {
  const key = await subtle.importKey('raw', buf(rawKey), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const params = (n: number, ad: Uint8Array): AesGcmParams => ({
    name: 'AES-GCM',
    iv: buf(encodeNonce(n, new Uint8Array(12))),
    additionalData: buf(ad),
    tagLength: 128,
  });
  return {
    encrypt: async (n, ad, plaintext) =>
      new Uint8Array(await subtle.encrypt(params(n, ad), key, buf(plaintext))),
    decrypt: async (n, ad, ciphertext) =>
      new Uint8Array(await subtle.decrypt(params(n, ad), key, buf(ciphertext))),
  };
}

async function hmacSha256(subtle: SubtleCrypto, rawKey: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', buf(rawKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', key, buf(data)));
}

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** WebCrypto's typings refuse views that might sit on a SharedArrayBuffer; copy only in that case. */
function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : Uint8Array.from(bytes);
}
