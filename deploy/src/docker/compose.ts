import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from '../repo.js';

/** The parts of a Compose service the checks read, after merge keys and variable interpolation. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number | null> | string[];
  ports?: (string | { target: number; published?: string | number })[];
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/**
 * Reads a Compose file as `docker compose config` would, for the features it uses: YAML merge keys, and
 * `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}` interpolation from `shell` (no
 * library does Compose's interpolation, and there is no Docker here; hand-written, limited to these).
 */
export function readCompose(file: string, shell: Record<string, string>): ComposeFile {
  return interpolate(parse(readFileSync(repoPath(file), 'utf8'), { merge: true }), shell) as ComposeFile;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$\$/g;

function interpolate(value: unknown, shell: Record<string, string>): unknown {
  if (typeof value === 'string')
    return value.replace(VARIABLE, (whole, name?: string, colon?: string, kind?: string, word?: string) =>
      substitute(whole, shell, name, colon, kind, word),
    );
  if (Array.isArray(value)) return value.map((item) => interpolate(item, shell));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, shell)]));
  return value;
}

function substitute(
  whole: string,
  shell: Record<string, string>,
  name?: string,
  colon?: string,
  kind?: string,
  word = '',
): string {
  if (!name) return '$';
  const value = shell[name];
  const unset = value === undefined || (colon === ':' && value === '');
  if (!unset) return value;
  if (kind === '-') return word;
  if (kind === '?') throw new Error(`${whole}: ${word || `${name} is required`}`);
  return '';
}

/** A service's environment as a map (Compose accepts a map or a list of NAME=value). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const { environment = {} } = service;
  const entries: [string, string][] = Array.isArray(environment)
    ? environment.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/** Published ports as { host, container } (short syntax [ip:]host:container, or the long one). */
export function publishedPorts(service: ComposeService): { host: number; container: number }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string')
      return { host: Number(port.published ?? port.target), container: port.target };
    const parts = port.split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? Number(parts.at(-2)) : container, container };
  });
}
