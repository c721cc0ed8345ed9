import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';

export interface Share {
  readonly name: string;
  readonly path: string;
}

/**
 * Shared folders as absolute real paths, each named after its folder; clashing names get ` (2)`, ` (3)`.
 * Names follow the same rules as any path segment, so a root named `..` or with a slash cannot exist.
 */
export async function resolveShares(dirs: readonly string[], cwd = process.cwd()): Promise<Share[]> {
  const shares: Share[] = [];
  const taken = new Set<string>();
  for (const dir of dirs) {
    const path = await realFolder(resolve(cwd, dir), dir);
    let name = basename(path) || 'root';
    if (name === '.' || name === '..' || /[\\/\u0000-\u001f]/u.test(name)) name = 'share';
    const base = name;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    shares.push({ name, path });
  }
  return shares;
}

async function realFolder(absolute: string, given: string): Promise<string> {
  try {
    const real = await realpath(absolute);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new HostlinkError(ErrorCode.BadRequest, `--share ${given}: not an existing folder`);
}
