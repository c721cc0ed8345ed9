import { Logger } from '@nestjs/common';
import { runInThread, threadable } from './in-thread.js';
import { kernelSpliceUnavailable } from './kernel-splice.js';
import type { Leg } from './leg.js';
import { TcpLeg } from './tcp-leg.js';
import { pipeTcp } from './tcp-splice.js';

const logger = new Logger('RelaySplice');
let fallbackLogged = false;

export type Direction = 'to_agent' | 'to_client';

export interface SpliceEvents {
  /** Bytes as they cross, by direction. */
  bytes(direction: Direction, count: number): void;
  /** Once, when both legs are gone. */
  end(): void;
}

/**
 * Joins a paired client leg and agent leg byte for byte, never looking inside: in a native thread of the
 * pair's own when it can (`in-thread.ts`), else in JS, where a writer that reports a full buffer pauses
 * its source until it drains.
 */
export function splice(client: Leg, agent: Leg, events: SpliceEvents): void {
  let open = 2;
  const closed = () => {
    open -= 1;
    if (open === 0) events.end();
  };
  client.onClose(closed);
  agent.onClose(closed);
  const toAgent = (count: number) => events.bytes('to_agent', count);
  const toClient = (count: number) => events.bytes('to_client', count);
  const threaded = threadable(client, agent);
  if (threaded) return void runInThread(threaded, toAgent, toClient);
  logFallbackOnce();
  if (client instanceof TcpLeg && agent instanceof TcpLeg) return pipeTcp(client, agent, toAgent, toClient);
  forward(client, agent, toAgent);
  forward(agent, client, toClient);
}

function forward(from: Leg, to: Leg, count: (bytes: number) => void): void {
  from.onData((chunk) => {
    count(chunk.length);
    if (!to.write(chunk)) from.pause();
  });
  to.onDrain(() => from.resume());
  // When one side goes, the other is ended gracefully so what it already has is still delivered.
  from.onClose(() => to.end());
}

function logFallbackOnce(): void {
  const unavailable = kernelSpliceUnavailable();
  if (unavailable === undefined || fallbackLogged) return;
  fallbackLogged = true;
  logger.warn({ msg: 'relay addon unavailable, legs are joined in JS', reason: unavailable });
}
