import { ErrorCode, HostlinkError, Jwt } from '@hostlink/protocol';

/** The token of an `Authorization: Bearer <token>` header; the broker or auth verifies it. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new HostlinkError(ErrorCode.Unauthenticated, 'missing Authorization: Bearer token');
  if (!Jwt.safeParse(match[1]).success)
    throw new HostlinkError(ErrorCode.TokenInvalid, 'malformed bearer token');
  return match[1];
}
