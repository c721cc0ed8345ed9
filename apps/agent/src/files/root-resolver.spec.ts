import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { createTree, type TreeFixture } from './files.fixture.js';
import { parseVirtualPath } from './virtual-path.js';

const code = (expected: string) => (error: unknown) =>
  error instanceof HostlinkError && error.code === expected;

describe('virtual path parsing', () => {
  const hostile = [
    '../etc/passwd',
    '/share/../outside/secret.txt',
    '/share/docs/../../outside',
    '/share/./docs',
    'C:\\Windows\\System32',
    '/C:/Windows',
    '\\\\server\\share',
    '//server/share',
    '/share/a\\..\\..\\b',
    '/share/nul\u0000byte',
    '/share/line\nbreak',
    'share/relative',
    '',
    `/share/${'a'.repeat(256)}`,
  ];
  for (const path of hostile) {
    it(`rejects ${JSON.stringify(path)}`, () => {
      assert.throws(() => parseVirtualPath(path), code(ErrorCode.BadRequest));
    });
  }

  it('accepts roots, nested names, a trailing slash and a 255-byte name', () => {
    assert.deepEqual(parseVirtualPath('/'), { root: null, names: [] });
    assert.deepEqual(parseVirtualPath('/share/a b/c/'), { root: 'share', names: ['a b', 'c'] });
    const long = 'é'.repeat(127) + 'x'; // 255 bytes in UTF-8
    assert.deepEqual(parseVirtualPath(`/share/${long}`).names, [long]);
  });

  it('keeps percent-encoded names literal instead of decoding them', () => {
    assert.deepEqual(parseVirtualPath('/share/%2e%2e/%2e%2e/etc').names, ['%2e%2e', '%2e%2e', 'etc']);
  });
});

describe('RootResolver on a real tree', () => {
  let tree: TreeFixture;
  before(async () => (tree = await createTree()));
  after(() => tree.cleanup());

  it('resolves paths inside the share', async () => {
    const target = await tree.resolver.resolveTarget('/share/docs/hello.txt');
    assert.equal(target?.realPath, join(tree.share, 'docs', 'hello.txt'));
    assert.equal(await tree.resolver.resolveTarget('/'), null);
  });

  it('follows a symlink that stays inside the share', async () => {
    const target = await tree.resolver.resolveTarget('/share/inside-link');
    assert.equal(target?.realPath, join(tree.share, 'docs', 'hello.txt'));
  });

  it('refuses a symlinked folder that leads outside', async () => {
    await assert.rejects(
      tree.resolver.resolveTarget('/share/escape-dir/secret.txt'),
      code(ErrorCode.Forbidden),
    );
    await assert.rejects(tree.resolver.resolveTarget('/share/escape-dir'), code(ErrorCode.Forbidden));
  });

  it('refuses a symlink to a file outside', async () => {
    await assert.rejects(tree.resolver.resolveTarget('/share/escape-file'), code(ErrorCode.Forbidden));
  });

  it('refuses to create through an escaping symlinked folder', async () => {
    await assert.rejects(tree.resolver.resolveEntry('/share/escape-dir/new.txt'), code(ErrorCode.Forbidden));
  });

  it('treats %2e%2e as a literal (missing) name', async () => {
    await assert.rejects(
      tree.resolver.resolveTarget('/share/%2e%2e/%2e%2e/outside/secret.txt'),
      code(ErrorCode.NotFound),
    );
  });

  it('refuses unknown roots, host-absolute paths and acting on a root itself', async () => {
    await assert.rejects(tree.resolver.resolveTarget('/etc/passwd'), code(ErrorCode.NotFound));
    await assert.rejects(
      tree.resolver.resolveTarget(join(tree.outside, 'secret.txt')),
      code(ErrorCode.NotFound),
    );
    await assert.rejects(tree.resolver.resolveEntry('/share'), code(ErrorCode.Forbidden));
  });

  it('keeps NFC and NFD names distinct', async () => {
    const nfc = 'caf\u00e9.txt';
    const nfd = 'cafe\u0301.txt';
    await writeFile(join(tree.share, nfc), 'nfc');
    await writeFile(join(tree.share, nfd), 'nfd');
    const a = await tree.resolver.resolveTarget(`/share/${nfc}`);
    const b = await tree.resolver.resolveTarget(`/share/${nfd}`);
    assert.notEqual(a?.realPath, b?.realPath);
  });
});
