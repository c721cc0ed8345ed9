import { MAX_CHANNEL_MESSAGE } from '../channel/secure-channel.js';
import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';
import {
  MUX_HEADER_LEN,
  type MuxFrame,
  MuxFrameType,
  protocolError,
  windowPayload,
} from './mux-frame.codec.js';

import { INITIAL_STREAM_WINDOW, ReceiveWindow } from './receive-window.js';

export { INITIAL_STREAM_WINDOW, MAX_STREAM_WINDOW } from './receive-window.js';
export const MAX_DATA_PAYLOAD = MAX_CHANNEL_MESSAGE - MUX_HEADER_LEN;

export interface MuxStreamHost {
  sendFrame(frame: MuxFrame): Promise<void>;
  release(stream: MuxStream): void;
}

/**
 * One bidirectional byte stream. Reading pulls chunks in order; credit goes back to the peer only as
 * chunks are read, so a reader that stops holds at most one window of data and stalls only its writer
 * (see ReceiveWindow for how the window grows for readers that keep up).
 */
export class MuxStream implements AsyncIterable<Uint8Array> {
  private sendCredit = INITIAL_STREAM_WINDOW;
  private receiveAllowance = INITIAL_STREAM_WINDOW;
  private readonly receiveWindow = new ReceiveWindow();
  private readonly readQueue: Uint8Array[] = [];
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;
  private writeChain: Promise<void> = Promise.resolve();
  private localEnded = false;
  private remoteEnded = false;
  private readError: Error | null = null;
  private writeError: Error | null = null;

  constructor(
    readonly id: number,
    private readonly host: MuxStreamHost,
  ) {}

  /** Resolves once the bytes are handed to the link; do not modify `bytes` before then. */
  write(bytes: Uint8Array): Promise<void> {
    return this.chain(() => this.writeNow(bytes));
  }

  /** Half-closes: the peer reads the end of the stream after all data written so far. */
  end(): Promise<void> {
    return this.chain(async () => {
      this.localEnded = true;
      await this.host.sendFrame({ type: MuxFrameType.Fin, streamId: this.id, payload: new Uint8Array(0) });
      this.releaseIfDone();
    });
  }

  /** Aborts both directions; pending and future reads and writes fail with StreamReset. */
  reset(reason = 'reset'): void {
    if (this.readError && this.writeError) return;
    const payload = new TextEncoder().encode(reason.slice(0, 1024));
    void this.host.sendFrame({ type: MuxFrameType.Reset, streamId: this.id, payload });
    this.fail(new SecureChannelError(SecureChannelErrorCode.StreamReset, `stream reset locally: ${reason}`));
  }

  /** Next chunk, or null at the end of the stream. */
  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.readError) throw this.readError;
      const chunk = this.readQueue.shift();
      if (chunk) {
        this.consumed(chunk.length);
        return chunk;
      }
      if (this.remoteEnded) return null;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  /** Puts bytes back in front of the read queue (e.g. body bytes read along with a header). */
  unshift(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.readQueue.unshift(bytes);
    this.receiveWindow.returned(bytes.length);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }

  handleData(payload: Uint8Array): void {
    if (this.remoteEnded) throw protocolError(`data after FIN on stream ${this.id}`);
    if (payload.length > this.receiveAllowance) throw protocolError(`stream ${this.id} overran its window`);
    this.receiveAllowance -= payload.length;
    if (this.readError || payload.length === 0) return;
    this.readQueue.push(payload);
    this.wake();
  }

  handleWindow(increment: number): void {
    this.sendCredit += increment;
    this.wake();
  }

  handleFin(): void {
    if (this.remoteEnded) throw protocolError(`duplicate FIN on stream ${this.id}`);
    this.remoteEnded = true;
    this.wake();
    this.releaseIfDone();
  }

  handleReset(reason: Uint8Array): void {
    const text = new TextDecoder().decode(reason);
    this.fail(new SecureChannelError(SecureChannelErrorCode.StreamReset, `stream reset by peer: ${text}`));
  }

  /** The channel went away: whatever was not finished cannot finish. */
  handleChannelClosed(error: Error): void {
    if (!this.remoteEnded) this.readError ??= error;
    if (!this.localEnded) this.writeError ??= error;
    this.wake();
  }

  private fail(error: Error): void {
    this.readError ??= error;
    this.writeError ??= error;
    this.readQueue.length = 0;
    this.wake();
    this.host.release(this);
  }

  private chain(work: () => Promise<void>): Promise<void> {
    const done = this.writeChain.then(() => {
      if (this.writeError) throw this.writeError;
      if (this.localEnded)
        throw new SecureChannelError(SecureChannelErrorCode.Closed, 'stream already ended');
      return work();
    });
    this.writeChain = done.catch(() => undefined);
    return done;
  }

  private async writeNow(bytes: Uint8Array): Promise<void> {
    let last: Promise<void> = Promise.resolve();
    for (let offset = 0; offset < bytes.length;) {
      while (this.sendCredit === 0 && !this.writeError) {
        await new Promise<void>((resolve) => (this.wakeWriter = resolve));
      }
      if (this.writeError) throw this.writeError;
      const length = Math.min(this.sendCredit, MAX_DATA_PAYLOAD, bytes.length - offset);
      this.sendCredit -= length;
      const payload = bytes.subarray(offset, offset + length);
      last = this.host.sendFrame({ type: MuxFrameType.Data, streamId: this.id, payload });
      offset += length;
    }
    await last;
  }

  private consumed(length: number): void {
    if (this.remoteEnded) return;
    const increment = this.receiveWindow.consumed(length, this.readQueue.length === 0);
    if (increment === 0) return;
    this.receiveAllowance += increment;
    void this.host.sendFrame({
      type: MuxFrameType.Window,
      streamId: this.id,
      payload: windowPayload(increment),
    });
  }

  private wake(): void {
    const reader = this.wakeReader;
    const writer = this.wakeWriter;
    this.wakeReader = this.wakeWriter = null;
    reader?.();
    writer?.();
  }

  private releaseIfDone(): void {
    if (this.localEnded && this.remoteEnded) this.host.release(this);
  }
}
