import { type Aead, type CryptoBackend, MAX_NONCE, TAG_LEN, totalLength } from '../crypto/crypto-backend.js';

const EMPTY = new Uint8Array(0);

/** Noise CipherState (spec rev 34, section 5.1) without Rekey, which none of our patterns use. */
export class CipherState {
  private aead: Aead | null = null;
  private nonce = 0;

  constructor(private readonly backend: CryptoBackend) {}

  async initializeKey(key: Uint8Array | null): Promise<void> {
    this.aead = key === null ? null : await this.backend.createAead(key);
    this.nonce = 0;
  }

  hasKey(): boolean {
    return this.aead !== null;
  }

  /** The nonce is taken synchronously so concurrent callers never share one. */
  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    if (this.aead === null) return Promise.resolve(plaintext);
    return this.aead.encrypt(this.takeNonce(), ad, plaintext);
  }

  async decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    if (this.aead === null) return ciphertext;
    if (ciphertext.length < TAG_LEN) throw new Error('Noise message shorter than its tag');
    const plaintext = await this.aead.decrypt(this.nonce, ad, ciphertext);
    this.takeNonce();
    return plaintext;
  }

  /**
   * Encrypts the concatenation of `parts` as one message, synchronously and without joining them,
   * when the back end can (node:crypto); returns null when it cannot, leaving the nonce untouched.
   */
  encryptPartsSync(parts: readonly Uint8Array[]): Uint8Array[] | null {
    if (this.aead === null) return [...parts];
    if (!this.aead.encryptPartsSync) return null;
    return this.aead.encryptPartsSync(this.takeNonce(), EMPTY, parts);
  }

  /** Decrypts one message given in pieces, like encryptPartsSync; throws when authentication fails. */
  decryptPartsSync(parts: readonly Uint8Array[]): Uint8Array[] | null {
    if (this.aead === null) return [...parts];
    if (!this.aead.decryptPartsSync) return null;
    if (totalLength(parts) < TAG_LEN) throw new Error('Noise message shorter than its tag');
    const plaintext = this.aead.decryptPartsSync(this.nonce, EMPTY, parts);
    this.takeNonce();
    return plaintext;
  }

  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.encryptWithAd(EMPTY, plaintext);
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.decryptWithAd(EMPTY, ciphertext);
  }

  private takeNonce(): number {
    if (this.nonce >= MAX_NONCE) throw new Error('Noise nonce exhausted');
    return this.nonce++;
  }
}
