import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BatchedFileWriter, WRITE_BATCH_BYTES } from './batched-file-writer.js';

describe('batched file writer on real files', () => {
  let base: string;
  before(async () => (base = await mkdtemp(join(tmpdir(), 'hostlink-batched-'))));
  after(() => rm(base, { recursive: true, force: true }));

  async function writeChunks(
    name: string,
    chunks: Uint8Array[],
  ): Promise<{ file: Buffer; counted: number[] }> {
    const path = join(base, name);
    const handle = await open(path, 'a');
    const counted: number[] = [];
    try {
      const writer = new BatchedFileWriter(handle, (count) => counted.push(count));
      for (const chunk of chunks) await writer.append(chunk);
      await writer.finish();
    } finally {
      await handle.close();
    }
    return { file: await readFile(path), counted };
  }

  it('writes chunks of every size in order, in batches of at most WRITE_BATCH_BYTES', async () => {
    const chunks = [1, WRITE_BATCH_BYTES - 1, 3 * WRITE_BATCH_BYTES + 7, 0, 65_536, 5].map((n) =>
      randomBytes(n),
    );
    const { file, counted } = await writeChunks('sizes.bin', chunks);
    assert.deepEqual(file, Buffer.concat(chunks));
    assert.equal(
      counted.reduce((sum, n) => sum + n, 0),
      file.length,
    );
    assert.ok(counted.every((n) => n > 0 && n <= WRITE_BATCH_BYTES));
  });

  it('keeps every chunk intact although its own buffer is reused by the sender right after', async () => {
    const reused = Buffer.alloc(1000);
    const expected: Buffer[] = [];
    const path = join(base, 'reused.bin');
    const handle = await open(path, 'a');
    const writer = new BatchedFileWriter(handle, () => undefined);
    for (let i = 0; i < 700; i += 1) {
      reused.fill(i % 251);
      expected.push(Buffer.from(reused));
      await writer.append(reused);
    }
    await writer.finish();
    await handle.close();
    assert.deepEqual(await readFile(path), Buffer.concat(expected));
  });

  it('reports a failed write instead of losing it', async () => {
    const handle = await open(join(base, 'read-only.bin'), 'w');
    await handle.close();
    const readOnly = await open(join(base, 'read-only.bin'), 'r');
    const writer = new BatchedFileWriter(readOnly, () => undefined);
    try {
      await assert.rejects(async () => {
        await writer.append(randomBytes(WRITE_BATCH_BYTES * 2));
        await writer.finish();
      }, /EBADF/);
    } finally {
      await readOnly.close();
    }
  });
});
