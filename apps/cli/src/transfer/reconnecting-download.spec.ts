import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostConnection, ReadOptions } from '@hostlink/client-sdk';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { ChannelIntegrityError, SecureChannelError, SecureChannelErrorCode } from '@hostlink/secure-channel';
import type { RelayHistory } from '../remote/relay-history.js';
import type { Progress } from './progress.js';
import { downloadReconnecting } from './reconnecting-download.js';

const content = Buffer.from('0123456789abcdefghij');
const lost = () => new SecureChannelError(SecureChannelErrorCode.Closed, 'secure channel closed');

/** A connection through `relayId` that sends from the asked offset and fails with `failure` after `cut` bytes. */
function connectionThrough(relayId: string, cut?: number, failure: Error = lost()): HostConnection {
  return {
    route: 'relay',
    relayId,
    close: () => undefined,
    read(_path: string, options: ReadOptions) {
      const offset = options.offset ?? 0;
      async function* body() {
        const end = cut === undefined ? content.length : offset + cut;
        yield content.subarray(offset, end);
        if (cut !== undefined) await Promise.reject(failure);
      }
      return Promise.resolve({ size: content.length, offset, etag: '"v1"', body: body() });
    },
  } as unknown as HostConnection;
}

function recordingProgress(): Progress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    start: (total, done) => void events.push(`start ${done}/${total}`),
    add: () => undefined,
    reconnecting: () => void events.push('reconnecting'),
    stop: () => void events.push('stop'),
  };
}

describe('a download that loses its connection', () => {
  let base: string;
  before(async () => (base = await mkdtemp(join(tmpdir(), 'hostlink-reconnect-'))));
  after(() => rm(base, { recursive: true, force: true }));
  const request = (name: string) => ({
    hostId: 'h',
    remotePath: '/s/f',
    local: join(base, name),
    force: false,
  });
  const noWait = { wait: () => Promise.resolve() };

  it('connects again avoiding the relay that failed and resumes where it was', async () => {
    const avoided: string[][] = [];
    const connections = [connectionThrough('relay-1', 7), connectionThrough('relay-2')];
    const progress = recordingProgress();
    const result = await downloadReconnecting(
      (relays: RelayHistory) => {
        avoided.push([...relays.avoid]);
        const next = connections.shift()!;
        relays.offered(next.relayId);
        return Promise.resolve(next);
      },
      request('resumed'),
      progress,
      noWait,
    );
    assert.deepEqual(avoided, [[], ['relay-1']]);
    assert.deepEqual(progress.events, ['start 0/20', 'reconnecting', 'start 7/20']);
    assert.equal(result.resumedFrom, 7);
    assert.deepEqual(await readFile(join(base, 'resumed')), content);
  });

  it('also retries when the new connection cannot be opened, then gives up after a few attempts', async () => {
    let attempts = 0;
    await assert.rejects(
      downloadReconnecting(
        () => {
          attempts += 1;
          return Promise.reject(new HostlinkError(ErrorCode.Unavailable, 'no relay'));
        },
        request('never'),
        recordingProgress(),
        { ...noWait, maxAttempts: 3 },
      ),
      /no relay/,
    );
    assert.equal(attempts, 3);
  });

  it('never retries through a channel that failed its integrity check, nor a refused request', async () => {
    for (const failure of [
      new ChannelIntegrityError('channel message failed authentication'),
      new HostlinkError(ErrorCode.NotFound, 'no such file'),
    ]) {
      let attempts = 0;
      await assert.rejects(
        downloadReconnecting(
          () => {
            attempts += 1;
            return Promise.resolve(connectionThrough('relay-1', 3, failure));
          },
          request(`refused-${attempts}-${failure.name}`),
          recordingProgress(),
          noWait,
        ),
        (error: unknown) => error === failure,
      );
      assert.equal(attempts, 1);
    }
  });
});
