import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it, test } from 'node:test';
import { PartialDownload, SIDECAR_SUFFIX, partStem } from './partial-download.js';

const chunks = (...parts: string[]): AsyncIterable<Uint8Array> =>
  Readable.from(parts.map((part) => Buffer.from(part)));

async function* failing(part: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(part);
  await Promise.reject(new Error('link dropped'));
}

describe('resumable download on real files', () => {
  let base: string;
  before(async () => (base = await mkdtemp(join(tmpdir(), 'hostlink-resume-'))));
  after(() => rm(base, { recursive: true, force: true }));

  it('keeps the bytes of an interrupted download and resumes from them with the same etag', async () => {
    const local = join(base, 'file.txt');
    const source = { hostId: 'h', path: '/share/file.txt' };
    const first = new PartialDownload(local, source);
    assert.deepEqual(await first.resumePoint(), { offset: 0 });
    await first.begin('"v1"', 0);
    await assert.rejects(
      first.append(failing('hello '), () => undefined),
      /link dropped/,
    );
    await assert.rejects(stat(local));

    const second = new PartialDownload(local, source);
    const point = await second.resumePoint();
    assert.deepEqual(point, { offset: 6, ifMatch: '"v1"' });
    await second.begin('"v1"', point.offset);
    let counted = 0;
    await second.append(chunks('world'), (n) => (counted += n));
    await second.complete(11);
    assert.equal(counted, 5);
    assert.equal(await readFile(local, 'utf8'), 'hello world');
    await assert.rejects(stat(second.partPath));
    await assert.rejects(stat(second.sidecarPath));
  });

  it('starts over when the part belongs to another source', async () => {
    const local = join(base, 'other.txt');
    const old = new PartialDownload(local, { hostId: 'h', path: '/share/a' });
    await old.begin('"v1"', 0);
    await old.append(chunks('stale'), () => undefined);
    const fresh = new PartialDownload(local, { hostId: 'h', path: '/share/b' });
    assert.deepEqual(await fresh.resumePoint(), { offset: 0 });
    await assert.rejects(stat(fresh.partPath));
  });

  it('refuses to finish a short download and keeps it for resuming', async () => {
    const local = join(base, 'short.txt');
    const partial = new PartialDownload(local, { hostId: 'h', path: '/p' });
    await partial.begin('"v"', 0);
    await partial.append(chunks('abc'), () => undefined);
    await assert.rejects(partial.complete(10), /run the same command again/);
    assert.equal((await stat(partial.partPath)).size, 3);
    await writeFile(local, 'unrelated');
  });
});

test('a 255-byte name keeps its part files within the name limit, stably', () => {
  const long = join('/downloads', `${'文'.repeat(85)}`);
  const stem = partStem(long);
  assert.notEqual(stem, long);
  assert.equal(stem, partStem(long));
  assert.ok(Buffer.byteLength(basename(stem) + SIDECAR_SUFFIX) <= 255);
  assert.equal(partStem('/downloads/short.bin'), '/downloads/short.bin');
});
