export * from './poll.module.js';
export { type PollOptions } from './poll.options.js';
export { PollSocketServer } from './socket/poll-socket.server.js';
