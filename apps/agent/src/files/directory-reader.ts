import type { BigIntStats, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from '@hostlink/protocol';

/** Temp files of uploads in progress: never shown, so a half-written upload is invisible to clients. */
export const UPLOAD_TEMP_PREFIX = '.hostlink-upload-';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface DirectoryName {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
}

/**
 * Names exactly as stored on disk. Node would replace invalid UTF-8 with U+FFFD, producing a name that
 * does not exist; such entries are skipped because the protocol carries names as strings. Nothing is
 * normalised, so NFC and NFD spellings of one visible name stay two distinct entries.
 */
export async function readNames(dirRealPath: string): Promise<DirectoryName[]> {
  const dirents = await readdir(dirRealPath, { withFileTypes: true, encoding: 'buffer' });
  const names: DirectoryName[] = [];
  for (const dirent of dirents) {
    const name = decodeName(dirent.name);
    if (name === null || name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
    names.push({ name, isDirectory: dirent.isDirectory(), isSymbolicLink: dirent.isSymbolicLink() });
  }
  return names;
}

function decodeName(raw: Buffer): string | null {
  try {
    return strictUtf8.decode(raw);
  } catch {
    return null;
  }
}

/** Describes the entry itself (lstat): a symlink is listed as `symlink`, not as what it points to. */
export async function describeEntries(
  dirRealPath: string,
  names: readonly DirectoryName[],
): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  const batch = 64;
  for (let start = 0; start < names.length; start += batch) {
    const slice = names.slice(start, start + batch);
    const described = await Promise.all(slice.map((item) => describeOne(dirRealPath, item.name)));
    for (const entry of described) if (entry) entries.push(entry);
  }
  return entries;
}

async function describeOne(dirRealPath: string, name: string): Promise<FileEntry | null> {
  try {
    return entryFrom(name, await lstat(join(dirRealPath, name)));
  } catch {
    return null; // removed between readdir and lstat
  }
}

export function entryFrom(name: string, stats: Stats | BigIntStats): FileEntry {
  const type = stats.isFile()
    ? 'file'
    : stats.isDirectory()
      ? 'directory'
      : stats.isSymbolicLink()
        ? 'symlink'
        : 'other';
  return { name, type, size: Number(stats.size), mtimeMs: Number(stats.mtimeMs) };
}

/** Changes whenever the content may have: size, modification time (ns) or the inode (replaced by rename). */
export function etagOf(stats: BigIntStats): string {
  return `"${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}-${stats.ino.toString(36)}"`;
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
