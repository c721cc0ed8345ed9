import { readFileSync } from 'node:fs';

const ESTABLISHED = '01';

/**
 * How many established TCP connections this machine accepted on a local `port` (Linux, from
 * /proc/net/tcp and tcp6): e.g. which relay instance carries a transfer, which poll instance holds agents.
 */
export function establishedConnections(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((table) => readFileSync(table, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, , state]) => state === ESTABLISHED && local?.endsWith(`:${hexPort}`)).length;
}
