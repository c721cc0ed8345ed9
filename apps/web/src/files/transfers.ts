import type { HostConnection } from '@hostlink/client-sdk';
import { mimeType } from './file-list.js';

export type Progress = (done: number, total: number) => void;

/** Reads a whole file with progress into a Blob, then hands it to the browser's download. */
export async function download(connection: HostConnection, path: string, name: string, progress: Progress) {
  const result = await connection.read(path);
  const parts: Uint8Array[] = [];
  let done = 0;
  for await (const chunk of result.body) {
    parts.push(chunk.slice());
    done += chunk.length;
    progress(done, result.length);
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: mimeType(name) }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Uploads a picked file with progress; `signal` cancels it (the stream is reset and the agent keeps
 * nothing, since uploads land atomically).
 */
export async function upload(
  connection: HostConnection,
  folderPath: string,
  file: File,
  progress: Progress,
  signal: AbortSignal,
) {
  const path = folderPath === '/' ? `/${file.name}` : `${folderPath}/${file.name}`;
  let done = 0;
  async function* chunks(): AsyncIterable<Uint8Array> {
    const reader = file.stream().getReader();
    try {
      for (;;) {
        if (signal.aborted) throw new DOMException('upload cancelled', 'AbortError');
        const { value, done: finished } = await reader.read();
        if (finished) return;
        done += value.length;
        progress(done, file.size);
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  return connection.write(path, file.size, chunks());
}
