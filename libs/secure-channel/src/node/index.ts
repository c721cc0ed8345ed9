export { createNodeCryptoBackend } from './node-crypto.backend.js';
export {
  createDuplexLink,
  DEFAULT_WRITE_BUFFER_BYTES,
  type DuplexLinkOptions,
} from './duplex-link.adapter.js';
