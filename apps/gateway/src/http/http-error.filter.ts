import type { ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { toErrorBody } from '@hostlink/bus';
import { type ErrorBody, ErrorCode, HostlinkError } from '@hostlink/protocol';
import { httpStatusFor } from './http-status.js';

/** Statuses Nest or body parsing raise before our code runs, as domain codes. */
function fromHttpException(error: HttpException): HostlinkError {
  const status = error.getStatus();
  if (status === 404) return new HostlinkError(ErrorCode.NotFound, 'no such endpoint');
  if (status === 413) return new HostlinkError(ErrorCode.BadRequest, 'request body too large');
  if (status >= 400 && status < 500) return new HostlinkError(ErrorCode.BadRequest, 'malformed request');
  return new HostlinkError(ErrorCode.Internal, 'internal error');
}

/** Turns anything thrown into the HTTP response of its domain error; unknown errors show only an id. */
export function errorResponse(error: unknown, logger: Logger): { status: number; body: ErrorBody } {
  const domain = error instanceof HttpException ? fromHttpException(error) : error;
  const body = toErrorBody(domain, (errorId, cause) =>
    logger.error({
      msg: 'unhandled error',
      errorId,
      error: cause instanceof Error ? cause.stack : String(cause),
    }),
  );
  const message =
    body.code === ErrorCode.Internal ? `internal error (id ${body.errorId ?? '?'})` : body.message;
  return { status: httpStatusFor(body.code), body: { ...body, message } };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return void response.end();
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(JSON.stringify(body));
}

const retryHeaders = (body: ErrorBody): Record<string, string> =>
  body.retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.ceil(body.retryAfterSeconds)) };

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body } = errorResponse(error, this.logger);
    sendJson(host.switchToHttp().getResponse<ServerResponse>(), status, body, retryHeaders(body));
  }
}

export { retryHeaders };
