import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { FileBrowseService } from './file-browse.service.js';
import { FileChangeService } from './file-change.service.js';
import { FileTransferService } from './file-transfer.service.js';
import { bytes, collect, createTree, type TreeFixture } from './files.fixture.js';

const code = (expected: string) => (error: unknown) =>
  error instanceof HostlinkError && error.code === expected;

describe('file services on a real tree', () => {
  let tree: TreeFixture;
  let browse: FileBrowseService;
  let transfer: FileTransferService;
  let change: FileChangeService;
  before(async () => {
    tree = await createTree();
    browse = new FileBrowseService(tree.resolver);
    transfer = new FileTransferService(tree.resolver);
    change = new FileChangeService(tree.resolver);
  });
  after(() => tree.cleanup());

  it('lists roots and folders with names as on disk, symlinks as symlinks', async () => {
    assert.deepEqual(
      (await browse.list('/')).map((e) => e.name),
      ['share'],
    );
    const nfd = 'cafe\u0301';
    const long = 'n'.repeat(255);
    await writeFile(join(tree.share, nfd), 'x');
    await writeFile(join(tree.share, long), '');
    const entries = await browse.list('/share');
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.equal(byName.get(nfd)?.type, 'file');
    assert.equal(byName.get(long)?.size, 0);
    assert.equal(byName.get('escape-dir')?.type, 'symlink');
    assert.equal(byName.get('empty.bin')?.size, 0);
  });

  it('reads whole files, ranges and the 0-byte file', async () => {
    const whole = await transfer.openRead({ path: '/share/docs/hello.txt' });
    assert.equal(await collect(whole.body), 'hello world');
    const range = await transfer.openRead({ path: '/share/docs/hello.txt', offset: 6, length: 3 });
    assert.deepEqual([range.head.offset, range.head.length, await collect(range.body)], [6, 3, 'wor']);
    const empty = await transfer.openRead({ path: '/share/empty.bin' });
    assert.deepEqual([empty.head.size, empty.body], [0, null]);
    await assert.rejects(
      transfer.openRead({ path: '/share/docs/hello.txt', offset: 99 }),
      code(ErrorCode.BadRequest),
    );
  });

  it('reads a file of many chunks intact, from any offset, with a consumer slower than the disk', async () => {
    const content = randomBytes(5 * 256 * 1024 + 12_345);
    await writeFile(join(tree.share, 'many-chunks.bin'), content);
    for (const offset of [0, 1, 256 * 1024 + 7]) {
      const read = await transfer.openRead({ path: '/share/many-chunks.bin', offset });
      const copies: Buffer[] = [];
      for await (const chunk of read.body!) {
        await new Promise((resolve) => setImmediate(resolve));
        copies.push(Buffer.from(chunk));
      }
      assert.ok(Buffer.concat(copies).equals(content.subarray(offset)), `intact from ${offset}`);
    }
  });

  it('answers notModified for a matching ETag and refuses resume when the file changed', async () => {
    const first = await transfer.openRead({ path: '/share/docs/hello.txt' });
    await collect(first.body);
    const again = await transfer.openRead({ path: '/share/docs/hello.txt', ifNoneMatch: first.head.etag });
    assert.deepEqual([again.head.notModified, again.body], [true, null]);
    const resumed = await transfer.openRead({
      path: '/share/docs/hello.txt',
      offset: 6,
      ifMatch: first.head.etag,
    });
    assert.equal(await collect(resumed.body), 'world');
    await writeFile(join(tree.share, 'docs', 'hello.txt'), 'hello there, world');
    await assert.rejects(
      transfer.openRead({ path: '/share/docs/hello.txt', offset: 6, ifMatch: first.head.etag }),
      code(ErrorCode.Conflict),
    );
  });

  it('refuses to read through escaping symlinks', async () => {
    await assert.rejects(transfer.openRead({ path: '/share/escape-file' }), code(ErrorCode.Forbidden));
    await assert.rejects(
      transfer.openRead({ path: '/share/escape-dir/secret.txt' }),
      code(ErrorCode.Forbidden),
    );
  });

  it('writes atomically and refuses to overwrite unless asked', async () => {
    const result = await transfer.write(
      { path: '/share/up.txt', size: 10, overwrite: false },
      bytes('hello', 'world'),
    );
    assert.equal(result.size, 10);
    assert.equal(await readFile(join(tree.share, 'up.txt'), 'utf8'), 'helloworld');
    await assert.rejects(
      transfer.write({ path: '/share/up.txt', size: 1, overwrite: false }, bytes('x')),
      code(ErrorCode.Conflict),
    );
    await transfer.write({ path: '/share/up.txt', size: 1, overwrite: true }, bytes('x'));
    assert.equal(await readFile(join(tree.share, 'up.txt'), 'utf8'), 'x');
  });

  it('leaves nothing behind when an upload is short, long or interrupted', async () => {
    const before = (await readdir(tree.share)).sort();
    await assert.rejects(
      transfer.write({ path: '/share/short.txt', size: 10, overwrite: false }, bytes('abc')),
      code(ErrorCode.BadRequest),
    );
    await assert.rejects(
      transfer.write({ path: '/share/long.txt', size: 2, overwrite: false }, bytes('abc')),
      code(ErrorCode.BadRequest),
    );
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part');
      await Promise.reject(new Error('connection lost'));
    }
    await assert.rejects(
      transfer.write({ path: '/share/cut.txt', size: 100, overwrite: false }, broken()),
      /connection lost/,
    );
    assert.deepEqual((await readdir(tree.share)).sort(), before);
  });

  it('refuses uploads through an escaping symlink', async () => {
    await assert.rejects(
      transfer.write({ path: '/share/escape-dir/x.txt', size: 1, overwrite: false }, bytes('x')),
      code(ErrorCode.Forbidden),
    );
  });

  it('creates, moves and removes, never replacing on move', async () => {
    await change.mkdir('/share/new');
    await assert.rejects(change.mkdir('/share/new'), code(ErrorCode.Conflict));
    await transfer.write({ path: '/share/new/a.txt', size: 1, overwrite: false }, bytes('a'));
    await change.move('/share/new/a.txt', '/share/new/b.txt');
    await transfer.write({ path: '/share/new/c.txt', size: 1, overwrite: false }, bytes('c'));
    await assert.rejects(change.move('/share/new/b.txt', '/share/new/c.txt'), code(ErrorCode.Conflict));
    await change.remove('/share/escape-file'); // the link, not its target
    assert.equal(await readFile(join(tree.outside, 'secret.txt'), 'utf8'), 'top secret');
    await change.remove('/share/new');
    await assert.rejects(browse.stat('/share/new'), code(ErrorCode.NotFound));
  });

  it('searches names case-insensitively within a bound', async () => {
    const found = await browse.search('/share', 'report', 10);
    assert.deepEqual(
      found.matches.map((m) => m.path),
      ['/share/docs/deep/Report Final.TXT'],
    );
    const limited = await browse.search('/', 't', 1);
    assert.equal(limited.matches.length, 1);
    assert.equal(limited.truncated, true);
  });
});
