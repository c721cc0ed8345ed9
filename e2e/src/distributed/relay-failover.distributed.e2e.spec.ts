import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  collect,
  type DistributedStack,
  type EnrolledHost,
  enrollHost,
  establishedConnections,
  expectEventually,
  relayNames,
  sha256File,
  startDistributedStack,
  stopGroup,
  viaRelay,
} from '@hostlink/testing';
import { withServiceLogs } from './support/fleet.js';

const FILE_BYTES = 400 * 1024 * 1024 + 4_321;

/** Random content written in chunks (never all in memory); returns its SHA-256. */
async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = bytes; left > 0;) {
    const chunk = randomBytes(Math.min(left, 4 * 1024 * 1024));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    left -= chunk.length;
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

describe('distributed platform: the relay carrying a download killed with SIGKILL', () => {
  let stack: DistributedStack;
  let host: EnrolledHost;
  let share: string;
  let hash: string;

  before(async () => {
    share = await mkdtemp(join(tmpdir(), 'hostlink-share-'));
    hash = await writeRandomFile(join(share, 'large.bin'), FILE_BYTES);
    stack = await startDistributedStack();
    host = await enrollHost(stack, 'relay-failover', [share]);
  });

  after(async () => {
    await host?.agent.stop();
    await stack?.stop();
  });

  test(
    'the CLI gets a new connection through the other relay and resumes in the same process',
    withServiceLogs(
      () => stack,
      async (t) => {
        const target = join(await mkdtemp(join(tmpdir(), 'hostlink-downloads-')), 'large.bin');
        const child = host.user.spawn(
          ['get', '--via', 'relay', `${host.name}:/${basename(share)}/large.bin`, target],
          viaRelay,
        );
        const output = collect(child);
        const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
        try {
          await expectEventually(
            async () => assert.ok((await stat(`${target}.hostlink-part`)).size > 40 * 1024 * 1024),
            { timeoutMs: 60_000 },
          );
          // Both legs (client and agent) of the transfer are on the relay carrying it.
          const carrying = relayNames.find((name) => establishedConnections(stack.ports[name]) >= 2);
          assert.ok(carrying, 'one relay carries the transfer');
          const killedAt = performance.now();
          await stack.kill(carrying, 'SIGKILL');
          const partAtKill = (await stat(`${target}.hostlink-part`)).size;
          const [code] = await exited;
          const { stdout, stderr } = output();
          assert.equal(code, 0, `hostlink get failed:\n${stderr}\n${stdout}`);
          assert.match(stderr, /connection lost .*reconnecting…/);
          assert.match(stdout, /resumed from/);
          assert.equal(existsSync(`${target}.hostlink-part`), false);
          assert.equal(await sha256File(target), hash);
          t.diagnostic(
            `killed ${carrying} at ${(partAtKill / 1024 / 1024).toFixed(0)} MiB; the same process finished ` +
              `${((performance.now() - killedAt) / 1000).toFixed(2)} s later through the other relay`,
          );
        } finally {
          await stopGroup(child, 'SIGKILL');
        }
      },
    ),
  );
});
