import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileEntry } from '@hostlink/protocol';
import { breadcrumbs, filterEntries, formatSize, mimeType, previewKind, sortEntries } from './file-list.js';

const entry = (name: string, type: FileEntry['type'] = 'file', size = 0, mtimeMs = 0): FileEntry => ({
  name,
  type,
  size,
  mtimeMs,
});

test('folders first, then names as people read them', () => {
  const sorted = sortEntries(
    [entry('b10.txt'), entry('Zeta', 'directory'), entry('b2.txt'), entry('alpha', 'directory')],
    { key: 'name', descending: false },
  );
  assert.deepEqual(
    sorted.map((e) => e.name),
    ['alpha', 'Zeta', 'b2.txt', 'b10.txt'],
  );
});

test('sort by size and date, descending', () => {
  const files = [entry('a', 'file', 5, 3), entry('b', 'file', 50, 1), entry('c', 'file', 1, 9)];
  assert.deepEqual(
    sortEntries(files, { key: 'size', descending: true }).map((e) => e.name),
    ['b', 'a', 'c'],
  );
  assert.deepEqual(
    sortEntries(files, { key: 'mtime', descending: true }).map((e) => e.name),
    ['c', 'a', 'b'],
  );
});

test('search by name ignores case and accents', () => {
  const files = [entry('Über uns.txt'), entry('report.pdf'), entry('ÉTÉ.png')];
  assert.deepEqual(
    filterEntries(files, 'uber').map((e) => e.name),
    ['Über uns.txt'],
  );
  assert.deepEqual(
    filterEntries(files, 'été').map((e) => e.name),
    ['ÉTÉ.png'],
  );
  assert.equal(filterEntries(files, '  ').length, 3);
});

test('breadcrumbs from the shared folders down, Unicode intact', () => {
  assert.deepEqual(breadcrumbs('/Docs/Ünïcødé 文件'), [
    { name: 'Shared folders', path: '/' },
    { name: 'Docs', path: '/Docs' },
    { name: 'Ünïcødé 文件', path: '/Docs/Ünïcødé 文件' },
  ]);
});

test('preview kinds and types: HTML is previewed as plain text, never rendered', () => {
  assert.equal(previewKind('a.PNG'), 'image');
  assert.equal(previewKind('a.pdf'), 'pdf');
  assert.equal(previewKind('index.html'), 'text');
  assert.equal(previewKind('a.exe'), null);
  assert.equal(mimeType('index.html'), 'text/plain;charset=utf-8');
  assert.equal(mimeType('x.svg'), 'image/svg+xml');
  assert.equal(formatSize(1536), '1.5 KiB');
});
