import { mkdtemp, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RootResolver } from './root-resolver.js';

export interface TreeFixture {
  readonly base: string;
  readonly share: string;
  readonly outside: string;
  readonly resolver: RootResolver;
  cleanup(): Promise<void>;
}

/** A real temp tree: `share/` (shared as `/share`) and `outside/` next to it, with hostile symlinks. */
export async function createTree(): Promise<TreeFixture> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'hostlink-agent-')));
  const share = join(base, 'share');
  const outside = join(base, 'outside');
  await mkdir(join(share, 'docs', 'deep'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret');
  await writeFile(join(share, 'docs', 'hello.txt'), 'hello world');
  await writeFile(join(share, 'empty.bin'), '');
  await writeFile(join(share, 'docs', 'deep', 'Report Final.TXT'), 'report');
  await symlink(outside, join(share, 'escape-dir'));
  await symlink(join(outside, 'secret.txt'), join(share, 'escape-file'));
  await symlink(join(share, 'docs', 'hello.txt'), join(share, 'inside-link'));
  return {
    base,
    share,
    outside,
    resolver: new RootResolver([{ name: 'share', realPath: share }]),
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/** Upload bodies as a real stream of the given chunks. */
export function bytes(...parts: string[]): AsyncIterable<Uint8Array> {
  return Readable.from(parts.map((part) => Buffer.from(part)));
}

export async function collect(body: AsyncIterable<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
