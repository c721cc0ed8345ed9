import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from '@hostlink/protocol';
import { describeEntries, entryFrom, etagOf, readNames } from './directory-reader.js';
import { fromFsError } from './fs-errors.js';
import type { RootResolver } from './root-resolver.js';
import { joinVirtual } from './virtual-path.js';

export interface SearchResult {
  matches: { path: string; entry: FileEntry }[];
  truncated: boolean;
}

/** Bounds a search so one query cannot walk a whole disk: entries looked at, across all folders. */
export const SEARCH_MAX_VISITED = 50_000;

/** Read-only views of the shared tree: list, stat, search. */
export class FileBrowseService {
  constructor(private readonly resolver: RootResolver) {}

  async list(virtualPath: string): Promise<FileEntry[]> {
    const target = await this.resolver.resolveTarget(virtualPath);
    if (target === null) return this.listRoots();
    try {
      return await describeEntries(target.realPath, await readNames(target.realPath));
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
  }

  async stat(virtualPath: string): Promise<{ entry: FileEntry; etag: string }> {
    const target = await this.resolver.resolveTarget(virtualPath);
    if (target === null)
      return { entry: { name: '', type: 'directory', size: 0, mtimeMs: 0 }, etag: '"roots"' };
    try {
      const stats = await stat(target.realPath, { bigint: true });
      const name = virtualPath.split('/').filter(Boolean).pop() ?? '';
      return { entry: entryFrom(name, stats), etag: etagOf(stats) };
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
  }

  /** Case-insensitive "name contains", breadth first, symlinks not followed. */
  async search(virtualPath: string, query: string, limit: number): Promise<SearchResult> {
    const start = await this.resolver.resolveTarget(virtualPath);
    const queue: { real: string; virtual: string }[] = start
      ? [{ real: start.realPath, virtual: virtualPath.replace(/\/$/, '') || '/' }]
      : this.resolver.roots.map((root) => ({ real: root.realPath, virtual: `/${root.name}` }));
    const needle = query.toLowerCase();
    const result: SearchResult = { matches: [], truncated: false };
    let visited = 0;
    for (let folder = queue.shift(); folder; folder = queue.shift()) {
      const names = await readNames(folder.real).catch(() => []);
      for (const item of names) {
        if (++visited > SEARCH_MAX_VISITED || result.matches.length >= limit)
          return { ...result, truncated: true };
        const real = join(folder.real, item.name);
        const virtual = joinVirtual(folder.virtual, item.name);
        if (item.name.toLowerCase().includes(needle)) {
          const entry = await lstat(real)
            .then((stats) => entryFrom(item.name, stats))
            .catch(() => null);
          if (entry) result.matches.push({ path: virtual, entry });
        }
        if (item.isDirectory && !item.isSymbolicLink) queue.push({ real, virtual });
      }
    }
    return result;
  }

  private async listRoots(): Promise<FileEntry[]> {
    const entries = await Promise.all(
      this.resolver.roots.map(async (root) => {
        const stats = await stat(root.realPath).catch(() => null);
        return { name: root.name, type: 'directory' as const, size: 0, mtimeMs: stats ? stats.mtimeMs : 0 };
      }),
    );
    return entries;
  }
}
