import { z } from 'zod';

/** Raised at boot when the environment is incomplete or wrong; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }

  /** Whether every one of these variables has a problem reported. */
  names(...variables: string[]): boolean {
    return variables.every((variable) => this.problems.some((problem) => problem.startsWith(`${variable}:`)));
  }
}

/**
 * Validates the environment once, at boot, into a typed object. This is the only place that reads
 * `process.env`; everything else receives the typed config.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** Environment values arrive as strings: these parse them with errors that name the expected form. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url({ message: 'expected an absolute URL such as http://127.0.0.1:8080' }),
  seconds: (fallback: number) => z.coerce.number().positive().default(fallback),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => ['true', '1', 'yes'].includes(value)),
};
