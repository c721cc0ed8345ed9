import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { errorResponse, retryHeaders, sendJson } from './http-error.filter.js';

export interface GatewayHttpOptions {
  /** Largest accepted request body; defaults to 16 KiB (every body here is a small JSON or form). */
  maxBodyBytes?: number;
}

/**
 * App-level HTTP settings the gateway needs, applied by the composing app (which must create its Nest
 * app with `bodyParser: false`): bounded JSON and form bodies, no X-Powered-By, and parse errors answered
 * as domain error bodies instead of Express's HTML page.
 */
export function configureGatewayHttp(app: NestExpressApplication, options: GatewayHttpOptions = {}): void {
  const limit = options.maxBodyBytes ?? 16 * 1024;
  const logger = new Logger('Gateway');
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit, strict: true });
  app.useBodyParser('urlencoded', { limit, extended: false, parameterLimit: 20 });
  app.use(
    (
      error: unknown,
      _request: IncomingMessage,
      response: ServerResponse,
      next: (error?: unknown) => void,
    ) => {
      if (!error) return next();
      const { status, body } = errorResponse(fromParserError(error), logger);
      sendJson(response, status, body, retryHeaders(body));
    },
  );
}

/** body-parser errors carry an HTTP status; anything else stays an unknown error. */
function fromParserError(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status >= 500) return error;
  return new HostlinkError(
    ErrorCode.BadRequest,
    status === 413 ? 'request body too large' : 'malformed request body',
  );
}
