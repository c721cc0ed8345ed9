import { type CryptoBackend, DH_LEN, type KeyPair, TAG_LEN, concatBytes } from '../crypto/crypto-backend.js';
import type { CipherState } from './cipher-state.js';
import {
  HANDSHAKE_PATTERNS,
  type HandshakePatternName,
  type Token,
  protocolName,
} from './handshake-patterns.js';
import { SymmetricState } from './symmetric-state.js';

export interface HandshakeOptions {
  readonly pattern: HandshakePatternName;
  readonly initiator: boolean;
  readonly prologue: Uint8Array;
  readonly staticKeyPair?: KeyPair;
  readonly remoteStaticPublicKey?: Uint8Array;
  /** Only for test vectors: a fixed ephemeral key instead of a fresh one. */
  readonly ephemeralKeyPair?: KeyPair;
}

export interface HandshakeResult {
  /** Cipher for messages this side sends, and for messages it receives. */
  readonly send: CipherState;
  readonly receive: CipherState;
  readonly handshakeHash: Uint8Array;
  readonly remoteStaticPublicKey: Uint8Array | null;
}

/**
 * Noise HandshakeState (spec rev 34, section 5.3) for DH 25519, AESGCM, SHA256, without PSK.
 * Hand-written: no maintained library offers Noise with AESGCM on both node:crypto and WebCrypto.
 */
export class HandshakeState {
  private messageIndex = 0;
  private localEphemeral: KeyPair | null;
  private remoteEphemeral: Uint8Array | null = null;
  private remoteStatic: Uint8Array | null;

  private constructor(
    private readonly backend: CryptoBackend,
    private readonly options: HandshakeOptions,
    private readonly symmetric: SymmetricState,
  ) {
    this.localEphemeral = options.ephemeralKeyPair ?? null;
    this.remoteStatic = options.remoteStaticPublicKey ?? null;
  }

  static async initialize(backend: CryptoBackend, options: HandshakeOptions): Promise<HandshakeState> {
    const symmetric = await SymmetricState.initialize(backend, protocolName(options.pattern));
    const state = new HandshakeState(backend, options, symmetric);
    await symmetric.mixHash(options.prologue);
    await state.mixPreMessages();
    return state;
  }

  isComplete(): boolean {
    return this.messageIndex === this.pattern().messages.length;
  }

  isMyTurn(): boolean {
    return !this.isComplete() && this.messageIndex % 2 === (this.options.initiator ? 0 : 1);
  }

  /** Known from the start (pre-message) or once the message carrying it has been read. */
  remoteStaticPublicKey(): Uint8Array | null {
    return this.remoteStatic;
  }

  async writeMessage(payload: Uint8Array): Promise<Uint8Array> {
    if (!this.isMyTurn()) throw new Error('Noise handshake: not our turn to write');
    const parts: Uint8Array[] = [];
    for (const token of this.nextTokens()) parts.push(await this.writeToken(token));
    parts.push(await this.symmetric.encryptAndHash(payload));
    return concatBytes(parts);
  }

  async readMessage(message: Uint8Array): Promise<Uint8Array> {
    if (this.isComplete() || this.isMyTurn()) throw new Error('Noise handshake: not our turn to read');
    let offset = 0;
    for (const token of this.nextTokens()) offset = await this.readToken(token, message, offset);
    return this.symmetric.decryptAndHash(message.subarray(offset));
  }

  async finish(): Promise<HandshakeResult> {
    if (!this.isComplete()) throw new Error('Noise handshake: not complete');
    const [initiatorToResponder, responderToInitiator] = await this.symmetric.split();
    const initiator = this.options.initiator;
    return {
      send: initiator ? initiatorToResponder : responderToInitiator,
      receive: initiator ? responderToInitiator : initiatorToResponder,
      handshakeHash: this.symmetric.handshakeHash(),
      remoteStaticPublicKey: this.remoteStatic,
    };
  }

  private pattern() {
    return HANDSHAKE_PATTERNS[this.options.pattern];
  }

  private nextTokens(): readonly Token[] {
    const tokens = this.pattern().messages[this.messageIndex];
    this.messageIndex++;
    return tokens ?? [];
  }

  private async mixPreMessages(): Promise<void> {
    const { initiatorPreMessage, responderPreMessage } = this.pattern();
    const initiator = this.options.initiator;
    for (const token of initiatorPreMessage)
      await this.symmetric.mixHash(this.preMessageKey(token, initiator));
    for (const token of responderPreMessage)
      await this.symmetric.mixHash(this.preMessageKey(token, !initiator));
  }

  private preMessageKey(token: 'e' | 's', local: boolean): Uint8Array {
    const key =
      token === 's' ? (local ? this.options.staticKeyPair?.publicKey : this.remoteStatic) : undefined;
    if (!key) throw new Error(`Noise ${this.options.pattern}: missing pre-message key '${token}'`);
    return key;
  }

  private async writeToken(token: Token): Promise<Uint8Array> {
    if (token === 'e') {
      this.localEphemeral ??= await this.backend.generateKeyPair();
      await this.symmetric.mixHash(this.localEphemeral.publicKey);
      return this.localEphemeral.publicKey;
    }
    if (token === 's') return this.symmetric.encryptAndHash(this.requireStatic().publicKey);
    await this.mixDh(token);
    return new Uint8Array(0);
  }

  private async readToken(token: Token, message: Uint8Array, offset: number): Promise<number> {
    if (token === 'e') {
      this.remoteEphemeral = take(message, offset, DH_LEN);
      await this.symmetric.mixHash(this.remoteEphemeral);
      return offset + DH_LEN;
    }
    if (token === 's') {
      const length = DH_LEN + (this.symmetric.cipher.hasKey() ? TAG_LEN : 0);
      this.remoteStatic = await this.symmetric.decryptAndHash(take(message, offset, length));
      return offset + length;
    }
    await this.mixDh(token);
    return offset;
  }

  /** 'es' means initiator's e with responder's s, whichever side we are. */
  private async mixDh(token: 'ee' | 'es' | 'se' | 'ss'): Promise<void> {
    const initiator = this.options.initiator;
    const [initiatorKey, responderKey] = [token[0], token[1]] as ['e' | 's', 'e' | 's'];
    const localKind = initiator ? initiatorKey : responderKey;
    const remoteKind = initiator ? responderKey : initiatorKey;
    const privateKey = localKind === 'e' ? this.localEphemeral?.privateKey : this.requireStatic().privateKey;
    const publicKey = remoteKind === 'e' ? this.remoteEphemeral : this.remoteStatic;
    if (!privateKey || !publicKey)
      throw new Error(`Noise ${this.options.pattern}: keys missing for '${token}'`);
    await this.symmetric.mixKey(await this.backend.dh(privateKey, publicKey));
  }

  private requireStatic(): KeyPair {
    if (!this.options.staticKeyPair)
      throw new Error(`Noise ${this.options.pattern}: static key pair required`);
    return this.options.staticKeyPair;
  }
}

function take(message: Uint8Array, offset: number, length: number): Uint8Array {
  if (offset + length > message.length) throw new Error('Noise handshake message too short');
  return message.subarray(offset, offset + length);
}
