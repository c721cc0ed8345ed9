import type { OnReadOpts } from 'node:net';

/** The one buffer a socket reads into: each read takes up to this much of what the kernel holds. */
export const SOCKET_READ_BUFFER_BYTES = 256 * 1024;

/**
 * A dialled socket's reads into one reused buffer (net's `onread`, given to `net.connect`), handed to
 * whoever listens now: the dialler's own step first (e.g. the relay's pairing reply), then the link.
 * Every read otherwise allocates a fresh buffer, and on a download those allocations are what makes V8
 * run full garbage collections every few dozen MiB. Listeners get a view valid only during the call.
 */
export class SocketReads {
  /** Copies of what arrived before anyone listened. */
  private early: Uint8Array[] = [];
  private listener: (bytes: Uint8Array) => void = (bytes) => this.early.push(bytes.slice());

  readonly onread: OnReadOpts = {
    buffer: Buffer.allocUnsafe(SOCKET_READ_BUFFER_BYTES),
    callback: (bytesRead, buffer) => {
      this.listener(buffer.subarray(0, bytesRead));
      return true;
    },
  };

  listen(listener: (bytes: Uint8Array) => void): void {
    this.listener = listener;
    for (const bytes of this.early.splice(0)) listener(bytes);
  }
}
