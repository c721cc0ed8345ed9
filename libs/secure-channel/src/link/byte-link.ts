/**
 * A reliable, ordered byte pipe that does not preserve write boundaries (TCP, a WebSocket behind the
 * relay). Adapters buffer data and close events that arrive before handlers are registered.
 */
export interface ByteLink {
  /**
   * Resolves when the link can take more (backpressure); rejects once the link is closed. The channel
   * issues the next write (or writev) only after the previous one resolved.
   */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Optional: writes `chunks` back to back as if concatenated, without joining them first (writev).
   * Same promise as `write`. Callers fall back to one `write` of the joined bytes when it is missing.
   */
  writev?(chunks: readonly Uint8Array[]): Promise<void>;
  onData(handler: (bytes: Uint8Array) => void): void;
  /**
   * True when the bytes given to the data handler are a view into a buffer the next read overwrites:
   * whoever keeps any of them past the call must copy them (a socket read into one reused buffer saves
   * an allocation per read, and with it most of a download's garbage collection).
   */
  readonly reusesReadBuffers?: boolean;
  /** Called once; `error` is undefined for a clean close. */
  onClose(handler: (error?: Error) => void): void;
  close(error?: Error): void;
}
