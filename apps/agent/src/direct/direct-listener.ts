import { createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Candidate } from '@hostlink/protocol';

export interface DirectListener {
  readonly port: number;
  candidates(): Candidate[];
  close(): Promise<void>;
}

/** Listens on the first free port of the range; clients reach it on the LAN or through a tunnel. */
export async function listenDirect(
  first: number,
  last: number,
  onSocket: (socket: Socket) => void,
): Promise<DirectListener> {
  for (let port = first; port <= last; port++) {
    const server = createServer({ noDelay: true }, onSocket);
    if (await tryListen(server, port)) {
      return {
        port,
        candidates: () => localCandidates(port),
        close: () => new Promise((resolve) => server.close(() => resolve())),
      };
    }
  }
  throw new Error(`no free port for direct connections in ${first}-${last}`);
}

function tryListen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => resolve(true));
  });
}

/** 127.0.0.1 plus every non-internal IPv4 address (max 16, the hello frame's limit). */
export function localCandidates(port: number): Candidate[] {
  const addresses = ['127.0.0.1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) addresses.push(info.address);
  }
  return [...new Set(addresses)].slice(0, 16).map((address) => ({ address, port }));
}
