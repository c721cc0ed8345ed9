import { Logger } from '@nestjs/common';
import {
  canSpliceInKernel,
  detachReads,
  flushed,
  kernelSpliceUnavailable,
  startKernelSplice,
} from './kernel-splice.js';
import type { TcpLeg } from './tcp-leg.js';

/** How often the kernel splice's byte counters are folded into the metrics while it runs. */
const COUNTER_INTERVAL_MS = 1000;

const logger = new Logger('RelaySplice');
let fallbackLogged = false;

type Count = (bytes: number) => void;

/**
 * TCP to TCP: splice(2) in the kernel when the addon is there (the bytes never enter the process), the
 * streams' own pipe otherwise.
 */
export function spliceTcp(client: TcpLeg, agent: TcpLeg, toAgent: Count, toClient: Count): void {
  const unavailable = kernelSpliceUnavailable();
  if (unavailable === undefined && canSpliceInKernel(client.socket) && canSpliceInKernel(agent.socket))
    return void spliceInKernel(client, agent, toAgent, toClient);
  if (unavailable !== undefined && !fallbackLogged) {
    fallbackLogged = true;
    logger.warn({ msg: 'kernel splice unavailable, TCP legs use the stream pipe', reason: unavailable });
  }
  pipeSockets(client, agent, toAgent, toClient);
}

async function spliceInKernel(client: TcpLeg, agent: TcpLeg, toAgent: Count, toClient: Count): Promise<void> {
  const [a, b] = [client.socket, agent.socket];
  // Through the legs: once handed over, destroying a leg stops the splice, which then destroys both.
  const destroyBoth = () => {
    client.destroy();
    agent.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  // What Node already read (bytes sent right behind a hello) goes first, and the replies must be out:
  // from here on the splice thread alone reads and writes these fds.
  const [earlyToAgent, earlyToClient] = [detachReads(a), detachReads(b)];
  try {
    await Promise.all([flushed(b, earlyToAgent), flushed(a, earlyToClient)]);
  } catch {
    return destroyBoth();
  }
  toAgent(earlyToAgent.length);
  toClient(earlyToClient.length);
  if (a.destroyed || b.destroyed) return destroyBoth();
  let reported: [number, number] = [0, 0];
  const report = () => {
    const moved = running.counters();
    toAgent(moved[0] - reported[0]);
    toClient(moved[1] - reported[1]);
    reported = moved;
  };
  let running: ReturnType<typeof startKernelSplice>;
  try {
    running = startKernelSplice(a, b, (error) => {
      clearInterval(timer);
      report();
      // A reset on one side is passed on as a reset, so the other peer sees the session broke.
      const close = error === null || error === 'stopped' ? 'destroy' : 'resetAndDestroy';
      a[close]();
      b[close]();
    });
  } catch (error) {
    logger.error({ msg: 'kernel splice failed to start', error: String(error) });
    return destroyBoth();
  }
  const timer = setInterval(report, COUNTER_INTERVAL_MS);
  const stop = () => running.stop();
  client.handOver(stop);
  agent.handOver(stop);
}

/** The streams' own pipe does backpressure with no extra work per chunk but counting. */
function pipeSockets(client: TcpLeg, agent: TcpLeg, toAgent: Count, toClient: Count): void {
  const [a, b] = [client.socket, agent.socket];
  a.on('data', (chunk: Buffer) => toAgent(chunk.length));
  b.on('data', (chunk: Buffer) => toClient(chunk.length));
  a.pipe(b);
  b.pipe(a);
  const destroyBoth = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  // pipe() ends the writer when the reader ends; a reset must tear the other side down too.
  a.once('close', () => b.end());
  b.once('close', () => a.end());
  a.resume();
  b.resume();
}
