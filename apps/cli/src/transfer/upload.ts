import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileClient } from '@hostlink/client-sdk';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { joinRemote } from '../remote/remote-path.js';
import type { Progress } from './progress.js';

/** Uploads one local file; a remote folder (or a path ending in `/`) receives it under its own name. */
export async function upload(
  files: FileClient,
  local: string,
  remotePath: string,
  options: { force: boolean },
  progress: Progress,
): Promise<{ path: string; size: number }> {
  const info = await stat(local).catch(() => null);
  if (!info?.isFile()) throw new HostlinkError(ErrorCode.BadRequest, `${local} is not a file`);
  const target = (await isRemoteFolder(files, remotePath))
    ? joinRemote(remotePath, basename(local))
    : remotePath;
  progress.start(info.size, 0);
  const source = countBytes(createReadStream(local, { highWaterMark: 256 * 1024 }), (count) =>
    progress.add(count),
  );
  try {
    const result = await files.write(target, info.size, source, { overwrite: options.force });
    return { path: target, size: result.size };
  } catch (error) {
    if (error instanceof HostlinkError && error.code === ErrorCode.Conflict && !options.force) {
      throw new HostlinkError(error.code, `${error.message}: use --force to overwrite`);
    }
    throw error;
  } finally {
    progress.stop();
  }
}

async function isRemoteFolder(files: FileClient, remotePath: string): Promise<boolean> {
  if (remotePath.endsWith('/')) return true;
  try {
    return (await files.stat(remotePath)).entry.type === 'directory';
  } catch (error) {
    if (error instanceof HostlinkError && error.code === ErrorCode.NotFound) return false;
    throw error;
  }
}

async function* countBytes(
  source: AsyncIterable<Buffer>,
  onBytes: (count: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    yield chunk;
    onBytes(chunk.length);
  }
}
