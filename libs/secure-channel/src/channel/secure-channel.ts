import { TAG_LEN, concatBytes, totalLength } from '../crypto/crypto-backend.js';
import type { HandshakeResult } from '../noise/handshake-state.js';
import {
  ChannelIntegrityError,
  SecureChannelError,
  SecureChannelErrorCode,
} from '../secure-channel.exception.js';
import { MAX_FRAME_BODY } from './frame-decoder.js';
import type { FramedLink, FramePieces } from './framed-link.js';

/** Largest plaintext in one channel message: a Noise message is at most 65535 bytes including its tag. */
export const MAX_CHANNEL_MESSAGE = MAX_FRAME_BODY - TAG_LEN;

export interface SecureChannelInfo {
  readonly isInitiator: boolean;
  /** The handshake payload the peer sent (IK: the initiator's in message 1, the responder's in message 2). */
  readonly remotePayload: Uint8Array;
}

/**
 * An established Noise transport: ordered, authenticated messages. Any frame that fails to decrypt
 * closes the channel with ChannelIntegrityError before anything from it is delivered.
 */
export class SecureChannel {
  readonly remoteStaticPublicKey: Uint8Array;
  readonly handshakeHash: Uint8Array;
  readonly isInitiator: boolean;
  readonly remotePayload: Uint8Array;
  private lastWrite: Promise<void> = Promise.resolve();
  private writesInFlight = 0;
  private receiveChain: Promise<void> = Promise.resolve();
  private decryptsPending = 0;
  private messageHandler: ((message: Uint8Array[]) => void) | null = null;
  private inbox: Uint8Array[][] = [];
  private readonly closeHandlers: ((error?: Error) => void)[] = [];
  private closeState: { error?: Error } | null = null;

  constructor(
    private readonly framed: FramedLink,
    private readonly keys: HandshakeResult,
    info: SecureChannelInfo,
  ) {
    this.remoteStaticPublicKey = keys.remoteStaticPublicKey ?? new Uint8Array(0);
    this.handshakeHash = keys.handshakeHash;
    this.isInitiator = info.isInitiator;
    this.remotePayload = info.remotePayload;
    framed.onFrame((frame) => this.receiveFrame(frame));
    framed.onClose((error) => this.linkClosed(error));
  }

  get closed(): boolean {
    return this.closeState !== null;
  }

  /** Sends `message`, split into several messages when longer than MAX_CHANNEL_MESSAGE. */
  send(message: Uint8Array): Promise<void> {
    if (this.closeState) return Promise.reject(this.closedError());
    let last: Promise<void> = Promise.resolve();
    for (let offset = 0; offset < message.length || offset === 0; offset += MAX_CHANNEL_MESSAGE) {
      last = this.sendParts([message.subarray(offset, offset + MAX_CHANNEL_MESSAGE)]);
      if (message.length === 0) break;
    }
    return last;
  }

  /**
   * Sends one message made of `parts` (at most MAX_CHANNEL_MESSAGE bytes in all) without joining them
   * where the back end and link allow. Messages leave in call order; the promise settles like
   * ByteLink.write (backpressure), so do not modify the parts before it does.
   */
  sendParts(parts: readonly Uint8Array[]): Promise<void> {
    if (this.closeState) return Promise.reject(this.closedError());
    if (totalLength(parts) > MAX_CHANNEL_MESSAGE)
      return Promise.reject(new RangeError(`channel message over ${MAX_CHANNEL_MESSAGE} bytes`));
    let sealed: Uint8Array[] | null;
    try {
      // A synchronous back end (node:crypto) encrypts and writes in call order with no promise between.
      sealed = this.keys.send.encryptPartsSync(parts);
    } catch (error) {
      return rejected(error);
    }
    if (sealed) return this.writeInOrder(() => this.framed.writeFrameParts(sealed));
    return this.sendAsync(concatBytes(parts));
  }

  /** One handler; messages received before it is set are held for it. */
  onMessage(handler: (message: Uint8Array) => void): void {
    this.onMessagePieces((pieces) => handler(pieces.length === 1 ? pieces[0]! : concatBytes(pieces)));
  }

