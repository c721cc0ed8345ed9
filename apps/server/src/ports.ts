import { type Server, createServer } from 'node:net';

/**
 * Port 0 means "any free port". The services are configured with their public URLs before they listen,
 * so free ports are picked up front. All probes stay open until every port is chosen: closing one before
 * opening the next lets the kernel hand out the same port twice.
 */
export async function concretePorts<K extends string>(
  ports: Record<K, number>,
  host: string,
): Promise<Record<K, number>> {
  const probes: Server[] = [];
  try {
    const chosen = {} as Record<K, number>;
    for (const [name, port] of Object.entries(ports) as [K, number][]) {
      chosen[name] = port === 0 ? await probe(host, probes) : port;
    }
    return chosen;
  } finally {
    await Promise.all(probes.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

async function probe(host: string, probes: Server[]): Promise<number> {
  const server = createServer();
  probes.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('could not pick a free port');
  return address.port;
}
