import type { ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { ErrorCode } from '@hostlink/protocol';
import { errorResponse, retryHeaders, sendJson } from '../http/http-error.filter.js';
import { assertUnreachable } from '../http/http-status.js';

/** An RFC 6749 error the token endpoint raises itself (the grant never reached auth). */
export class OAuthProtocolError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'unsupported_grant_type',
    message: string,
  ) {
    super(message);
  }
}

/** RFC 6749 section 5.2 error name for a domain code, with the status it goes out with. */
function oauthError(code: ErrorCode, status: number): { error: string; status: number } {
  switch (code) {
    case ErrorCode.BadRequest:
      return { error: 'invalid_request', status: 400 };
    case ErrorCode.InvalidCredentials:
    case ErrorCode.TokenInvalid:
    case ErrorCode.TokenExpired:
    case ErrorCode.TokenReused:
    case ErrorCode.Unauthenticated:
    case ErrorCode.Forbidden:
    case ErrorCode.PolicyDenied:
    case ErrorCode.NotFound:
    case ErrorCode.Conflict:
    case ErrorCode.HostOffline:
      return { error: 'invalid_grant', status: 400 };
    case ErrorCode.RateLimited:
    case ErrorCode.Unavailable:
      return { error: 'temporarily_unavailable', status };
    case ErrorCode.Internal:
      return { error: 'server_error', status };
    default:
      return assertUnreachable(code);
  }
}

/** Token endpoint errors as RFC 6749 bodies (`error`, `error_description`) plus our `code`. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    if (thrown instanceof OAuthProtocolError) {
      return sendJson(response, 400, {
        error: thrown.error,
        error_description: thrown.message,
        code: ErrorCode.BadRequest,
      });
    }
    const { status, body } = errorResponse(thrown, this.logger);
    const { error, status: oauthStatus } = oauthError(body.code, status);
    sendJson(
      response,
      oauthStatus,
      { error, error_description: body.message, ...body },
      { pragma: 'no-cache', ...retryHeaders(body) },
    );
  }
}
