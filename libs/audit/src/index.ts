export * from './audit.module.js';
export * from './audit.repository.js';
