export * from './relay.module.js';
export { type RelayOptions } from './relay.options.js';
export { RelayListener } from './listener/relay-listener.js';
