import type { TcpLeg } from './tcp-leg.js';

type Count = (bytes: number) => void;

/**
 * TCP to TCP without the addon (not built, not Linux): the streams' own pipe does backpressure with no
 * extra work per chunk but counting. With the addon, the kernel splices them (`in-thread.ts`).
 */
export function pipeTcp(client: TcpLeg, agent: TcpLeg, toAgent: Count, toClient: Count): void {
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
