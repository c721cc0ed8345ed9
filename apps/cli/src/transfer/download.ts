import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileClient } from '@hostlink/client-sdk';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { baseName } from '../remote/remote-path.js';
import { PartialDownload } from './partial-download.js';
import type { Progress } from './progress.js';

export interface DownloadRequest {
  readonly hostId: string;
  readonly remotePath: string;
  readonly local?: string;
  readonly force: boolean;
}

/** Where the file lands: LOCAL, inside LOCAL when it is a folder, or the remote name in the current folder. */
export async function localTarget(remotePath: string, local: string | undefined): Promise<string> {
  const name = baseName(remotePath);
  if (!local) return name;
  const existing = await stat(local).catch(() => null);
  return existing?.isDirectory() ? join(local, name) : local;
}

/** Resumable download of one file; returns the local path and byte count. The caller stops `progress`. */
export interface DownloadResult {
  readonly path: string;
  readonly size: number;
  readonly resumedFrom: number;
}

export async function download(
  files: FileClient,
  request: DownloadRequest,
  progress: Progress,
): Promise<DownloadResult> {
  const target = await localTarget(request.remotePath, request.local);
  if (!request.force && (await stat(target).catch(() => null))) {
    throw new HostlinkError(ErrorCode.Conflict, `${target} already exists: use --force to overwrite`);
  }
  const partial = new PartialDownload(target, { hostId: request.hostId, path: request.remotePath });
  let point = await partial.resumePoint();
  const reply = await files.read(request.remotePath, point).catch(async (error: unknown) => {
    if (!(error instanceof HostlinkError) || error.code !== ErrorCode.Conflict || point.offset === 0)
      throw error;
    // The file changed since the partial download: start over.
    await partial.discard();
    point = { offset: 0 };
    return files.read(request.remotePath, {});
  });
  await partial.begin(reply.etag, point.offset);
  progress.start(reply.size, point.offset);
  await partial.append(reply.body, (count) => progress.add(count));
  await partial.complete(reply.size);
  return { path: target, size: reply.size, resumedFrom: point.offset };
}
