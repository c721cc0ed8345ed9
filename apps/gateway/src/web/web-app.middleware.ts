import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { setSecurityHeaders } from '../http/security-headers.middleware.js';
import { readStaticFile, type StaticFile } from './static-files.js';
import { pageContentSecurityPolicy } from './web-csp.js';
import { WEB_OPTIONS, type WebOptions } from './web.options.js';

/** Paths that belong to the API and the ops endpoints: never answered with the page. */
const SERVER_PATHS = /^\/(api|oauth|\.well-known|health|metrics|saml)(\/|$)/;

/**
 * Serves the built web client: its files, and `index.html` for every other GET that is not an API path
 * (the app routes on the client). Hashed assets are cached for a year; the page itself is revalidated.
 */
@Injectable()
export class WebAppMiddleware implements NestMiddleware {
  private readonly csp: string;

  constructor(@Inject(WEB_OPTIONS) private readonly options: WebOptions) {
    this.csp = pageContentSecurityPolicy(options);
  }

  async use(request: IncomingMessage, response: ServerResponse, next: () => void): Promise<void> {
    const root = this.options.root;
    // Express strips a middleware's mount path from `url`; `originalUrl` is what the browser asked for.
    const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '/';
    const path = new URL(url, 'http://gateway').pathname;
    if (!root || (request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(path))
      return next();
    const file = (path !== '/' && (await readStaticFile(root, path))) || (await this.page(root, path));
    if (!file) return next();
    this.send(request, response, file, path.startsWith('/assets/'));
  }

  /** The SPA fallback: client routes get the page; a missing asset stays a 404. */
  private async page(root: string, path: string): Promise<StaticFile | null> {
    if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) return null;
    return readStaticFile(root, '/index.html');
  }

  private send(request: IncomingMessage, response: ServerResponse, file: StaticFile, immutable: boolean) {
    setSecurityHeaders(response);
    response.setHeader('content-security-policy', this.csp);
    response.setHeader('cross-origin-opener-policy', 'same-origin');
    response.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    response.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.setHeader('etag', file.etag);
    response.setHeader('content-type', file.contentType);
    if (request.headers['if-none-match'] === file.etag) {
      response.statusCode = 304;
      return response.end();
    }
    response.setHeader('content-length', file.body.length);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }
}
