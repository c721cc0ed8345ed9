import type { RelayReply } from '@hostlink/protocol';

/**
 * One side of a relayed connection, whatever carries it (TCP or WebSocket). Before pairing a leg speaks
 * the relay's tiny hello/reply protocol; after it, it is a byte pipe with flow control.
 */
export interface Leg {
  readonly transport: 'tcp' | 'ws';
  readonly closed: boolean;
  reply(reply: RelayReply): void;
  /** Sends an error reply if the leg can still take one, then closes it. */
  fail(code: string, message: string): void;
  /** Writes bytes; false asks the writer to pause until `onDrain`. */
  write(chunk: Buffer): boolean;
  onData(listener: (chunk: Buffer) => void): void;
  onDrain(listener: () => void): void;
  /** Called once when the leg ends for any reason (peer end, error, close). */
  onClose(listener: () => void): void;
  pause(): void;
  resume(): void;
  /** Ends the leg after what was written has been flushed. */
  end(): void;
  destroy(): void;
}
