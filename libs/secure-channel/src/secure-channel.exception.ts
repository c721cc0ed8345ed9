export enum SecureChannelErrorCode {
  /** Tampered or malformed bytes on the wire (a link cut inside a frame is `Closed`). */
  Integrity = 'integrity',
  HandshakeFailed = 'handshake-failed',
  HandshakeTimeout = 'handshake-timeout',
  Closed = 'closed',
  /** The authenticated peer broke the multiplexer rules. */
  MuxProtocol = 'mux-protocol',
  StreamReset = 'stream-reset',
  HeaderTooLarge = 'header-too-large',
  HeaderInvalid = 'header-invalid',
}

export class SecureChannelError extends Error {
  constructor(
    readonly code: SecureChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecureChannelError';
  }
}

/** Distinct class so callers can tell an attack or corrupting relay from an ordinary disconnect. */
export class ChannelIntegrityError extends SecureChannelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SecureChannelErrorCode.Integrity, message, options);
    this.name = 'ChannelIntegrityError';
  }
}
