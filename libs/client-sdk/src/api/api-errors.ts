import { ErrorCode, HostlinkError, isErrorBody } from '@hostlink/protocol';

const byStatus: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  429: ErrorCode.RateLimited,
  503: ErrorCode.Unavailable,
};

/** OAuth errors (RFC 6749 §5.2) seen on the token endpoint. */
const byOAuthError: Record<string, ErrorCode> = {
  invalid_grant: ErrorCode.InvalidCredentials,
  invalid_request: ErrorCode.BadRequest,
  unsupported_grant_type: ErrorCode.BadRequest,
  invalid_client: ErrorCode.Unauthenticated,
};

/** Turns any error response into a HostlinkError: the protocol's ErrorBody first, then OAuth, then the status. */
export function errorFromResponse(
  status: number,
  body: unknown,
  retryAfterHeader: string | null,
): HostlinkError {
  if (isErrorBody(body)) return new HostlinkError(body.code, body.message, body.retryAfterSeconds);
  const retryAfter =
    retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    const oauth = body as { error: string; error_description?: unknown };
    const message = typeof oauth.error_description === 'string' ? oauth.error_description : oauth.error;
    return new HostlinkError(
      byOAuthError[oauth.error] ?? byStatus[status] ?? ErrorCode.Internal,
      message,
      retryAfter,
    );
  }
  return new HostlinkError(
    byStatus[status] ?? ErrorCode.Internal,
    `server answered HTTP ${status}`,
    retryAfter,
  );
}
