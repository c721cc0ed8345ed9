export * from './presence.store.js';
