import { constants, type BigIntStats } from 'node:fs';
import { link, lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { etagOf, pathExists, UPLOAD_TEMP_PREFIX } from './directory-reader.js';
import { fromFsError } from './fs-errors.js';
import type { RootResolver } from './root-resolver.js';

export interface ReadRequest {
  path: string;
  offset?: number;
  length?: number;
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface ReadHead {
  size: number;
  offset: number;
  length: number;
  etag: string;
  notModified: boolean;
}

export interface OpenedRead {
  head: ReadHead;
  /** `null` when there is nothing to send (not modified, or an empty range). */
  body: AsyncIterable<Uint8Array> | null;
}

export interface WriteRequest {
  path: string;
  size: number;
  overwrite: boolean;
}

const READ_CHUNK = 256 * 1024;

/** Downloads (ranges, validators) and atomic uploads. */
export class FileTransferService {
  constructor(private readonly resolver: RootResolver) {}

  /** The file is opened once and described from the open handle, so etag and bytes are the same version. */
  async openRead(request: ReadRequest): Promise<OpenedRead> {
    const target = await this.resolver.resolveTarget(request.path);
    if (target === null) throw new HostlinkError(ErrorCode.BadRequest, '"/" is a folder');
    let handle: FileHandle;
    let stats: BigIntStats;
    try {
      // O_NOFOLLOW: if the checked real path was swapped for a symlink since, the open fails.
      handle = await open(target.realPath, constants.O_RDONLY | constants.O_NOFOLLOW);
      stats = await handle.stat({ bigint: true });
    } catch (error) {
      throw fromFsError(error, request.path);
    }
    try {
      const head = describeRange(request, stats);
      if (head.notModified || head.length === 0) {
        await handle.close();
        return { head, body: null };
      }
      return { head, body: readRange(handle, head.offset, head.length) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Streams into a temp file in the target folder, checks the length, fsyncs, then renames (or links
   * when overwriting is not allowed, which fails atomically if the name appeared meanwhile). Any failure
   * removes the temp file, so an interrupted upload leaves nothing behind.
   */
  async write(
    request: WriteRequest,
    body: AsyncIterable<Uint8Array>,
  ): Promise<{ size: number; etag: string }> {
    const entry = await this.resolver.resolveEntry(request.path);
    await assertWritable(entry.entryPath, request);
    const temp = join(entry.parentRealPath, `${UPLOAD_TEMP_PREFIX}${randomBytes(8).toString('hex')}.tmp`);
    try {
      await writeTemp(temp, request, body);
      await commit(temp, entry.entryPath, request.overwrite);
      const stats = await stat(entry.entryPath, { bigint: true });
      return { size: Number(stats.size), etag: etagOf(stats) };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      // Only errno failures are mapped; a reset stream or a protocol error keeps its identity.
      throw (error as NodeJS.ErrnoException).syscall ? fromFsError(error, request.path) : error;
    }
  }
}

function describeRange(request: ReadRequest, stats: BigIntStats): ReadHead {
  if (!stats.isFile())
    throw new HostlinkError(ErrorCode.BadRequest, `${JSON.stringify(request.path)} is not a file`);
  const size = Number(stats.size);
  const etag = etagOf(stats);
  if (request.ifNoneMatch !== undefined && request.ifNoneMatch === etag) {
    return { size, offset: 0, length: 0, etag, notModified: true };
  }
  if (request.ifMatch !== undefined && request.ifMatch !== etag) {
    throw new HostlinkError(
      ErrorCode.Conflict,
      `${JSON.stringify(request.path)} changed since the partial download; start again`,
    );
  }
  const offset = request.offset ?? 0;
  if (offset > size)
    throw new HostlinkError(ErrorCode.BadRequest, `offset ${offset} is past the end (${size} bytes)`);
  const length = Math.min(request.length ?? size - offset, size - offset);
  return { size, offset, length, etag, notModified: false };
}

/**
 * Reads ahead by one chunk: the next read is in flight while the consumer encrypts and sends the current
 * one, so disk and network overlap instead of taking turns. Two buffers take turns: a chunk is only valid
 * until the consumer asks for the next one (sending it encrypts it, so it is done with it by then). Fresh
 * 256 KiB buffers per read would cost a full garbage collection every few dozen MiB (external memory).
 */
async function* readRange(handle: FileHandle, offset: number, length: number): AsyncGenerator<Uint8Array> {
  const end = offset + length;
  const size = Math.min(READ_CHUNK, length);
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  const readAt = async (position: number, buffer: Buffer): Promise<Uint8Array> => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(size, end - position), position);
    if (bytesRead === 0)
      throw new HostlinkError(ErrorCode.Conflict, 'the file shrank while it was being read');
    return buffer.subarray(0, bytesRead);
  };
  // A read that fails while the consumer is busy is reported at its await, not as an unhandled rejection.
  const ahead = (position: number, turn: number) => {
    const read = readAt(position, buffers[turn % 2]!);
    void read.catch(() => undefined);
    return read;
  };
  let next: Promise<Uint8Array> | undefined = offset < end ? ahead(offset, 0) : undefined;
  try {
    for (let position = offset, turn = 1; next; turn += 1) {
      const chunk = await next;
      position += chunk.length;
      next = position < end ? ahead(position, turn) : undefined;
      yield chunk;
    }
  } finally {
    // A consumer that stops early leaves a read in flight: let it settle before the handle closes.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

async function assertWritable(entryPath: string, request: WriteRequest): Promise<void> {
  let existing;
  try {
    existing = await lstat(entryPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fromFsError(error, request.path);
  }
  if (existing.isDirectory())
    throw new HostlinkError(ErrorCode.Conflict, `${JSON.stringify(request.path)} is a folder`);
  if (!request.overwrite) {
    throw new HostlinkError(
      ErrorCode.Conflict,
      `${JSON.stringify(request.path)} already exists (overwrite not requested)`,
    );
  }
}

async function writeTemp(
  temp: string,
  request: WriteRequest,
  body: AsyncIterable<Uint8Array>,
): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o644);
  try {
    let received = 0;
    for await (const chunk of body) {
      received += chunk.length;
      if (received > request.size)
        throw new HostlinkError(
          ErrorCode.BadRequest,
          `upload is longer than the announced ${request.size} bytes`,
        );
      await handle.write(chunk);
    }
    if (received !== request.size) {
      throw new HostlinkError(
        ErrorCode.BadRequest,
        `upload ended after ${received} of ${request.size} bytes`,
      );
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function commit(temp: string, target: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await rename(temp, target);
  } else {
    await linkOrRename(temp, target);
  }
  await syncFolder(join(target, '..'));
}

/** `link` refuses an existing name atomically; file systems without hard links fall back to rename. */
async function linkOrRename(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    await unlink(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    if (await pathExists(target)) throw Object.assign(new Error('target appeared'), { code: 'EEXIST' });
    await rename(temp, target);
  }
}

/** Makes the rename itself durable; not every platform can fsync a folder, which is harmless. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
