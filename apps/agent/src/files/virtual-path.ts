import { ErrorCode, HostlinkError } from '@hostlink/protocol';

/** Longest single name most file systems accept, in bytes (ext4, APFS, NTFS in UTF-16 units). */
export const MAX_NAME_BYTES = 255;

/**
 * A client path split into its shared-root name and the names below it. Parsing is purely lexical
 * and rejects everything that could mean something other than "this name inside that folder":
 *
 * - `.` / `..` segments, empty segments (`//server/share`), NUL and other control characters;
 * - backslashes and drive letters (`C:\Windows`, `\\server\share`), so a Windows host can never be
 *   steered by separators the client did not intend;
 * - anything not starting with `/` (relative or host-absolute paths are not virtual paths).
 *
 * Percent signs are NOT decoded: `%2e%2e` is an ordinary (odd) file name and cannot climb out, so it is
 * allowed and simply looked up literally. Symlinks are handled later, on the real file system.
 */
export interface VirtualPath {
  /** `null` for `/` (the list of shared roots). */
  readonly root: string | null;
  readonly names: readonly string[];
}

const CONTROL = /[\u0000-\u001f\u007f]/u;
const DRIVE = /^[A-Za-z]:/;

export function parseVirtualPath(path: string): VirtualPath {
  if (!path.startsWith('/')) throw badPath(path, 'must start with /');
  if (path.includes('\\')) throw badPath(path, 'backslashes are not path separators here');
  if (CONTROL.test(path)) throw badPath(path, 'control characters (including NUL) are not allowed');
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/') return { root: null, names: [] };
  const segments = trimmed.slice(1).split('/');
  for (const segment of segments) checkSegment(path, segment);
  if (DRIVE.test(segments[0]!)) throw badPath(path, 'drive letters are not allowed');
  return { root: segments[0]!, names: segments.slice(1) };
}

function checkSegment(path: string, segment: string): void {
  if (segment === '') throw badPath(path, 'empty path segment');
  if (segment === '.' || segment === '..') throw badPath(path, '. and .. segments are not allowed');
  if (Buffer.byteLength(segment, 'utf8') > MAX_NAME_BYTES)
    throw badPath(path, `a name is longer than ${MAX_NAME_BYTES} bytes`);
}

export function joinVirtual(parent: string, name: string): string {
  return parent.endsWith('/') ? `${parent}${name}` : `${parent}/${name}`;
}

function badPath(path: string, reason: string): HostlinkError {
  const shown = JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}...` : path);
  return new HostlinkError(ErrorCode.BadRequest, `invalid path ${shown}: ${reason}`);
}
