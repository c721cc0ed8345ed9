import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { fromFsError } from './fs-errors.js';
import { parseVirtualPath } from './virtual-path.js';

export interface SharedRoot {
  /** The name clients see as `/<name>`. */
  readonly name: string;
  /** Absolute, symlink-free path on the host. */
  readonly realPath: string;
}

/** An existing file or folder, every symlink resolved, proven to lie inside its root. */
export interface ResolvedTarget {
  readonly virtualPath: string;
  readonly root: SharedRoot;
  readonly realPath: string;
}

/** A directory entry addressed by name (not followed): its parent is resolved and confined. */
export interface ResolvedEntry {
  readonly virtualPath: string;
  readonly root: SharedRoot;
  readonly parentRealPath: string;
  readonly name: string;
  /** `parentRealPath/name`; the entry itself may be missing or a symlink. */
  readonly entryPath: string;
}

/**
 * The security core of the file service: turns a client's virtual path into a host path inside one
 * shared root, or refuses. Lexical checks first (virtual-path.ts), then `realpath` on the real tree so a
 * symlink anywhere along the way cannot lead outside the root.
 */
export class RootResolver {
  private readonly byName: ReadonlyMap<string, SharedRoot>;

  constructor(readonly roots: readonly SharedRoot[]) {
    this.byName = new Map(roots.map((root) => [root.name, root]));
  }

  /** `null` means `/`, the list of roots. Follows every symlink. */
  async resolveTarget(virtualPath: string): Promise<ResolvedTarget | null> {
    const parsed = parseVirtualPath(virtualPath);
    if (parsed.root === null) return null;
    const root = this.rootNamed(parsed.root, virtualPath);
    let real: string;
    try {
      real = await realpath(join(root.realPath, ...parsed.names));
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
    assertInside(root, real, virtualPath);
    return { virtualPath, root, realPath: real };
  }

  /** For remove, move and create: the last name is not followed, so a symlink is acted on itself. */
  async resolveEntry(virtualPath: string): Promise<ResolvedEntry> {
    const parsed = parseVirtualPath(virtualPath);
    if (parsed.root === null || parsed.names.length === 0) {
      throw new HostlinkError(
        ErrorCode.Forbidden,
        `${JSON.stringify(virtualPath)} is a shared root and cannot be changed`,
      );
    }
    const root = this.rootNamed(parsed.root, virtualPath);
    const name = parsed.names[parsed.names.length - 1]!;
    let parentReal: string;
    try {
      parentReal = await realpath(join(root.realPath, ...parsed.names.slice(0, -1)));
      if (!(await lstat(parentReal)).isDirectory())
        throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (error) {
      throw fromFsError(error, virtualPath);
    }
    assertInside(root, parentReal, virtualPath);
    return { virtualPath, root, parentRealPath: parentReal, name, entryPath: join(parentReal, name) };
  }

  private rootNamed(name: string, virtualPath: string): SharedRoot {
    const root = this.byName.get(name);
    if (!root)
      throw new HostlinkError(
        ErrorCode.NotFound,
        `${JSON.stringify(virtualPath)}: no shared folder named ${JSON.stringify(name)}`,
      );
    return root;
  }
}

export function isInside(rootReal: string, candidate: string): boolean {
  if (candidate === rootReal) return true;
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  return candidate.startsWith(prefix);
}

function assertInside(root: SharedRoot, real: string, virtualPath: string): void {
  if (!isInside(root.realPath, real)) {
    throw new HostlinkError(
      ErrorCode.Forbidden,
      `${JSON.stringify(virtualPath)} leads outside the shared folder`,
    );
  }
}
