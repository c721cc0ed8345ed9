import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { ApiPath, ErrorCode, HostlinkError } from '@hostlink/protocol';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Bodies must be JSON, except on the OAuth endpoints (RFC 6749) and the SAML ACS, which also take forms. */
@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(
    request: IncomingMessage & { originalUrl?: string },
    _response: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    const hasBody =
      request.headers['transfer-encoding'] !== undefined ||
      Number(request.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    // Express rewrites `url` under a mount point; `originalUrl` is the path the client asked for.
    const path = request.originalUrl ?? request.url ?? '';
    // The SAML ACS receives the IdP's HTTP-POST binding: a form, like the OAuth endpoints.
    const oauth = path.startsWith('/oauth/') || /^\/saml\/[^/]+\/acs(\?|$)/.test(path);
    const allowed = oauth ? [JSON_TYPE, FORM] : [JSON_TYPE];
    if (allowed.includes(type)) return next();
    next(
      new HostlinkError(
        ErrorCode.BadRequest,
        `expected ${allowed.join(' or ')} on ${oauth ? ApiPath.token : 'this endpoint'}`,
      ),
    );
  }
}
