import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { isOpsPath, opsAnswer } from './ops-endpoints.js';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port; the bound one is logged and given by `port`. */
  port: number;
  readiness: Readiness;
  registry: Registry;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A small HTTP server for probes and scrapes only: GET (or HEAD) of `OpsPath`, nothing else. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const logger = new Logger('Ops');
  const server = createServer((request, response) => {
    answer(request, response, options).catch((error: unknown) => {
      logger.error({ msg: 'ops request failed', error: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  // A probe that stops reading must not hold a socket for long.
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.log({ msg: 'ops endpoints listening', host: options.host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: OpsServerOptions,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(request.url ?? '/', 'http://ops').pathname;
  if (!isOpsPath(path)) {
    response.writeHead(404).end();
    return;
  }
  const found = await opsAnswer(path, options);
  response.writeHead(found.status, { 'content-type': found.contentType, 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : found.body);
}
