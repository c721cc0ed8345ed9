import assert from 'node:assert/strict';
import type { z } from 'zod';
import { ConfigError, loadConfig } from '../load-config.js';

/** Asserts that `schema` refuses `environment` with a problem naming each of `variables`. */
export function assertRefused(
  schema: z.ZodObject,
  environment: NodeJS.ProcessEnv,
  ...variables: string[]
): void {
  assert.throws(
    () => loadConfig(schema, environment),
    (error: unknown) => error instanceof ConfigError && error.names(...variables),
    `expected ${variables.join(', ')} to be refused`,
  );
}
