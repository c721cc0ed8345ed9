import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReadResult } from '@hostlink/client-sdk';
import { PreviewCache, type ConditionalReader } from './preview-cache.js';

/** A host file that can change, and a count of the bytes the "agent" sent. */
function fakeHost(content: Uint8Array) {
  const state = { content, etag: '"v1"', sent: 0, requests: [] as (string | undefined)[] };
  const reader: ConditionalReader = {
    read(_path, options) {
      state.requests.push(options.ifNoneMatch);
      const notModified = options.ifNoneMatch === state.etag;
      const bytes = notModified ? new Uint8Array(0) : state.content;
      state.sent += bytes.length;
      const result: ReadResult = {
        size: state.content.length,
        offset: 0,
        length: bytes.length,
        etag: state.etag,
        notModified,
        body: (function* () {
          if (bytes.length) yield bytes;
        })() as unknown as AsyncIterable<Uint8Array>,
        cancel: () => undefined,
      };
      return Promise.resolve(result);
    },
  };
  return { state, reader };
}

test('a second look revalidates with the ETag and transfers nothing', async () => {
  const { state, reader } = fakeHost(new Uint8Array(1000).fill(7));
  const cache = new PreviewCache();
  const first = await cache.load(reader, '/a.png');
  const second = await cache.load(reader, '/a.png');
  assert.equal(first.fromCache, false);
  assert.equal(second.fromCache, true);
  assert.deepEqual(second.bytes, first.bytes);
  assert.equal(state.sent, 1000);
  assert.deepEqual(state.requests, [undefined, '"v1"']);
});

test('a changed file is downloaded again', async () => {
  const { state, reader } = fakeHost(new Uint8Array([1, 2, 3]));
  const cache = new PreviewCache();
  await cache.load(reader, '/a.txt');
  state.content = new Uint8Array([4, 5]);
  state.etag = '"v2"';
  const again = await cache.load(reader, '/a.txt');
  assert.equal(again.fromCache, false);
  assert.deepEqual([...again.bytes], [4, 5]);
});

test('the least recently used previews leave when the budget is full', async () => {
  const { state, reader } = fakeHost(new Uint8Array(60));
  const cache = new PreviewCache(100);
  await cache.load(reader, '/one');
  await cache.load(reader, '/two');
  state.requests.length = 0;
  await cache.load(reader, '/one');
  assert.deepEqual(state.requests, [undefined], 'evicted: asked without an ETag');
});
