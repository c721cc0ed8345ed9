export { createNodeCryptoBackend } from './node-crypto.backend.js';
