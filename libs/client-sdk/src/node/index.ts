export { createNodeLinkFactory, dialDirect } from './node-link-factory.js';
export { dialRelay } from './relay-dialer.js';
export { promptSecret, readStdinText } from './terminal.js';
export { createNodeCryptoBackend } from '@hostlink/secure-channel/node';
export { spliceSocketAndStream } from './socket-splice.js';
