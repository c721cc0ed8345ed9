import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { errorResponse, retryHeaders, sendJson } from './http-error.filter.js';

export interface GatewayHttpOptions {
  /** Largest accepted request body; defaults to 16 KiB (every body here is a small JSON or form). */
  maxBodyBytes?: number;
  /** Largest body on the SAML paths (a signed response, an assertion, IdP metadata); defaults to 256 KiB. */
  maxSamlBodyBytes?: number;
}

/**
 * How long an idle keep-alive connection stays open. Node closes one after 5 s; a client (or a load balancer
 * in front of us: 60 s is common) that sends a request in the instant the gateway closes it gets a reset it
 * cannot safely retry when the request is a POST. Held longer than the proxies in front hold theirs, the
 * gateway never closes a connection one of them is about to reuse.
 */
const KEEP_ALIVE_MS = 65_000;

/** Where SAML documents arrive: larger than every other body, still bounded (auth checks them again). */
const SAML_BODY_PATHS = ['/saml', '/oauth/token', '/api/v1/account/sso'];

/**
 * App-level HTTP settings the gateway needs, applied by the composing app (which must create its Nest
 * app with `bodyParser: false`): bounded JSON and form bodies, no X-Powered-By, and parse errors answered
 * as domain error bodies instead of Express's HTML page, and idle connections kept for reuse.
 */
export function configureGatewayHttp(app: NestExpressApplication, options: GatewayHttpOptions = {}): void {
  const limit = options.maxBodyBytes ?? 16 * 1024;
  const logger = new Logger('Gateway');
  const samlLimit = options.maxSamlBodyBytes ?? 256 * 1024;
  app.disable('x-powered-by');
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node requires more than the keep-alive time here, or it may end a reused connection mid-request.
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  // Express hashes every answer's body for an ETag. API answers are `no-store` (never cached, so never
  // revalidated) and a host list of a thousand hosts is 180 KB to hash; the web page sets its own.
  app.set('etag', false);
  // Registered first: a body these parse is skipped by the general ones below.
  app.use(SAML_BODY_PATHS, express.json({ limit: samlLimit, strict: true }));
  app.use(SAML_BODY_PATHS, express.urlencoded({ limit: samlLimit, extended: false, parameterLimit: 20 }));
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
