export * from './cli-runner.js';
export * from './embedded-stack.js';
export * from './expect-eventually.js';
export * from './file-tree.js';
export * from './hashing.js';
export * from './processes.js';
export * from './repo-root.js';
