export { createNodeCryptoBackend } from './node-crypto.backend.js';
export { createDuplexLink } from './duplex-link.adapter.js';
