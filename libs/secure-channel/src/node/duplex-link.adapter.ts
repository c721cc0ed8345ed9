import type { Duplex } from 'node:stream';
import type { ByteLink } from '../link/byte-link.js';
import { LinkEvents } from '../link/link-events.js';
import type { SocketReads } from './socket-reads.js';

export interface DuplexLinkOptions {
  /**
   * Bytes the link may hold in the stream's write buffer before `write` waits for 'drain'. Above the
   * stream's own high-water mark (16 KiB for a net.Socket, less than one 64 KiB frame) so the sender
   * keeps encrypting while the kernel buffer empties. Default 1 MiB.
   */
  readonly writeBufferBytes?: number;
  /** The socket was dialled with these reads' `onread`: data comes from them, not from 'data' events. */
  readonly reads?: SocketReads;
  /** Bytes the previous owner read past its own part (e.g. ciphertext behind the relay's reply). */
  readonly initial?: Uint8Array;
}

export const DEFAULT_WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * ByteLink over any Node Duplex (net.Socket, tls.TLSSocket, stream pairs). Writes made in the same
 * tick are corked together and reach the stream as one writev (one syscall on a socket).
 */
export function createDuplexLink(stream: Duplex, options: DuplexLinkOptions = {}): ByteLink {
  const reads = options.reads;
  const events = new LinkEvents(reads !== undefined);
  const writer = new CorkedWriter(stream, events, options.writeBufferBytes ?? DEFAULT_WRITE_BUFFER_BYTES);
  let lastError: Error | undefined;
  if (options.initial) events.emitData(options.initial);
  if (reads) reads.listen((bytes) => events.emitData(bytes));
  else stream.on('data', (chunk: Buffer) => events.emitData(chunk));
  // A stream its previous owner paused (to hand it over with bytes unshifted) stays paused otherwise.
  stream.resume();
  stream.on('error', (error: Error) => (lastError = error));
  stream.on('end', () => {
    events.emitClose(lastError);
    stream.end();
  });
  stream.on('close', () =>
    events.emitClose(lastError ?? (stream.readableEnded ? undefined : new Error('link reset'))),
  );
  return {
    reusesReadBuffers: reads !== undefined,
    write: (bytes) => writer.write([bytes]),
    writev: (chunks) => writer.write(chunks),
    onData: (handler) => events.setDataHandler(handler),
    onClose: (handler) => events.setCloseHandler(handler),
    close(error) {
      if (events.closed) return;
      events.emitClose(error);
      if (error) stream.destroy();
      else stream.end();
    },
  };
}

class CorkedWriter {
  private corked = false;
  private drain: Promise<void> | null = null;

  constructor(
    private readonly stream: Duplex,
    private readonly events: LinkEvents,
    private readonly bufferBytes: number,
  ) {}

  write(chunks: readonly Uint8Array[]): Promise<void> {
    const stream = this.stream;
    if (this.events.closed || stream.destroyed) return Promise.reject(new Error('link closed'));
    if (!this.corked) {
      this.corked = true;
      stream.cork();
      process.nextTick(() => this.uncork());
    }
    for (const chunk of chunks) stream.write(chunk);
    // writableNeedDrain: a write went over the stream's own mark, so 'drain' is sure to come.
    if (stream.writableLength < this.bufferBytes || !stream.writableNeedDrain) return Promise.resolve();
    this.drain ??= drained(stream).finally(() => (this.drain = null));
    return this.drain;
  }

  private uncork(): void {
    this.corked = false;
    this.stream.uncork();
  }
}

/** Resolves on 'drain'; rejects if the stream closes first. */
function drained(stream: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      if (stream.destroyed) reject(new Error('link closed'));
      else resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
