import { ErrorCode, HostlinkError } from '@hostlink/protocol';

const known = new Set<string>(Object.values(ErrorCode));

/** An agent's `{ ok: false, error }` reply as a HostlinkError (unknown codes become `internal`). */
export function errorFromReply(error: { code: string; message: string }): HostlinkError {
  const code = known.has(error.code) ? (error.code as ErrorCode) : ErrorCode.Internal;
  return new HostlinkError(code, error.message);
}