  /**
   * Like onMessage (and replacing it), but each message comes as the pieces it was decrypted in
   * (usually one; more when its frame straddled two reads), so nothing is copied to join them.
   */
  onMessagePieces(handler: (message: Uint8Array[]) => void): void {
    this.messageHandler = handler;
    const inbox = this.inbox;
    this.inbox = [];
    for (const message of inbox) handler(message);
  }

  onClose(handler: (error?: Error) => void): void {
    if (this.closeState) handler(this.closeState.error);
    else this.closeHandlers.push(handler);
  }

  close(error?: Error): void {
    this.framed.close(error);
  }

  /**
   * Asynchronous back ends (WebCrypto): the nonce is taken at call time and encryption starts at once,
   * so it overlaps the previous message's write and backpressure.
   */
  private sendAsync(plaintext: Uint8Array): Promise<void> {
    let encrypted: Promise<Uint8Array>;
    try {
      encrypted = this.keys.send.encrypt(plaintext);
    } catch (error) {
      return rejected(error);
    }
    // Awaited in order below; marked handled now so an early rejection is not reported as unhandled.
    encrypted.catch(() => undefined);
    return this.writeInOrder(async () => {
      const ciphertext = await encrypted;
      if (this.closeState) throw this.closedError();
      await this.framed.writeFrame(ciphertext);
    });
  }

  /**
   * Issues link writes one at a time, in call (nonce) order: a write starts once the previous one
   * resolved, as ByteLink expects. With no write outstanding it starts at once, with no promise hop.
   */
  private writeInOrder(write: () => Promise<void>): Promise<void> {
    const written = this.writesInFlight === 0 ? write() : this.lastWrite.then(write);
    this.writesInFlight++;
    const settled = () => {
      this.writesInFlight--;
    };
    this.lastWrite = written.then(settled, settled);
    return written;
  }

  private receiveFrame(frame: FramePieces): void {
    if (this.closeState) return;
    let pieces: Uint8Array[] | null;
    try {
      pieces = this.keys.receive.decryptPartsSync(frame);
    } catch (cause) {
      this.failIntegrity(cause);
      return;
    }
    if (pieces) this.deliver(pieces);
    else this.decryptLater(concatBytes(frame));
  }

  private decryptLater(frame: Uint8Array): void {
    this.decryptsPending++;
    this.receiveChain = this.receiveChain.then(async () => {
      await this.decrypt(frame);
      this.decryptsPending--;
    });
  }

  /** A clean close still delivers frames that arrived before it and are being decrypted (WebCrypto). */
  private linkClosed(error?: Error): void {
    if (error || this.decryptsPending === 0) this.finish(error);
    else void this.receiveChain.then(() => this.finish());
  }

  private async decrypt(frame: Uint8Array): Promise<void> {
    if (this.closeState) return;
    let message: Uint8Array;
    try {
      message = await this.keys.receive.decrypt(frame);
    } catch (cause) {
      this.failIntegrity(cause);
      return;
    }
    this.deliver([message]);
  }

  private deliver(message: Uint8Array[]): void {
    if (this.closeState) return;
    if (this.messageHandler) this.messageHandler(message);
    else this.inbox.push(message);
  }

  /** Closes the link and the channel now, even when the link had already closed cleanly. */
  private failIntegrity(cause: unknown): void {
    const error = new ChannelIntegrityError('channel message failed authentication', { cause });
    this.close(error);
    this.finish(error);
  }

  private finish(error?: Error): void {
    if (this.closeState) return;
    this.closeState = error ? { error } : {};
    for (const handler of this.closeHandlers.splice(0)) handler(error);
  }

  private closedError(): Error {
    const cause = this.closeState?.error;
    if (cause instanceof SecureChannelError) return cause;
    return new SecureChannelError(SecureChannelErrorCode.Closed, 'secure channel closed', { cause });
  }
}

/** A synchronous throw (nonce exhausted) turned into the rejection callers of a send expect. */
function rejected(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
