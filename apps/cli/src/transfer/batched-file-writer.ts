import type { FileHandle } from 'node:fs/promises';

/**
 * Large enough that a write's thread-pool round trip costs little, small enough for the kernel to fill
 * the page cache with small folios: on this machine kind (Linux 6.18 in a VM that hands free memory back
 * to its host) 1 MiB writes cost 1.8 s of system time per GiB against 0.2 s for 256 KiB ones, because
 * the large folios come from high-order free blocks the host has taken back and must fault in again.
 */
export const WRITE_BATCH_BYTES = 256 * 1024;

/**
 * Appends bytes to a file through two batch buffers that take turns: one is written while the other
 * fills. Chunks are copied in (about 0.05 s per GiB), so none of them is
 * kept alive while a write is in flight and each write has the same size whatever the chunks were.
 */
export class BatchedFileWriter {
  private readonly buffers = [Buffer.allocUnsafe(WRITE_BATCH_BYTES), Buffer.allocUnsafe(WRITE_BATCH_BYTES)];
  private turn = 0;
  private filled = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly handle: FileHandle,
    private readonly onWritten: (count: number) => void,
  ) {}

  /** Resolves once the bytes are copied; a batch that filled up is handed to the file meanwhile. */
  async append(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.length;) {
      const batch = this.buffers[this.turn]!;
      const count = Math.min(chunk.length - offset, batch.length - this.filled);
      batch.set(chunk.subarray(offset, offset + count), this.filled);
      this.filled += count;
      offset += count;
      if (this.filled === batch.length) await this.flush();
    }
  }

  /** Writes what is buffered and waits for every write so far. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** Starts writing the current batch once the previous write is done; the other buffer fills next. */
  private async flush(): Promise<void> {
    await this.writing;
    if (this.filled === 0) return;
    const [batch, count] = [this.buffers[this.turn]!, this.filled];
    this.turn = 1 - this.turn;
    this.filled = 0;
    this.writing = this.writeAll(batch, count);
    // A failed write is reported at the next await, not as an unhandled rejection meanwhile.
    this.writing.catch(() => undefined);
  }

  private async writeAll(batch: Buffer, count: number): Promise<void> {
    for (let written = 0; written < count;) {
      const { bytesWritten } = await this.handle.write(batch, written, count - written);
      written += bytesWritten;
    }
    this.onWritten(count);
  }
}
