export * from './crypto/crypto-backend.js';
export { createWebCryptoBackend } from './crypto/webcrypto.backend.js';
export { CipherState } from './noise/cipher-state.js';
export { HandshakeState, type HandshakeOptions, type HandshakeResult } from './noise/handshake-state.js';
export { HANDSHAKE_PATTERNS, type HandshakePatternName, protocolName } from './noise/handshake-patterns.js';
