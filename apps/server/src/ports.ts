import { createServer } from 'node:net';

/**
 * Port 0 means "any free port". The services are configured with their public URLs before they listen,
 * so a free port is picked up front; the short window before the service binds it is fine for tests.
 */
export async function concretePort(port: number, host: string): Promise<number> {
  if (port !== 0) return port;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('could not pick a free port');
  return address.port;
}
