import type { z } from 'zod';
import { ErrorCode, HostlinkError } from './errors/error-code.js';

/** Parses untrusted input at a boundary; failures become a `bad_request` naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new HostlinkError(ErrorCode.BadRequest, `invalid ${what}${where}: ${issue?.message ?? 'malformed'}`);
}
