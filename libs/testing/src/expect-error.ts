import { HostlinkError, type ErrorCode } from '@hostlink/protocol';

/** For `assert.rejects`: the promise failed with this domain error code. */
export const withCode =
  (code: ErrorCode) =>
  (error: unknown): boolean => {
    if (error instanceof HostlinkError && error.code === code) return true;
    throw new Error(`expected ${code}, got ${error instanceof HostlinkError ? error.code : String(error)}`);
  };
