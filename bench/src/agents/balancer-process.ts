/**
 * One `FirstUpBalancer` as a process of its own (`node bench/dist/agents/balancer-process.js <port>...`):
 * it holds two sockets per agent, so 19,000 agents need several of them under the per-process open-file
 * limit (20,000 here), like the nodes of a Service. Prints `balancer listening <port>`.
 */
import { FirstUpBalancer } from './first-up-balancer.js';

const backends = process.argv.slice(2).map(Number);
if (backends.length === 0 || backends.some((port) => !Number.isInteger(port) || port <= 0 || port > 65535))
  throw new Error('usage: balancer-process.js <backend port>...');
const balancer = await FirstUpBalancer.start(backends);
console.log(`balancer listening ${balancer.port}`);
process.once('SIGTERM', () => void balancer.close().finally(() => process.exit(0)));
