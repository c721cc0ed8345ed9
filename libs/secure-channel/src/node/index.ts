export { createNodeCryptoBackend } from './node-crypto.backend.js';
export { SocketReads, SOCKET_READ_BUFFER_BYTES } from './socket-reads.js';
export {
  createDuplexLink,
  DEFAULT_WRITE_BUFFER_BYTES,
  type DuplexLinkOptions,
} from './duplex-link.adapter.js';
