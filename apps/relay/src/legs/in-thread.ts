import { Logger } from '@nestjs/common';
import type { Socket } from 'node:net';
import { RELAY_WS_MAX_MESSAGE_BYTES } from '../relay.options.js';
import { type Framing, kernelSpliceUnavailable, startKernelSplice } from './kernel-splice.js';
import type { Leg } from './leg.js';

/** How often the thread's byte counters are folded into the metrics while it runs. */
const COUNTER_INTERVAL_MS = 1000;

const logger = new Logger('RelaySplice');

type Count = (bytes: number) => void;

/** What Node had taken off a leg before the hand-over, to be passed on first. */
export interface Taken {
  /** Raw bytes read from the socket and not yet parsed (whole or partial frames on a WebSocket leg). */
  unread: Buffer;
  /** Payloads already parsed out of it (a WebSocket leg's messages sent right behind its hello). */
  messages: Buffer[];
}

/** A leg whose socket a native thread can take over (`native/`): TCP and WebSocket legs. */
export interface ThreadedLeg extends Leg {
  /** The socket underneath, if it can be handed over now (open, backed by an fd, at a frame boundary). */
  handOverSocket(): Socket | undefined;
  /** Stops Node's reads for good and returns what they had taken off the socket. */
  detach(): Taken;
  /** Writes the partner's early payloads; resolves once everything written so far reached the kernel. */
  deliver(payloads: Buffer[]): Promise<void>;
  /** From now on `destroy` asks the thread to stop (it then destroys the socket). */
  handOver(stop: () => void): void;
}

/** Both legs, if they can be handed to a thread now: the addon is there and both sockets can go. */
export function threadable(client: Leg, agent: Leg): [ThreadedLeg, ThreadedLeg] | undefined {
  if (kernelSpliceUnavailable() !== undefined || !isThreaded(client) || !isThreaded(agent)) return undefined;
  return client.handOverSocket() && agent.handOverSocket() ? [client, agent] : undefined;
}

function isThreaded(leg: Leg): leg is ThreadedLeg {
  return 'handOverSocket' in leg;
}

/**
 * Hands a pair to a native thread: TCP to TCP is spliced in the kernel (the bytes never enter the
 * process); with a WebSocket leg, frames are forwarded as they arrive, never reassembled. What Node had
 * already taken off a leg goes first: whole messages are delivered here, raw bytes spliced (TCP) or given
 * to the thread to parse (WebSocket).
 */
export async function runInThread(
  [client, agent]: [ThreadedLeg, ThreadedLeg],
  toAgent: Count,
  toClient: Count,
): Promise<void> {
  const [a, b] = [client.handOverSocket()!, agent.handOverSocket()!];
  // Through the legs: once handed over, destroying a leg stops the thread, which then destroys both.
  const destroyBoth = () => {
    client.destroy();
    agent.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  const [fromClient, fromAgent] = [client.detach(), agent.detach()];
  const framing: Framing | undefined =
    client.transport === 'ws' || agent.transport === 'ws'
      ? {
          websocket: [client.transport === 'ws', agent.transport === 'ws'],
          preload: [fromClient.unread, fromAgent.unread],
          maxMessageBytes: RELAY_WS_MAX_MESSAGE_BYTES,
        }
      : undefined;
  // Spliced legs get their early raw bytes written here; framed ones leave them to the thread.
  const early = (taken: Taken) => (framing ? taken.messages : [taken.unread, ...taken.messages]);
  const [earlyToAgent, earlyToClient] = [early(fromClient), early(fromAgent)];
  try {
    // The replies and early payloads must be out: from here on the thread alone writes these fds.
    await Promise.all([agent.deliver(earlyToAgent), client.deliver(earlyToClient)]);
  } catch {
    return destroyBoth();
  }
  toAgent(byteLength(earlyToAgent));
  toClient(byteLength(earlyToClient));
  if (a.destroyed || b.destroyed) return destroyBoth();
  start([client, agent], [a, b], framing, toAgent, toClient);
}

function start(
  [client, agent]: [ThreadedLeg, ThreadedLeg],
  [a, b]: [Socket, Socket],
  framing: Framing | undefined,
  toAgent: Count,
  toClient: Count,
): void {
  let reported: [number, number] = [0, 0];
  const report = () => {
    const moved = running.counters();
    toAgent(moved[0] - reported[0]);
    toClient(moved[1] - reported[1]);
    reported = moved;
  };
  let running: ReturnType<typeof startKernelSplice>;
  try {
    const done = (error: string | null) => {
      clearInterval(timer);
      report();
      // A reset on one side is passed on as a reset, so the other peer sees the session broke.
      const close = error === null || error === 'stopped' ? 'destroy' : 'resetAndDestroy';
      a[close]();
      b[close]();
    };
    running = startKernelSplice(a, b, done, framing);
  } catch (error) {
    logger.error({ msg: 'relay thread failed to start', error: String(error) });
    client.destroy();
    agent.destroy();
    return;
  }
  const timer = setInterval(report, COUNTER_INTERVAL_MS);
  const stop = () => running.stop();
  client.handOver(stop);
  agent.handOver(stop);
}

function byteLength(chunks: Buffer[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
}
