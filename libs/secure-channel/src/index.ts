export * from './crypto/crypto-backend.js';
export { createWebCryptoBackend } from './crypto/webcrypto.backend.js';
export { CipherState } from './noise/cipher-state.js';
export { HandshakeState, type HandshakeOptions, type HandshakeResult } from './noise/handshake-state.js';
export { HANDSHAKE_PATTERNS, type HandshakePatternName, protocolName } from './noise/handshake-patterns.js';
export * from './secure-channel.exception.js';
export type { ByteLink } from './link/byte-link.js';
export { createMemoryLinkPair, type MemoryLinkOptions } from './link/memory-link.js';
export {
  createWebSocketLink,
  type WebSocketLike,
  type WebSocketLinkOptions,
} from './link/websocket-link.adapter.js';
export { FRAME_HEADER_LEN, MAX_FRAME_BODY } from './channel/frame-decoder.js';
export { SecureChannel, MAX_CHANNEL_MESSAGE, type SecureChannelInfo } from './channel/secure-channel.js';
export {
  initiateChannel,
  acceptChannel,
  HOSTLINK_PROLOGUE,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  type InitiateChannelOptions,
  type AcceptChannelOptions,
} from './channel/channel-handshake.js';
export { StreamMux } from './mux/stream-mux.js';
export { MuxStream, INITIAL_STREAM_WINDOW, MAX_STREAM_WINDOW, MAX_DATA_PAYLOAD } from './mux/mux-stream.js';
export { MuxFrameType, MUX_HEADER_LEN } from './mux/mux-frame.codec.js';
export { writeHeader, readHeader, MAX_HEADER_BYTES } from './mux/stream-header.js';
