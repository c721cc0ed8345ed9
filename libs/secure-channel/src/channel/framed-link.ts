import type { ByteLink } from '../link/byte-link.js';
import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';
import { concatBytes, totalLength } from '../crypto/crypto-backend.js';
import { FrameDecoder, encodeFrame, encodeFrameHeader } from './frame-decoder.js';

type Waiter = { resolve: (frame: Uint8Array) => void; reject: (error: Error) => void };
/** A frame body as views into the received chunks (usually one piece, two when it straddled reads). */
export type FramePieces = Uint8Array[];

/**
 * A ByteLink seen as a sequence of frames. Frames wait in a queue until someone pulls them
 * (`nextFrame`, during the handshake) or a handler takes over (`onFrame`, once the channel is up),
 * so nothing that arrives between the two is lost. A frame handler must be done with a frame's pieces
 * when it returns (the secure channel decrypts at once): on a link that reuses its read buffer they are
 * views into it, and only frames held for later are copied.
 */
export class FramedLink {
  private readonly decoder = new FrameDecoder();
  private queue: FramePieces[] = [];
  private waiter: Waiter | null = null;
  private frameHandler: ((frame: FramePieces) => void) | null = null;
  private closeHandler: ((error?: Error) => void) | null = null;
  private closeState: { error?: Error } | null = null;

  private readonly reusedReads: boolean;

  constructor(private readonly link: ByteLink) {
    this.reusedReads = link.reusesReadBuffers ?? false;
    link.onData((bytes) => this.receive(bytes));
    link.onClose((error) => this.linkClosed(error));
  }

  get closed(): boolean {
    return this.closeState !== null;
  }

  writeFrame(body: Uint8Array): Promise<void> {
    if (this.closeState) return Promise.reject(closedError(this.closeState.error));
    return this.link.write(encodeFrame(body));
  }

  /** Writes one frame whose body is the concatenation of `parts`, without joining them when the link can. */
  writeFrameParts(parts: readonly Uint8Array[]): Promise<void> {
    if (this.closeState) return Promise.reject(closedError(this.closeState.error));
    if (!this.link.writev) return this.link.write(encodeFrame(concatBytes(parts)));
    return this.link.writev([encodeFrameHeader(totalLength(parts)), ...parts]);
  }

  nextFrame(): Promise<Uint8Array> {
    const frame = this.queue.shift();
    if (frame) return Promise.resolve(joined(frame));
    if (this.closeState) return Promise.reject(closedError(this.closeState.error));
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  onFrame(handler: (frame: FramePieces) => void): void {
    this.frameHandler = handler;
    const queued = this.queue;
    this.queue = [];
    for (const frame of queued) handler(frame);
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    if (this.closeState) handler(this.closeState.error);
  }

  close(error?: Error): void {
    if (this.finish(error)) this.link.close(error);
  }

  private receive(bytes: Uint8Array): void {
    if (this.closeState) return;
    let frames: FramePieces[];
    try {
      frames = this.decoder.push(bytes);
    } catch (error) {
      this.close(error as Error);
      return;
    }
    for (const frame of frames) this.deliver(frame);
    if (this.reusedReads) this.decoder.detach();
  }

  private deliver(frame: FramePieces): void {
    if (this.closeState) return;
    if (this.frameHandler) this.frameHandler(frame);
    // Frames given out after this call are copied out of a reused read buffer (concatBytes copies).
    else if (this.waiter) this.takeWaiter().resolve(this.reusedReads ? concatBytes(frame) : joined(frame));
    else this.queue.push(this.reusedReads ? [concatBytes(frame)] : frame);
  }

  /**
   * A link that ends inside a frame was cut (a relay killed, a network gone): a lost connection, which a
   * client may retry and resume, not tampering. Nothing of the cut frame is delivered, so no unverified
   * byte gets through either way; forged or altered bytes still fail authentication as integrity errors.
   */
  private linkClosed(error?: Error): void {
    const cut = !error && this.decoder.hasPartialFrame();
    this.finish(
      cut ? new SecureChannelError(SecureChannelErrorCode.Closed, 'link closed inside a frame') : error,
    );
  }

  private finish(error?: Error): boolean {
    if (this.closeState) return false;
    this.closeState = error ? { error } : {};
    if (this.waiter) this.takeWaiter().reject(closedError(error));
    this.closeHandler?.(error);
    return true;
  }

  private takeWaiter(): Waiter {
    const waiter = this.waiter!;
    this.waiter = null;
    return waiter;
  }
}

function joined(pieces: FramePieces): Uint8Array {
  return pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
}

function closedError(cause?: Error): Error {
  if (cause instanceof SecureChannelError) return cause;
  return new SecureChannelError(SecureChannelErrorCode.Closed, 'link closed', { cause });
}
