import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type EmbeddedStack,
  type EnrolledHost,
  enrollHost,
  freePort,
  HOST_PASSWORD,
  startEmbeddedStack,
  writeLargeFile,
} from '@hostlink/testing';
import { TamperingProxy } from './support/tampering-proxy.js';

describe('a relay that flips one byte in transit', () => {
  let stack: EmbeddedStack;
  let host: EnrolledHost;
  let proxy: TamperingProxy;
  let share: string;

  before(async () => {
    share = await mkdtemp(join(tmpdir(), 'hostlink-tamper-'));
    await writeLargeFile(join(share, 'payload.bin'), 8 * 1024 * 1024);
    const relayPort = await freePort();
    proxy = new TamperingProxy({ host: '127.0.0.1', port: relayPort }, 3 * 1024 * 1024);
    const proxyPort = await proxy.listen();
    stack = await startEmbeddedStack({
      HOSTLINK_RELAY_PORT: String(relayPort),
      HOSTLINK_PUBLIC_RELAY_URL: `tcp://127.0.0.1:${proxyPort}`,
    });
    host = await enrollHost(stack, 'tampered', [share]);
  });
  after(async () => {
    await host?.agent.stop();
    await stack?.stop();
    await proxy?.close();
  });

  test('the download fails with an integrity error and leaves no corrupt file', async () => {
    const target = join(await mkdtemp(join(tmpdir(), 'hostlink-tamper-out-')), 'payload.bin');
    const result = await host.user.run(
      ['get', '--via', 'relay', `${host.name}:/${basename(share)}/payload.bin`, target],
      {
        env: { HOSTLINK_HOST_PASSWORD: HOST_PASSWORD },
      },
    );
    assert.ok(proxy.tampered, `the proxy flipped a byte (hostlink said: ${result.stderr})`);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /integrity/i);
    assert.equal(existsSync(target), false, 'no file under the final name');
    const part = `${target}.hostlink-part`;
    if (existsSync(part)) {
      // What was kept is only what was authenticated: a prefix of the real file.
      const kept = await readFile(part);
      const source = (await readFile(join(share, 'payload.bin'))).subarray(0, kept.length);
      assert.equal(
        createHash('sha256').update(kept).digest('hex'),
        createHash('sha256').update(source).digest('hex'),
      );
    }
  });
});
