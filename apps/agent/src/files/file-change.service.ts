import { lstat, mkdir, rename, rm, unlink } from 'node:fs/promises';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { pathExists } from './directory-reader.js';
import { fromFsError } from './fs-errors.js';
import type { RootResolver } from './root-resolver.js';

/** Changes to the tree other than uploads: mkdir, remove, move. Each acts on names, never through links. */
export class FileChangeService {
  constructor(private readonly resolver: RootResolver) {}

  async mkdir(virtualPath: string): Promise<void> {
    const entry = await this.resolver.resolveEntry(virtualPath);
    try {
      await mkdir(entry.entryPath);
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
  }

  /** Removes a file, a symlink (not its target) or a folder with everything in it. */
  async remove(virtualPath: string): Promise<void> {
    const entry = await this.resolver.resolveEntry(virtualPath);
    try {
      const stats = await lstat(entry.entryPath);
      if (stats.isDirectory()) await rm(entry.entryPath, { recursive: true });
      else await unlink(entry.entryPath);
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
  }

  /** Never replaces: an existing destination is a conflict (checked just before the rename). */
  async move(fromPath: string, toPath: string): Promise<void> {
    const from = await this.resolver.resolveEntry(fromPath);
    const to = await this.resolver.resolveEntry(toPath);
    try {
      await lstat(from.entryPath);
    } catch (error) {
      throw fromFsError(error, fromPath);
    }
    if (await pathExists(to.entryPath))
      throw new HostlinkError(ErrorCode.Conflict, `${JSON.stringify(toPath)} already exists`);
    try {
      await rename(from.entryPath, to.entryPath);
    } catch (error) {
      throw fromFsError(error, toPath);
    }
  }
}
