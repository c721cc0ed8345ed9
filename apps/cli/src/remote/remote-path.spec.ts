import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, HostlinkError, type HostView } from '@hostlink/protocol';
import { findHost, parseRemotePath } from './remote-path.js';

const host = (id: string, name: string): HostView => ({
  id,
  name,
  os: 'linux',
  online: true,
  lastSeenAt: null,
  enrolledAt: '2026-01-01T00:00:00.000Z',
});

describe('HOST:PATH', () => {
  it('splits at the first colon and makes the path absolute', () => {
    assert.deepEqual(parseRemotePath('laptop:/docs/a.txt'), { host: 'laptop', path: '/docs/a.txt' });
    assert.deepEqual(parseRemotePath('laptop:'), { host: 'laptop', path: '/' });
    assert.deepEqual(parseRemotePath('laptop:docs/x:y.txt'), { host: 'laptop', path: '/docs/x:y.txt' });
  });

  it('rejects text without a host', () => {
    for (const bad of ['/docs/a.txt', ':/docs', 'laptop']) {
      assert.throws(
        () => parseRemotePath(bad),
        (error: unknown) => error instanceof HostlinkError && error.code === ErrorCode.BadRequest,
      );
    }
  });

  it('finds hosts by id or unique name and lists ids when a name is ambiguous', () => {
    const hosts = [host('id-1', 'laptop'), host('id-2', 'nas'), host('id-3', 'nas')];
    assert.equal(findHost(hosts, 'laptop').id, 'id-1');
    assert.equal(findHost(hosts, 'id-3').id, 'id-3');
    assert.throws(() => findHost(hosts, 'nas'), /id-2, id-3/);
    assert.throws(
      () => findHost(hosts, 'desktop'),
      (error: unknown) => error instanceof HostlinkError && error.code === ErrorCode.NotFound,
    );
  });
});
