export * from './bus.client.js';
export * from './bus.module.js';
export * from './bus-error.js';
export * from './domain-rpc.filter.js';
export * from './in-process.hub.js';
export * from './in-process.client.js';
export * from './in-process.server.js';
export * from './connect-bus.js';
