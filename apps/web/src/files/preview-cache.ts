import type { ReadResult } from '@hostlink/client-sdk';

/** What the cache needs of a host connection: a read that can be made conditional on an ETag. */
export interface ConditionalReader {
  read(path: string, options: { ifNoneMatch?: string }): Promise<ReadResult>;
}

interface Entry {
  readonly etag: string;
  readonly bytes: Uint8Array;
}

/** Bytes of previews kept per host before the least recently used go (they are also in memory). */
const DEFAULT_BUDGET = 64 * 1024 * 1024;

/**
 * Previews kept in the page, revalidated by ETag: a second look asks the agent with `ifNoneMatch` and gets
 * a bodiless `notModified` reply while the file is unchanged, so the file crosses the channel once.
 */
export class PreviewCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly budget = DEFAULT_BUDGET) {}

  async load(reader: ConditionalReader, path: string): Promise<{ bytes: Uint8Array; fromCache: boolean }> {
    const cached = this.entries.get(path);
    const result = await reader.read(path, cached ? { ifNoneMatch: cached.etag } : {});
    if (cached && result.notModified) {
      this.touch(path, cached);
      return { bytes: cached.bytes, fromCache: true };
    }
    const bytes = await readAll(result.body, result.length);
    this.store(path, { etag: result.etag, bytes });
    return { bytes, fromCache: false };
  }

  private touch(path: string, entry: Entry): void {
    this.entries.delete(path);
    this.entries.set(path, entry);
  }

  private store(path: string, entry: Entry): void {
    const previous = this.entries.get(path);
    if (previous) this.bytes -= previous.bytes.length;
    this.touch(path, entry);
    this.bytes += entry.bytes.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.budget || oldest === path) break;
      this.entries.delete(oldest);
      this.bytes -= old.bytes.length;
    }
  }
}

export async function readAll(body: AsyncIterable<Uint8Array>, expected: number): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let offset = 0;
  for await (const chunk of body) {
    out.set(chunk.subarray(0, Math.max(0, expected - offset)), offset);
    offset += chunk.length;
  }
  if (offset !== expected) throw new Error(`expected ${expected} bytes, got ${offset}`);
  return out;
}
