import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CorrelationId } from '@hostlink/protocol';

/** Carries the id over HTTP (case-insensitive there) and as a NATS message header (exact case). */
export const CORRELATION_HEADER = 'X-Request-Id';

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts) under `id`; without an id, under whatever id is current. */
export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return id === undefined ? fn() : storage.run(id, fn);
}

/** The id of the request or connection the caller is working for, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** The caller's id when it is a sane token, otherwise undefined. */
export function saneCorrelationId(candidate: unknown): string | undefined {
  const parsed = CorrelationId.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The caller's id when it is a sane token, otherwise a fresh one. */
export function correlationIdFrom(candidate: unknown): string {
  return saneCorrelationId(candidate) ?? randomUUID();
}
