import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for a service's ops endpoints: `path` answers `status`, anything else 404. */
export async function standInOpsServer(
  path: string,
  status: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    response.writeHead(request.url === path ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs an image's `node -e ...` health check here, with only `env` set; resolves to its exit code. */
export function runHealthcheck(command: string[], env: Record<string, string>): Promise<number> {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`the health check runs ${program}: the slim images have only node`);
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 10_000 }, (error) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve(error ? (typeof code === 'number' ? code : 1) : 0);
    });
  });
}
