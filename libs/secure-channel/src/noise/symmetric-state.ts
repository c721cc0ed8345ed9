import { type CryptoBackend, HASH_LEN, concatBytes } from '../crypto/crypto-backend.js';
import { CipherState } from './cipher-state.js';

/** Noise SymmetricState (spec rev 34, section 5.2) for SHA-256 and a 32-byte cipher key. */
export class SymmetricState {
  private chainingKey: Uint8Array = new Uint8Array(HASH_LEN);
  private hash: Uint8Array = new Uint8Array(HASH_LEN);
  readonly cipher: CipherState;

  private constructor(private readonly backend: CryptoBackend) {
    this.cipher = new CipherState(backend);
  }

  static async initialize(backend: CryptoBackend, protocolName: string): Promise<SymmetricState> {
    const state = new SymmetricState(backend);
    const name = new TextEncoder().encode(protocolName);
    if (name.length <= HASH_LEN) state.hash.set(name);
    else state.hash = await backend.sha256(name);
    state.chainingKey = Uint8Array.from(state.hash);
    return state;
  }

  handshakeHash(): Uint8Array {
    return Uint8Array.from(this.hash);
  }

  async mixKey(inputKeyMaterial: Uint8Array): Promise<void> {
    const [chainingKey, tempKey] = await this.hkdf(inputKeyMaterial);
    this.chainingKey = chainingKey;
    await this.cipher.initializeKey(tempKey);
  }

  async mixHash(data: Uint8Array): Promise<void> {
    this.hash = await this.backend.sha256(concatBytes([this.hash, data]));
  }

  async encryptAndHash(plaintext: Uint8Array): Promise<Uint8Array> {
    const ciphertext = await this.cipher.encryptWithAd(this.hash, plaintext);
    await this.mixHash(ciphertext);
    return ciphertext;
  }

  async decryptAndHash(ciphertext: Uint8Array): Promise<Uint8Array> {
    const plaintext = await this.cipher.decryptWithAd(this.hash, ciphertext);
    await this.mixHash(ciphertext);
    return plaintext;
  }

  /** Returns [initiator-to-responder, responder-to-initiator] cipher states. */
  async split(): Promise<[CipherState, CipherState]> {
    const [key1, key2] = await this.hkdf(new Uint8Array(0));
    const first = new CipherState(this.backend);
    const second = new CipherState(this.backend);
    await first.initializeKey(key1);
    await second.initializeKey(key2);
    return [first, second];
  }

  /** HKDF with two outputs as Noise defines it (section 4.3); the third output only serves PSK modes. */
  private async hkdf(inputKeyMaterial: Uint8Array): Promise<[Uint8Array, Uint8Array]> {
    const tempKey = await this.backend.hmacSha256(this.chainingKey, inputKeyMaterial);
    const output1 = await this.backend.hmacSha256(tempKey, Uint8Array.of(1));
    const output2 = await this.backend.hmacSha256(tempKey, concatBytes([output1, Uint8Array.of(2)]));
    return [output1, output2];
  }
}
