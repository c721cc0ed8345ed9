export * from './key-ring.service.js';
export * from './opaque-token.js';
export * from './token-keys.module.js';
export * from './token-keys.options.js';
export * from './token.signer.js';
