import type { CryptoBackend } from '../crypto/crypto-backend.js';
import { createWebCryptoBackend } from '../crypto/webcrypto.backend.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';

export const BACKENDS: readonly CryptoBackend[] = [createNodeCryptoBackend(), createWebCryptoBackend()];
