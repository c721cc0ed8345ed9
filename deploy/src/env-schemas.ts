import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@hostlink/config';
import { z } from 'zod';
import { repoPath } from './repo.js';

/** The services of the distributed mode, each an app with `src/main/<name>.config.ts` and an image. */
export const SERVICES = ['auth', 'broker', 'poll', 'relay', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * The environment schema a service validates at boot, from its build: the very module its `main.ts`
 * loads. The services export no config from their packages, so this imports the compiled file by path,
 * the way the images run it; nothing here restates a variable name.
 */
export function serviceEnvSchema(service: ServiceName): Promise<z.ZodObject> {
  return envSchemaAt(`apps/${service}/dist/main/${service}.config.js`, `${capitalized(service)}Env`);
}

/** The embedded server's schema (apps/server/src/server.config.ts). */
export function serverEnvSchema(): Promise<z.ZodObject> {
  return envSchemaAt('apps/server/dist/server.config.js', 'ServerEnv');
}

async function envSchemaAt(file: string, exportName: string): Promise<z.ZodObject> {
  const path = repoPath(file);
  if (!existsSync(path)) throw new Error(`${file} is missing: build first (npm run build)`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const schema = module[exportName];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${file} exports no zod object named ${exportName}`);
  return schema;
}

/** The config a service would boot with from this environment; throws naming every problem, as at boot. */
export function bootConfig(schema: z.ZodObject, env: Record<string, string>): Record<string, unknown> {
  return loadConfig(schema, env);
}

/** Every variable the schema reads. */
export function envNames(schema: z.ZodObject): Set<string> {
  return new Set(Object.keys(schema.shape));
}

/** The value a variable takes when it is not set, or undefined when it has no default. */
export function envDefault(schema: z.ZodObject, name: string): unknown {
  const field = schema.shape[name] as z.ZodType | undefined;
  if (!field) throw new Error(`the schema reads no ${name}`);
  const parsed = field.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
