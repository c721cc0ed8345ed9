import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createWebCryptoBackend } from '../crypto/webcrypto.backend.js';
import { randomSplit } from '../testing/channel-pair.fixture.js';
import { createNodeCryptoBackend } from './node-crypto.backend.js';

const key = randomBytes(32);
const ad = Uint8Array.of(1, 2, 3);

describe('node:crypto back end, encryption in pieces', () => {
  it('encrypts pieces exactly as the joined message, and WebCrypto agrees', async () => {
    const aead = await createNodeCryptoBackend().createAead(key);
    const web = await createWebCryptoBackend().createAead(key);
    for (const size of [0, 1, 16, 65_519]) {
      const plaintext = randomBytes(size);
      const whole = await aead.encrypt(7, ad, plaintext);
      const pieces = aead.encryptPartsSync!(7, ad, randomSplit(plaintext));
      assert.deepEqual(Buffer.concat(pieces), Buffer.from(whole));
      assert.equal(pieces.at(-1)!.length, 16, 'tag last');
      assert.deepEqual(Buffer.from(await web.decrypt(7, ad, whole)), plaintext);
    }
  });

  it('decrypts a message split anywhere, the tag included', async () => {
    const aead = await createNodeCryptoBackend().createAead(key);
    const plaintext = randomBytes(65_519);
    const ciphertext = await aead.encrypt(3, ad, plaintext);
    for (let i = 0; i < 20; i++) {
      const pieces = aead.decryptPartsSync!(3, ad, randomSplit(ciphertext));
      assert.deepEqual(Buffer.concat(pieces), plaintext);
    }
    const tail = [ciphertext.subarray(0, ciphertext.length - 5), ciphertext.subarray(ciphertext.length - 5)];
    assert.deepEqual(Buffer.concat(aead.decryptPartsSync!(3, ad, tail)), plaintext);
  });

  it('throws on a flipped bit, a wrong nonce or a message shorter than the tag', async () => {
    const aead = await createNodeCryptoBackend().createAead(key);
    const ciphertext = Uint8Array.from(await aead.encrypt(1, ad, randomBytes(100)));
    assert.throws(() => aead.decryptPartsSync!(2, ad, [ciphertext]));
    ciphertext[50]! ^= 1;
    assert.throws(() => aead.decryptPartsSync!(1, ad, randomSplit(ciphertext)));
    assert.throws(() => aead.decryptPartsSync!(1, ad, [new Uint8Array(15)]));
  });
});
