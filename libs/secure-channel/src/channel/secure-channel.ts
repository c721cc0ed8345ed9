import { TAG_LEN } from '../crypto/crypto-backend.js';
import type { HandshakeResult } from '../noise/handshake-state.js';
import {
  ChannelIntegrityError,
  SecureChannelError,
  SecureChannelErrorCode,
} from '../secure-channel.exception.js';
import { MAX_FRAME_BODY } from './frame-decoder.js';
import type { FramedLink } from './framed-link.js';

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
  private sendChain: Promise<void> = Promise.resolve();
  private receiveChain: Promise<void> = Promise.resolve();
  private messageHandler: ((message: Uint8Array) => void) | null = null;
  private inbox: Uint8Array[] = [];
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
    framed.onFrame((frame) => this.enqueueDecrypt(frame));
    framed.onClose((error) => this.finish(error));
  }

  get closed(): boolean {
    return this.closeState !== null;
  }

  /** Sends `message`, split into several messages when longer than MAX_CHANNEL_MESSAGE. */
  send(message: Uint8Array): Promise<void> {
    if (this.closeState) return Promise.reject(this.closedError());
    let last: Promise<void> = Promise.resolve();
    for (let offset = 0; offset < message.length || offset === 0; offset += MAX_CHANNEL_MESSAGE) {
      last = this.sendOne(message.subarray(offset, offset + MAX_CHANNEL_MESSAGE));
      if (message.length === 0) break;
    }
    return last;
  }

  /** One handler; messages received before it is set are held for it. */
  onMessage(handler: (message: Uint8Array) => void): void {
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

  private sendOne(plaintext: Uint8Array): Promise<void> {
    // Encrypt and write in one chain so frames leave in nonce order.
    const sent = this.sendChain.then(async () => {
      if (this.closeState) throw this.closedError();
      await this.framed.writeFrame(await this.keys.send.encrypt(plaintext));
    });
    this.sendChain = sent.catch(() => undefined);
    return sent;
  }

  private enqueueDecrypt(frame: Uint8Array): void {
    this.receiveChain = this.receiveChain.then(() => this.decrypt(frame));
  }

  private async decrypt(frame: Uint8Array): Promise<void> {
    if (this.closeState) return;
    let message: Uint8Array;
    try {
      message = await this.keys.receive.decrypt(frame);
    } catch (cause) {
      this.close(new ChannelIntegrityError('channel message failed authentication', { cause }));
      return;
    }
    if (this.closeState) return;
    if (this.messageHandler) this.messageHandler(message);
    else this.inbox.push(message);
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
